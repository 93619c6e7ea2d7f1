import { selectorMatches } from '../api/labels';
import { objectKey } from '../api/resources';
import type { KubeObject, LabelSelector, WatchEvent } from '../api/types';
import type { Simulation } from '../sim/simulation';
import type { Client } from './client';
import { Reflector, type ReflectorQuery } from './reflector';
import type { RelistDiff } from './relist-contract';
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
  private readonly relistDiff: RelistDiff;
  private synced = false;
  private started = false;

  constructor(sim: Simulation, client: Client, query: InformerQuery, options: InformerOptions<T> = {}) {
    this.indexer = new Indexer<T>(options.indexers);
    this.lister = new Lister<T>(this.indexer);
    if (client.relistDiff === undefined) {
      throw new Error(`${client.component}: an informer on ${query.resource} needs a client with a relist diff (cluster.client(...) makes one; or pass relistDiff to new Client)`);
    }
    this.relistDiff = client.relistDiff;
    this.reflector = new Reflector<T>(
      sim,
      client,
      query,
      { replace: (items) => this.replace(items), apply: (event) => this.apply(event), resync: () => this.resync() },
      options.resyncPeriodMs ?? 0,
    );
  }

  /**
   * Adds handlers. Added after the first list, they first hear every cached object as an add,
   * as client-go's AddEventHandler replays its cache, so a late handler misses nothing.
   */
  addEventHandler(handlers: EventHandlers<T>): void {
    this.handlers.push(handlers);
    if (this.synced) for (const obj of this.indexer.list()) handlers.onAdd?.(obj);
  }

  /** True once the initial list has been loaded into the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Where the watch resumes: the resourceVersion of the last list or watch event seen. */
  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion();
  }

  /** Lists, then watches. Starting a started informer does nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.reflector.run();
  }

  stop(): void {
    this.started = false;
    this.reflector.stop();
  }

  /**
   * client-go's Replace: handlers hear what changed between the cache and a fresh list, as the
   * relist diff (the client's `relistDiff`, exercise `relist`) tells it, in its order:
   *
   *   cache { a (rv 3), b (rv 4), c (rv 5) }, list [a (rv 3), b (rv 9), d (rv 8)]
   *   => onUpdate(b rv 4, b rv 9), onAdd(d), onDelete(c, 'final-state-unknown')
   *
   * `a` is unchanged (same resourceVersion), so no one hears about it: client-go treats such
   * an update as a resync and delivers it only to handlers whose resync is due.
   *
   * The cache changes only as the diff says, one notification at a time before its handlers
   * run (as client-go's processDeltas updates the indexer, then distributes): a change the
   * diff leaves out stays out of the cache too. A notification that does not fit the two
   * pictures (an add for a cached key, a key told twice) is an error: the cache stays as it
   * was, and the reflector starts over after a backoff.
   */
  private replace(items: T[]): void {
    const listed = new Map(items.map((item) => [objectKey(item), deepFreeze(item)]));
    const notifications = this.relistDiff({ cached: this.indexer.list(), listed: [...listed.values()] });
    const told = new Set<string>();
    const steps = notifications.map(({ kind, key }) => {
      const old = this.indexer.get(key);
      const obj = listed.get(key);
      if (told.has(key)) throw new Error(`the relist diff told ${key} twice`);
      told.add(key);
      if (kind === 'add' && obj !== undefined && old === undefined) return { key, obj, tell: (h: EventHandlers<T>) => h.onAdd?.(obj) };
      if (kind === 'update' && obj !== undefined && old !== undefined) return { key, obj, tell: (h: EventHandlers<T>) => h.onUpdate?.(old, obj) };
      if (kind === 'delete' && obj === undefined && old !== undefined) return { key, obj, tell: (h: EventHandlers<T>) => h.onDelete?.(old, 'final-state-unknown') };
      throw new Error(`the relist diff said '${kind} ${key}', but ${describe(key, old, obj)}`);
    });
    for (const [key, obj] of listed) {
      if (!told.has(key) && this.indexer.get(key)?.metadata.resourceVersion === obj.metadata.resourceVersion) this.indexer.set(key, obj);
    }
    for (const { key, obj, tell } of steps) {
      if (obj === undefined) this.indexer.delete(key);
      else this.indexer.set(key, obj);
      for (const h of this.handlers) tell(h);
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

/** Where a key is, for an error about a notification that does not fit it. */
function describe(key: string, cached: unknown, listed: unknown): string {
  if (cached === undefined && listed === undefined) return `${key} is neither cached nor listed`;
  if (cached === undefined) return `${key} is listed and not cached: an add`;
  if (listed === undefined) return `${key} is cached and not listed: a delete`;
  return `${key} is both cached and listed: an update, or nothing`;
}
