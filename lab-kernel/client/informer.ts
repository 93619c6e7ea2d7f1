import { selectorMatches } from '../api/labels';
import { objectKey } from '../api/resources';
import type { Status } from '../api/status';
import type { KubeList, KubeObject, LabelSelector, WatchEvent } from '../api/types';
import type { ApiRequest } from '../apiserver/request';
import type { Simulation } from '../sim/simulation';
import type { Client } from './client';

/**
 * An informer keeps a local, read-only copy of one resource and tells handlers what changed.
 *
 * It lists once, then watches from the list's resourceVersion, so it sees every change after
 * the snapshot exactly once:
 *
 *   const pods = new Informer<Pod>(sim, client, { resource: 'pods', fieldSelector: 'spec.nodeName=node-1' });
 *   pods.addEventHandler({ onAdd: (p) => queue.add(objectKey(p)) });
 *   pods.start();
 *   // later: pods.lister.get('default/web-x7k2p'), pods.lister.list('default', { matchLabels: { app: 'web' } })
 *
 * Handlers must be quick: the sample-controller style is to enqueue a key and return.
 * Objects in the cache are frozen; copy one before changing it.
 *
 * Deliberately minimal for now: no relist after a broken watch and no periodic resync; the
 * watch chapter builds the full reflector (relist on 410 Gone, backoff, resync).
 */
export interface EventHandlers<T extends KubeObject> {
  onAdd?(obj: Readonly<T>): void;
  onUpdate?(oldObj: Readonly<T>, newObj: Readonly<T>): void;
  onDelete?(obj: Readonly<T>): void;
}

export type InformerQuery = Pick<ApiRequest, 'resource' | 'namespace' | 'labelSelector' | 'fieldSelector'>;

export class Lister<T extends KubeObject> {
  constructor(private readonly items: ReadonlyMap<string, Readonly<T>>) {}

  /** By key: `namespace/name`, or `name` for cluster-scoped objects. */
  get(key: string): Readonly<T> | undefined {
    return this.items.get(key);
  }

  /** Every cached object, optionally in one namespace and matching a label selector, sorted by key. */
  list(namespace?: string, selector?: Readonly<LabelSelector>): Readonly<T>[] {
    const out: Readonly<T>[] = [];
    for (const key of [...this.items.keys()].sort()) {
      const obj = this.items.get(key)!;
      if (namespace !== undefined && obj.metadata.namespace !== namespace) continue;
      if (selector !== undefined && !selectorMatches(selector, obj.metadata.labels)) continue;
      out.push(obj);
    }
    return out;
  }
}

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, Readonly<T>>();
  private readonly handlers: EventHandlers<T>[] = [];
  private synced = false;
  private stopWatch: (() => void) | undefined;
  readonly lister = new Lister<T>(this.cache);

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    private readonly query: InformerQuery,
  ) {}

  addEventHandler(handlers: EventHandlers<T>): void {
    this.handlers.push(handlers);
  }

  /** True once the initial list has been loaded into the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  start(): void {
    this.client.request({ ...this.query, verb: 'list' }, (res) => {
      if (res.code !== 200) {
        const status = res.body as Status;
        this.sim.trace.error(this.sim.now(), this.client.component, `list ${this.query.resource} failed: ${status.message}; retrying in 1s`);
        this.sim.after(1000, () => this.start());
        return;
      }
      const list = res.body as KubeList<T>;
      for (const item of list.items) this.apply({ type: 'ADDED', object: item });
      this.synced = true;
      this.stopWatch = this.client.watch({ ...this.query, verb: 'watch', resourceVersion: list.metadata.resourceVersion }, (event) =>
        this.apply(event as WatchEvent<T>),
      );
    });
  }

  stop(): void {
    this.stopWatch?.();
  }

  private apply(event: WatchEvent<T>): void {
    const obj = deepFreeze(event.object);
    const key = objectKey(obj);
    const old = this.cache.get(key);
    if (event.type === 'DELETED') {
      this.cache.delete(key);
      for (const h of this.handlers) h.onDelete?.(obj);
    } else {
      this.cache.set(key, obj);
      for (const h of this.handlers) {
        if (old === undefined) h.onAdd?.(obj);
        else h.onUpdate?.(old, obj);
      }
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
