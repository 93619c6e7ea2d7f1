import { selectorMatches } from '../api/labels';
import { objectKey } from '../api/resources';
import type { KubeObject, LabelSelector, WatchEvent } from '../api/types';
import type { Simulation } from '../sim/simulation';
import type { Client } from './client';
import { Reflector, type ReflectorQuery } from './reflector';
import { Indexer, NAMESPACE_INDEX, type IndexFunc } from './store';
import { deepFreeze } from '../sim/deep-freeze';

/**
 * An informer keeps a local, read-only copy of one resource and tells handlers what changed.
 *
 * Its reflector lists once, then watches from the list's resourceVersion, so it sees every
 * change after the snapshot exactly once; if the watch breaks, it lists again (after a
 * backoff) and the informer turns the difference into events:
 *
 *   const pods = new Informer<Pod>(sim, client, { resource: 'pods', fieldSelector: 'spec.nodeName=node-1' });
 *   pods.addEventHandler({ onAdd: (p) => queue.add(objectKey(p)) });
 *   pods.start();
 *   // later: pods.lister.get('default/web-x7k2p'), pods.lister.list('default', { matchLabels: { app: 'web' } })
 *
 * Options, both as in client-go's shared informers:
 *  - `indexers`: extra indexes on the cache, e.g. pods by node:
 *      new Informer<Pod>(sim, client, { resource: 'pods' }, { indexers: { byNode: (p) => (p.spec.nodeName ? [p.spec.nodeName] : []) } })
 *      // then informer.indexer.byIndex('byNode', 'node-1') => the pods bound to node-1
 *  - `resyncPeriodMs`: every so often (virtual ms), hand every cached object to onUpdate
 *    again, as onUpdate(obj, obj), so a controller re-checks objects nothing has changed.
 *    0 (the default) turns it off.
 *
 * Handlers must be quick: the sample-controller style is to enqueue a key and return.
 * Objects in the cache are frozen; copy one before changing it.
 */
export interface EventHandlers<T extends KubeObject> {
  onAdd?(obj: Readonly<T>): void;
  onUpdate?(oldObj: Readonly<T>, newObj: Readonly<T>): void;
  /**
   * 'observed': a DELETED watch event, `obj` is the object as it was deleted.
   * 'final-state-unknown': the object was missing from a relist; the deletion happened while
   * the watch was broken, so `obj` is only the last state the cache saw (client-go hands out
   * a DeletedFinalStateUnknown here).
   */
  onDelete?(obj: Readonly<T>, state: DeleteState): void;
}

export type DeleteState = 'observed' | 'final-state-unknown';

export type InformerQuery = ReflectorQuery;

export interface InformerOptions<T extends KubeObject> {
  indexers?: Readonly<Record<string, IndexFunc<T>>>;
  resyncPeriodMs?: number;
}

export class Lister<T extends KubeObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  /** By key: `namespace/name`, or `name` for cluster-scoped objects. */
  get(key: string): Readonly<T> | undefined {
    return this.indexer.get(key);
  }

  /** Every cached object, optionally in one namespace and matching a label selector, sorted by key. */
  list(namespace?: string, selector?: Readonly<LabelSelector>): Readonly<T>[] {
    const objs = namespace === undefined ? this.indexer.list() : this.indexer.byIndex(NAMESPACE_INDEX, namespace);
    return selector === undefined ? objs : objs.filter((obj) => selectorMatches(selector, obj.metadata.labels));
  }
}

export class Informer<T extends KubeObject> {
  readonly indexer: Indexer<T>;
  readonly lister: Lister<T>;
  private readonly handlers: EventHandlers<T>[] = [];
  private readonly reflector: Reflector<T>;
  private synced = false;

  constructor(sim: Simulation, client: Client, query: InformerQuery, options: InformerOptions<T> = {}) {
    this.indexer = new Indexer<T>(options.indexers);
    this.lister = new Lister<T>(this.indexer);
    this.reflector = new Reflector<T>(
      sim,
      client,
      query,
      { replace: (items) => this.replace(items), apply: (event) => this.apply(event), resync: () => this.resync() },
      options.resyncPeriodMs ?? 0,
    );
  }

  addEventHandler(handlers: EventHandlers<T>): void {
    this.handlers.push(handlers);
  }

  /** True once the initial list has been loaded into the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Where the watch resumes: the resourceVersion of the last list or watch event seen. */
  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion();
  }

  start(): void {
    this.reflector.run();
  }

  stop(): void {
    this.reflector.stop();
  }

  /**
   * client-go's Replace: the cache becomes exactly the listed objects, and handlers hear the
   * difference, in list order and then by key:
   *
   *   cache { a (rv 3), b (rv 4), c (rv 5) }, list [a (rv 3), b (rv 9), d (rv 8)]
   *   => onUpdate(b rv 4, b rv 9), onAdd(d), onDelete(c, 'final-state-unknown')
   *
   * `a` is unchanged (same resourceVersion), so no one hears about it: client-go treats such
   * an update as a resync and delivers it only to handlers whose resync is due.
   */
  private replace(items: T[]): void {
    const listed = new Set<string>();
    for (const item of items) {
      const obj = deepFreeze(item);
      const key = objectKey(obj);
      listed.add(key);
      const old = this.indexer.get(key);
      this.indexer.set(key, obj);
      if (old === undefined) for (const h of this.handlers) h.onAdd?.(obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) for (const h of this.handlers) h.onUpdate?.(old, obj);
    }
    for (const key of this.indexer.keys()) {
      if (listed.has(key)) continue;
      const last = this.indexer.get(key)!;
      this.indexer.delete(key);
      for (const h of this.handlers) h.onDelete?.(last, 'final-state-unknown');
    }
    this.synced = true;
  }

  private apply(event: WatchEvent<T>): void {
    const obj = deepFreeze(event.object);
    const key = objectKey(obj);
    const old = this.indexer.get(key);
    if (event.type === 'DELETED') {
      this.indexer.delete(key);
      for (const h of this.handlers) h.onDelete?.(obj, 'observed');
    } else {
      this.indexer.set(key, obj);
      for (const h of this.handlers) {
        if (old === undefined) h.onAdd?.(obj);
        else h.onUpdate?.(old, obj);
      }
    }
  }

  /** Every cached object, by key, as onUpdate(obj, obj). */
  private resync(): void {
    for (const obj of this.indexer.list()) for (const h of this.handlers) h.onUpdate?.(obj, obj);
  }
}
