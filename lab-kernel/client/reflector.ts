import type { Status } from '../api/status';
import type { KubeList, KubeObject, WatchEvent } from '../api/types';
import type { ApiRequest } from '../api/request';
import type { Simulation, Timer } from '../sim/simulation';
import { ExponentialBackoff } from './backoff';
import type { Client } from './client';
import { INITIAL_REFLECTOR_STATE, type ReflectorAction, type ReflectorInput, type ReflectorState, type ReflectorStep } from './reflector-contract';

/**
 * A reflector keeps a local store in step with the API server, as client-go's
 * tools/cache/reflector.go does: list, then watch from the list's resourceVersion.
 *
 *   t=0     list pods rv=0               => 200 (3 items, rv 40); store.replace(those 3)
 *   t=1     watch pods from rv 40        => MODIFIED web-1 (rv 41), ... each one store.apply(event)
 *   t=90s   the watch fails: 410 Expired => wait 800..1599 ms (backoff), then list again
 *   t=91s   list pods rv=40              => 200 (2 items, rv 57); store.replace(those 2)
 *
 * This class is only the runtime: what to do next is decided by a pure step function
 * (reflector-contract.ts; exercise `reflector`). The runtime feeds it every answer, list,
 * watch event, timer and failure as an input, and carries out the actions it returns:
 * requests through the Client, the store's replace/apply/resync, and the timers.
 *
 * What the runtime keeps for itself, as client-go's reflector does:
 * - how long a backoff lasts: an ExponentialBackoff (800 ms doubling to 30 s, jitter 1.0, reset
 *   after 2 min without failures), with jitter from the random stream `reflector/<component>/<resource>`;
 * - each watch's timeout: 5..10 min (client-go's minWatchTimeout * (1 + rand)), drawn from
 *   `reflector/<component>/<resource>/watch-timeout`. When it passes, the watch is closed and
 *   the step function hears 'watch-timed-out'. (client-go sends it as timeoutSeconds and both
 *   ends enforce it; the lab's client enforces it alone, which is the same for the reflector.)
 *   It is what replaces a connection that silently stopped delivering, e.g. across a
 *   network partition;
 * - the resync timer (virtual ms, 0 = off, the default), running while a watch is open.
 *
 * Each list carries the resourceVersion the step function chose (client-go's
 * relistResourceVersion: "0" first, then the last one synced, "" after it proved unavailable).
 *
 * The step function is the Client's `reflectorStep` (createCluster gives its clients the
 * reference or, with `use: { reflector: 'exercise' }`, yours). If it throws, nothing crashes:
 * the error is traced, the store keeps what it has, and after the backoff the loop starts
 * over with a list. The same happens when the store refuses a replace (the informer's relist
 * diff threw).
 */
export interface ReflectorStore<T extends KubeObject> {
  /** A fresh list: make the cache exactly these objects. */
  replace(items: T[]): void;
  /** One change from the watch. */
  apply(event: WatchEvent<T>): void;
  /** The resync period has passed: deliver every cached object again. */
  resync(): void;
}

export type ReflectorQuery = Pick<ApiRequest, 'resource' | 'namespace' | 'labelSelector' | 'fieldSelector'>;

/** client-go's minWatchTimeout: each watch asks to end after 5..10 minutes. */
export const MIN_WATCH_TIMEOUT_MS = 5 * 60_000;

export class Reflector<T extends KubeObject> {
  private readonly backoff: ExponentialBackoff;
  private readonly step: ReflectorStep;
  private state: ReflectorState = INITIAL_REFLECTOR_STATE;
  private running = false;
  /** Counts watches opened, so that the error of a watch already closed is ignored. */
  private watchSeq = 0;
  private stopWatch: (() => void) | undefined;
  private watchTimer: Timer | undefined;
  private resyncTimer: Timer | undefined;
  private backoffTimer: Timer | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    private readonly query: ReflectorQuery,
    private readonly store: ReflectorStore<T>,
    private readonly resyncPeriodMs = 0,
  ) {
    this.backoff = new ExponentialBackoff(sim, sim.rng(`reflector/${client.component}/${query.resource}`));
    if (client.reflectorStep === undefined) {
      throw new Error(`${client.component}: an informer on ${query.resource} needs a client with a reflector step (cluster.client(...) makes one; or pass reflectorStep to new Client)`);
    }
    this.step = client.reflectorStep;
  }

  /** The resourceVersion of the last list, or of the last watch event since: where a watch resumes. */
  lastSyncResourceVersion(): string {
    return this.state.lastSyncResourceVersion;
  }

  run(): void {
    this.running = true;
    this.feed({ kind: 'start' }, '');
  }

  stop(): void {
    this.running = false;
    this.closeWatch();
    if (this.backoffTimer !== undefined) this.sim.cancel(this.backoffTimer);
    this.backoffTimer = undefined;
  }

  /**
   * Hands one input to the step function and carries out its actions. `why` says what went
   * wrong, for the trace line of a backoff ('' when nothing did).
   */
  private feed(input: ReflectorInput, why: string): void {
    if (!this.running) return;
    let actions: ReflectorAction[];
    try {
      const result = this.step(this.state, input);
      if (!Array.isArray(result?.actions) || typeof result.state?.phase !== 'string') throw new Error('expected { state, actions }');
      this.state = result.state;
      actions = result.actions;
    } catch (err) {
      this.startOverAfterBackoff(input, err);
      return;
    }
    try {
      for (const action of actions) this.perform(action, why);
    } catch (err) {
      // The store refused a replace (the informer's relist diff failed): start over, as for a failed step.
      this.startOverAfterBackoff(input, err, 'the store');
    }
  }

  private perform(action: ReflectorAction, why: string): void {
    switch (action.kind) {
      case 'list':
        return this.list(action.resourceVersion);
      case 'watch':
        return this.watch(action.resourceVersion, action.allowWatchBookmarks);
      case 'replace':
        return this.store.replace(action.items as T[]);
      case 'apply':
        return this.store.apply(action.event as WatchEvent<T>);
      case 'close-watch':
        return this.closeWatch();
      case 'backoff':
        return this.waitThen(why, action.then);
      case 'resync':
        return this.store.resync();
    }
  }

  private list(resourceVersion: string): void {
    this.client.request(Object.assign({}, this.query, { verb: 'list' as const, resourceVersion: resourceVersion === '' ? undefined : resourceVersion }), (res) => {
      if (res.code === 200) {
        const list = res.body as KubeList<T>;
        this.feed({ kind: 'listed', items: list.items, resourceVersion: list.metadata.resourceVersion }, '');
      } else {
        const status = res.body as Status;
        this.feed({ kind: 'list-failed', status }, `list ${this.query.resource} failed: ${status.message}`);
      }
    });
  }

  private watch(resourceVersion: string, allowWatchBookmarks: boolean): void {
    this.closeWatch();
    const seq = ++this.watchSeq;
    const current = () => this.running && seq === this.watchSeq && this.stopWatch !== undefined;
    this.stopWatch = this.client.watch(
      Object.assign({}, this.query, { verb: 'watch' as const, resourceVersion, allowWatchBookmarks }),
      (event) => {
        if (current()) this.feed({ kind: 'watch-event', event }, '');
      },
      (status) => {
        if (!current()) return;
        this.feed({ kind: 'watch-failed', status }, `watch ${this.query.resource} failed: ${status.code} ${status.message ?? ''}`);
      },
      // The stream ended without an error (its connection broke): like a watch that reached
      // its timeout, watch again from the last resourceVersion; the watch cache replays the rest.
      () => {
        if (current()) this.feed({ kind: 'watch-timed-out' }, '');
      },
    );
    const timeoutRng = this.sim.rng(`reflector/${this.client.component}/${this.query.resource}/watch-timeout`);
    const timeoutMs = Math.floor(MIN_WATCH_TIMEOUT_MS * (1 + timeoutRng.next()));
    this.watchTimer = this.sim.after(timeoutMs, () => {
      this.watchTimer = undefined;
      if (current()) this.feed({ kind: 'watch-timed-out' }, '');
    });
    if (this.resyncPeriodMs > 0) this.scheduleResync();
  }

  private scheduleResync(): void {
    this.resyncTimer = this.sim.after(this.resyncPeriodMs, () => {
      this.resyncTimer = undefined;
      this.feed({ kind: 'resync-due' }, '');
      if (this.stopWatch !== undefined && this.resyncTimer === undefined) this.scheduleResync();
    });
  }

  private closeWatch(): void {
    this.stopWatch?.();
    this.stopWatch = undefined;
    for (const timer of [this.watchTimer, this.resyncTimer]) if (timer !== undefined) this.sim.cancel(timer);
    this.watchTimer = undefined;
    this.resyncTimer = undefined;
  }

  /** Waits for the backoff, then tells the step function: it decides between relist and rewatch. */
  private waitThen(why: string, then: 'relist' | 'rewatch'): void {
    const delay = this.backoff.next();
    const next = then === 'relist' ? `relisting in ${delay} ms` : `watching again from rv ${this.state.lastSyncResourceVersion} in ${delay} ms`;
    this.sim.trace.error(this.sim.now(), this.client.component, `${why || `${this.query.resource}: backing off`}; ${next}`);
    this.afterBackoff(delay, () => this.feed({ kind: 'backoff-over' }, ''));
  }

  /** The step function failed: keep the store as it is, and after the backoff begin again with a list. */
  private startOverAfterBackoff(input: ReflectorInput, err: unknown, who = 'the step function'): void {
    this.closeWatch();
    const delay = this.backoff.next();
    const message = err instanceof Error ? err.message : String(err);
    this.sim.trace.error(this.sim.now(), this.client.component, `reflector ${this.query.resource}: ${who} failed on '${input.kind}': ${message}; starting over in ${delay} ms`);
    this.afterBackoff(delay, () => {
      this.state = INITIAL_REFLECTOR_STATE;
      this.feed({ kind: 'start' }, '');
    });
  }

  private afterBackoff(delay: number, then: () => void): void {
    if (this.backoffTimer !== undefined) this.sim.cancel(this.backoffTimer);
    this.backoffTimer = this.sim.after(delay, () => {
      this.backoffTimer = undefined;
      then();
    });
  }
}
