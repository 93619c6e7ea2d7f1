import type { Status } from '../api/status';
import type { KubeList, KubeObject, WatchEvent } from '../api/types';
import type { ApiRequest } from '../apiserver/request';
import type { Simulation, Timer } from '../sim/simulation';
import { ExponentialBackoff } from './backoff';
import type { Client } from './client';

/**
 * A reflector keeps a local store in step with the API server, as client-go's
 * tools/cache/reflector.go does: list, then watch from the list's resourceVersion.
 *
 *   t=0     list pods                    => 200 (3 items, rv 40); store.replace(those 3)
 *   t=1     watch pods from rv 40        => MODIFIED web-1 (rv 41), ... each one store.apply(event)
 *   t=90s   the watch fails: 410 Expired => wait 800..1599 ms (backoff), then list again
 *   t=91s   list pods                    => 200 (2 items, rv 57); store.replace(those 2)
 *
 * A watch that fails cannot simply be reopened from the last resourceVersion it saw: the
 * events in between may be gone (etcd compacted them, hence 410 Gone / Expired). So the
 * reflector lists again and lets the store work out the difference (see Informer.replace).
 * The one exception, as in client-go, is 429 Too Many Requests: the server is only asking
 * for patience, so after the backoff the watch reopens from the last resourceVersion seen.
 *
 * Every wait comes from an ExponentialBackoff (800 ms doubling to 30 s, jitter 1.0, reset
 * after 2 min without failures), in virtual time, with jitter from the simulation's random
 * stream `reflector/<component>/<resource>`.
 *
 * Lists are consistent reads (no resourceVersion), like client-go's list with
 * resourceVersion="": the answer is at least as new as anything the watch has shown.
 *
 * With a resync period (virtual ms, 0 = off, the default), while a watch is open the
 * reflector asks the store every period to hand every cached object to the handlers again
 * (store.resync()), as client-go's resyncPeriod does.
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

export class Reflector<T extends KubeObject> {
  private readonly backoff: ExponentialBackoff;
  private lastResourceVersion = '';
  private running = false;
  private stopWatch: (() => void) | undefined;
  private resyncTimer: Timer | undefined;
  private retryTimer: Timer | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    private readonly query: ReflectorQuery,
    private readonly store: ReflectorStore<T>,
    private readonly resyncPeriodMs = 0,
  ) {
    this.backoff = new ExponentialBackoff(sim, sim.rng(`reflector/${client.component}/${query.resource}`));
  }

  /** The resourceVersion of the last list, or of the last watch event since: where a watch resumes. */
  lastSyncResourceVersion(): string {
    return this.lastResourceVersion;
  }

  run(): void {
    this.running = true;
    this.listAndWatch();
  }

  stop(): void {
    this.running = false;
    this.closeWatch();
    if (this.retryTimer !== undefined) this.sim.cancel(this.retryTimer);
  }

  private listAndWatch(): void {
    this.client.request({ ...this.query, verb: 'list' }, (res) => {
      if (!this.running) return;
      if (res.code !== 200) {
        const status = res.body as Status;
        this.retryAfterBackoff(`list ${this.query.resource} failed: ${status.message}`, 'relist');
        return;
      }
      const list = res.body as KubeList<T>;
      this.store.replace(list.items);
      this.lastResourceVersion = list.metadata.resourceVersion;
      this.watch();
    });
  }

  private watch(): void {
    this.stopWatch = this.client.watch(
      { ...this.query, verb: 'watch', resourceVersion: this.lastResourceVersion, allowWatchBookmarks: true },
      (event) => {
        this.lastResourceVersion = event.object.metadata.resourceVersion ?? this.lastResourceVersion;
        // A bookmark only moves the resourceVersion on: a later relist or re-watch starts there.
        if (event.type === 'BOOKMARK') return;
        this.store.apply(event as WatchEvent<T>);
      },
      (status) => {
        if (!this.running) return;
        this.closeWatch();
        const why = `watch ${this.query.resource} failed: ${status.code} ${status.message ?? ''}`;
        this.retryAfterBackoff(why, status.code === 429 ? 'rewatch' : 'relist');
      },
    );
    if (this.resyncPeriodMs > 0) this.scheduleResync();
  }

  private scheduleResync(): void {
    this.resyncTimer = this.sim.after(this.resyncPeriodMs, () => {
      this.store.resync();
      this.scheduleResync();
    });
  }

  private closeWatch(): void {
    this.stopWatch?.();
    this.stopWatch = undefined;
    if (this.resyncTimer !== undefined) this.sim.cancel(this.resyncTimer);
    this.resyncTimer = undefined;
  }

  /**
   * 'relist' => list again, then watch from the new list.
   * 'rewatch' => reopen the watch from the last resourceVersion seen.
   */
  private retryAfterBackoff(why: string, how: 'relist' | 'rewatch'): void {
    const delay = this.backoff.next();
    const next = how === 'relist' ? `relisting in ${delay} ms` : `watching again from rv ${this.lastResourceVersion} in ${delay} ms`;
    this.sim.trace.error(this.sim.now(), this.client.component, `${why}; ${next}`);
    this.retryTimer = this.sim.after(delay, () => {
      this.retryTimer = undefined;
      if (!this.running) return;
      if (how === 'relist') this.listAndWatch();
      else this.watch();
    });
  }
}
