import { resourceExpired, tooManyRequests } from '../api/status';
import { apiVersionOf, storagePrefix, type ResourceInfo } from '../api/resources';
import type { KubeObject, WatchEvent } from '../api/types';
import type { Simulation, Timer } from '../sim/simulation';
import type { KeyValue, StoreEvent } from '../store/mvcc-store';
import { deepFreeze, deepFreezeSharing } from '../sim/deep-freeze';
import { decode, watchEventFor, withVersion, type DecodedChange } from './codec';
import { TriggerIndex } from './trigger-index';
import type { Steps } from './steps';
import { StorageError, type Storage } from '../etcd/storage';
import { Freshness } from './freshness';
import { EventHistory } from './watch-cache-history';
import { API_SERVER } from './identity';

/** Sizes and periods of a WatchCache; the defaults are kube-apiserver's (see WatchCache). */
export interface WatchCacheOptions {
  /** The history's capacity in events at first (default 100); it only grows. */
  minCapacity?: number;
  /** The most events the history may hold (default 100 * 1024). */
  maxCapacity?: number;
  /** The history grows instead of dropping an event younger than this, in virtual ms (default 75 s). */
  freshMs?: number;
  /** How often a watcher that asked for them gets a BOOKMARK, in virtual ms (default 60 s). */
  bookmarkEveryMs?: number;
}

export const WATCH_CACHE_DEFAULTS: Required<WatchCacheOptions> = {
  minCapacity: 100,
  maxCapacity: 100 * 1024,
  freshMs: 75_000,
  bookmarkEveryMs: 60_000,
};

/** What a watcher follows, and from where. */
export interface CacheWatchRequest {
  /** A storage key (one object) or a key prefix (a namespace, or the whole resource). */
  key: string;
  prefix: boolean;
  /** Its label and field selectors. */
  matches: (obj: KubeObject | undefined) => boolean;
  /** A field its selector pins to one value (the kind's trigger, a kubelet's spec.nodeName=node-1): the cache indexes the watcher by it. */
  trigger?: { field: string; value: string };
  /** undefined: start with ADDED for the current objects; a number: every change after it. */
  resourceVersion: number | undefined;
  /** Send BOOKMARK events (allowWatchBookmarks). */
  bookmarks: boolean;
}

/** How long the cache waits, after its etcd watch or its list failed, before it lists again (the cacher's wait.Until period). */
export const RESTART_AFTER_MS = 1_000;

/** What kube-apiserver makes of etcd's "compacted" on a watch (storage/etcd3/errors.go interpretWatchError). */
export const WATCH_TOO_OLD = 'The resourceVersion for the provided watch is too old.';

/** One object of a list served from the cache, with its storage key (for a continue token). */
export interface CachedItem {
  readonly key: string;
  readonly object: Readonly<KubeObject>;
}

export interface CacheWatch {
  /** The first revision the watcher may see a change of. */
  readonly from: number;
  stop(): void;
}

interface Watcher {
  readonly req: CacheWatchRequest;
  readonly sink: (event: WatchEvent) => void;
  /** The cache closed the watch (it lists again): the stream ends without an error. */
  readonly closed: () => void;
  /** Changes at or below this revision are not for this watcher (it already has them). */
  readonly after: number;
  /** Up to this revision, its own changes have been delivered (deliveredTo() adds the ones not for it). */
  delivered: number;
  /** Deliveries scheduled but not yet made. */
  inFlight: number;
  bookmarkTimer: Timer | undefined;
}

/**
 * The API server's watch cache, as kube-apiserver's cacher does it: one cache per resource,
 * fed by ONE etcd watch, serving every watcher of that resource from memory.
 *
 *   start()                         range /registry/pods/* => 3 pods at revision 40
 *                                   watch /registry/pods/* from revision 41 (the only etcd watch)
 *   watch(pods, rv unset)           => ADDED x3 (the cache's current objects), then changes
 *   watch(pods, rv 45), history 41..60  => replays the changes after 45, then follows
 *   watch(pods, rv 12), history 41..60  => 410 Expired 'too old resource version: 12 (40)'
 *
 * It keeps two things: the current objects (for watchers that start with the current state)
 * and a bounded history of recent events (for watchers that resume from a resourceVersion):
 * a window of up to 102,400 events that drops an event only once it is 75 s old
 * (watch-cache-history.ts).
 *
 * Asked for a resourceVersion the window no longer covers, the watch fails as Kubernetes'
 * does, with 410 Gone, reason Expired, and the oldest resourceVersion still served:
 *   history 41..60, nothing dropped yet (cache listed at 40)  => watch from 40 ok, from 39: 'too old resource version: 39 (40)'
 *   history 53..60, 41..52 dropped                            => watch from 52 ok, from 51: 'too old resource version: 51 (52)'
 *
 * Watchers that ask for bookmarks (allowWatchBookmarks) get, every minute of virtual time
 * (kube-apiserver's defaultBookmarkFrequency), an event carrying only a resourceVersion:
 *   { type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '60' } } }
 * meaning "you have seen everything up to 60": a reconnect from there needs no relist. The
 * cache's revision moves with every event and with etcd's progress notifications (a watch
 * call with no events), so bookmarks advance even when nothing of this resource changes.
 *
 * Changes reach watchers just after the write that made them has been answered (sim.after(0)),
 * in order, as kube-apiserver fans them out asynchronously from its cache.
 *
 * When its etcd watch ends (etcd compacted the revision it resumed from: kube-apiserver reads
 * that as 410 "The resourceVersion for the provided watch is too old."; or any other error),
 * or its list fails, the cache does what the cacher's reflector loop does (cacher.go
 * startCaching): it is not ready at once (a watch or a list it would serve gets 429 "storage is
 * (re)initializing"), and 1 s later it closes every watcher's stream, without an error, and
 * lists again. The history starts over at the new list's revision, so a client that watches
 * again from an older resourceVersion gets 410 'too old resource version: <asked> (<list rv>)':
 *   etcd watch compacted at 95        => (1 s) every watch ends; range /registry/pods/* at 120
 *   watch(pods, rv 93)                => 410 'too old resource version: 93 (120)'; the client lists again
 * (Lab simplification: kube-apiserver's reflector first retries a watch that failed with an
 * internal error, for up to 30 s; the lab lists again after any failure.)
 */
export class WatchCache {
  private readonly prefix: string;
  private readonly options: Required<WatchCacheOptions>;
  private ready = false;
  /** Counts lists: answers of an earlier list or etcd watch are ignored. */
  private generation = 0;
  private stopEtcdWatch: (() => void) | undefined;
  /** Reads waiting for the cache to reach a revision. */
  private readonly freshness: Freshness;
  private readonly objects = new Map<string, KeyValue>();
  /** The latest object decoded at each key (a change's object before is the one after the change before it). */
  private readonly decoded = new Map<string, Readonly<KubeObject>>();
  private readonly history: EventHistory;
  /** The revision the cache is up to date with. */
  private revision = 0;
  /** Every watcher, indexed by its trigger (trigger-index.ts). */
  private readonly watchers = new TriggerIndex<Watcher>();
  /** The last list of each prefix, and the revision it was made at (current()). */
  private readonly lists = new Map<string, { revision: number; objects: readonly Readonly<KubeObject>[] }>();
  /**
   * The changes being handed out now, each decoded once however many watchers see it. Kept only
   * while they are handed out: the history holds each change as etcd sent it, and a watcher
   * that resumes from an older resourceVersion has it decoded again. (kube-apiserver's
   * watchCacheEvent keeps the decoded objects; a simulation holding every version of every
   * pod decoded for 75 s spends its time copying them in the garbage collector.)
   */
  private readonly changes = new Map<StoreEvent, DecodedChange>();

  constructor(
    private readonly sim: Simulation,
    private readonly storage: Storage,
    private readonly info: ResourceInfo,
    options: WatchCacheOptions = {},
  ) {
    this.prefix = storagePrefix(info);
    this.options = Object.assign({}, WATCH_CACHE_DEFAULTS, options);
    this.history = new EventHistory(this.options);
    this.freshness = new Freshness(sim, () => this.revision);
  }

  /** Lists the resource from etcd, then follows it with one etcd watch from the next revision. */
  start(): void {
    const generation = ++this.generation;
    this.storage.range(this.prefix, { prefix: true }, `range ${this.prefix}*`, (r) => {
      if (generation !== this.generation) return;
      if (r instanceof StorageError) return this.restart(`list failed: ${r.message}`);
      this.replace(r.kvs, r.revision);
      this.stopEtcdWatch = this.storage.watch(
        this.prefix,
        { prefix: true, fromRevision: r.revision + 1 },
        (events, revision) => generation === this.generation && this.receive(events, revision),
        (err) => generation === this.generation && this.restart(isCompacted(err) ? `410 ${WATCH_TOO_OLD}` : `500 Internal error occurred: ${err.message}`),
      );
    });
  }

  /** Starts a watcher. 429 while the cache is (re)listing; 410 Expired below the history window. */
  watch(req: CacheWatchRequest, sink: (event: WatchEvent) => void, closed: () => void): CacheWatch {
    this.mustBeReady();
    const start = req.resourceVersion ?? this.revision;
    const oldest = this.history.oldestResourceVersion();
    if (start < oldest) throw resourceExpired(`too old resource version: ${start} (${oldest})`);
    const w: Watcher = { req, sink, closed, after: start, delivered: start, inFlight: 0, bookmarkTimer: undefined };
    if (req.resourceVersion === undefined) {
      for (const key of [...this.objects.keys()].sort()) {
        if (!follows(req, key)) continue;
        const object = this.objectAt(this.objects.get(key)!);
        if (req.matches(object)) sink({ type: 'ADDED', object });
      }
    } else {
      // Only the events after `start`: a watch resumed from where its client was (every few minutes, each reflector) reads no older ones.
      this.advance(w, Math.max(start, this.revision), this.history.after(start));
      this.changes.clear();
    }
    this.watchers.add(w);
    if (req.bookmarks) this.scheduleBookmark(w);
    return {
      from: start + 1,
      stop: () => {
        this.watchers.remove(w);
        if (w.bookmarkTimer !== undefined) this.sim.cancel(w.bookmarkTimer);
      },
    };
  }

  /**
   * The key-value the cache holds at a key, as etcd last told it (undefined while the cache is
   * (re)listing, or when it holds nothing there). It may be behind etcd by the changes still on
   * their way.
   */
  stored(key: string): KeyValue | undefined {
    return this.ready ? this.objects.get(key) : undefined;
  }

  /** Whether the cache has listed and is following etcd. */
  isReady(): boolean {
    return this.ready;
  }

  /** 429 while the cache is (re)listing, as kube-apiserver answers (ResilientWatchCacheInitialization, on in 1.32). */
  mustBeReady(): void {
    if (!this.ready) throw tooManyRequests('storage is (re)initializing', 1);
  }

  /** Whether etcd can be asked for a progress notification (what a consistent list from the cache needs). */
  canRequestProgress(): boolean {
    return this.storage.requestProgress !== undefined;
  }

  /**
   * The objects under a key prefix (or at one key), sorted by key, once the cache has seen
   * `revision` (0: as it is now), and the revision they are as of. A cache behind `revision`
   * asks etcd for a progress notification, then waits for it (at most 3 s: freshness.ts).
   *   yield* cache.list('/registry/pods/default/', true, 0)   // => { revision: 57, items: [{ key, object }, ...] }
   */
  *list(key: string, prefix: boolean, revision: number): Steps<{ revision: number; items: CachedItem[] }> {
    if (this.freshness.behind(revision)) this.storage.requestProgress?.();
    yield* this.freshness.waitFor(revision);
    const keys = prefix ? [...this.objects.keys()].filter((k) => k.startsWith(key)).sort() : this.objects.has(key) ? [key] : [];
    return { revision: this.revision, items: keys.map((k) => ({ key: k, object: this.objectAt(this.objects.get(k)!) })) };
  }

  /**
   * The current objects under a key prefix (or the one object at a key), decoded once and
   * frozen all the way down: what kube-apiserver's own informers give its admission plugins and authorizer.
   *   current('/registry/roles/dev/')  // => the Roles in namespace dev
   */
  current(key: string, prefix: boolean): readonly Readonly<KubeObject>[] {
    if (!prefix) {
      const kv = this.objects.get(key);
      return kv === undefined ? [] : [this.objectAt(kv)];
    }
    // The authorizer lists every Role and binding on every request: while nothing has changed
    // since the last list of this prefix, that list is the answer (frozen, as every reader shares it).
    const last = this.lists.get(key);
    if (last !== undefined && last.revision === this.revision) return last.objects;
    const out: Readonly<KubeObject>[] = [];
    for (const [k, kv] of this.objects) if (k.startsWith(key)) out.push(this.objectAt(kv));
    this.lists.set(key, { revision: this.revision, objects: Object.freeze(out) });
    return out;
  }

  /**
   * The object a key-value holds if the cache has decoded exactly that revision of it already
   * (frozen), else undefined: for a handler that read the key from etcd and needs no copy of its own.
   */
  decodedAt(kv: KeyValue): Readonly<KubeObject> | undefined {
    const last = this.decoded.get(kv.key);
    return last !== undefined && last.metadata.resourceVersion === String(kv.modRevision) ? last : undefined;
  }

  /**
   * The object a key-value holds, decoded once and frozen all the way down (every reader
   * shares it): what an update starting from the cache's copy compares against.
   */
  objectAt(kv: KeyValue): Readonly<KubeObject> {
    const held = this.decodedAt(kv);
    if (held !== undefined) return held;
    const obj = deepFreezeSharing(decode(kv), this.decoded.get(kv.key));
    this.decoded.set(kv.key, obj);
    return obj;
  }

  /** A change as every watcher shares it: decoded on first use. */
  private change(e: StoreEvent): DecodedChange {
    let change = this.changes.get(e);
    if (change === undefined) {
      const before = e.prevKv ? this.objectAt(e.prevKv) : undefined;
      const after = e.type === 'DELETE' ? (before && deepFreeze(withVersion(before, e.kv.modRevision))) : this.objectAt(e.kv);
      this.changes.set(e, (change = { type: e.type, before, after }));
    }
    return change;
  }

  /** One revision from etcd: its events, or none for a progress notification. */
  private receive(events: StoreEvent[], revision: number): void {
    // Decoded here only when a watcher's trigger needs the objects (most changes of most kinds: no).
    const relevant = this.watchers.size === 0 ? [] : this.watchers.relevantTo(() => events.flatMap((e) => [this.change(e).before, this.change(e).after]));
    for (const e of events) {
      if (e.type === 'DELETE') {
        this.objects.delete(e.kv.key);
        this.decoded.delete(e.kv.key);
      } else this.objects.set(e.kv.key, e.kv);
      this.history.remember(e, this.sim.now());
    }
    this.revision = revision;
    // A watcher no event is for is not touched (kube-apiserver's dispatchEvent): what it has seen
    // follows from the cache's revision when its bookmark asks (deliveredTo).
    for (const w of relevant) this.advance(w, revision, events);
    this.changes.clear();
    this.freshness.advanced();
  }

  /** A list: the cache is exactly these objects, its history empty from the list's revision (watch_cache.go Replace). */
  private replace(kvs: readonly KeyValue[], revision: number): void {
    this.objects.clear();
    this.decoded.clear();
    this.lists.clear();
    for (const kv of kvs) this.objects.set(kv.key, kv);
    this.history.reset(revision);
    this.revision = revision;
    this.ready = true;
    this.freshness.advanced();
  }

  /** Hands a watcher what it should see of `events`, just after now; it has then seen up to `revision`. */
  private advance(w: Watcher, revision: number, events: readonly StoreEvent[]): void {
    // Most watchers care about none of a revision's events: no list is made for them.
    let out: WatchEvent[] | undefined;
    for (const e of events) {
      if (e.kv.modRevision <= w.after || !follows(w.req, e.kv.key)) continue;
      const event = watchEventFor(this.change(e), w.req.matches);
      if (event !== undefined) (out ??= []).push(event);
    }
    if (out === undefined && w.inFlight === 0) {
      w.delivered = Math.max(w.delivered, revision);
      return;
    }
    w.inFlight++;
    this.sim.after(0, () => {
      w.inFlight--;
      w.delivered = Math.max(w.delivered, revision);
      out?.forEach(w.sink);
    });
  }

  /**
   * Everything up to this revision has reached the watcher: with nothing on its way to it, all
   * the cache has seen (any change for it would be on its way); else what its last delivery covered.
   */
  private deliveredTo(w: Watcher): number {
    return w.inFlight === 0 ? Math.max(w.delivered, this.revision) : w.delivered;
  }

  private scheduleBookmark(w: Watcher): void {
    w.bookmarkTimer = this.sim.after(this.options.bookmarkEveryMs, () => {
      const object = { kind: this.info.kind, apiVersion: apiVersionOf(this.info), metadata: { resourceVersion: String(this.deliveredTo(w)) } };
      w.sink({ type: 'BOOKMARK', object });
      this.scheduleBookmark(w);
    });
  }

  /**
   * The etcd watch or the list failed: not ready from now on; 1 s later, every watcher's
   * stream is closed and the cache lists again (cacher.go startCaching, terminateAllWatchers).
   */
  private restart(why: string): void {
    this.ready = false;
    const generation = ++this.generation;
    this.stopEtcdWatch?.();
    this.stopEtcdWatch = undefined;
    this.sim.trace.error(this.sim.now(), API_SERVER, `watch cache ${this.info.resource}: ${why}; listing again in ${RESTART_AFTER_MS / 1000} s`);
    this.sim.after(RESTART_AFTER_MS, () => {
      if (generation !== this.generation) return;
      for (const w of this.watchers.all()) {
        this.watchers.remove(w);
        if (w.bookmarkTimer !== undefined) this.sim.cancel(w.bookmarkTimer);
        // After any delivery already scheduled, as the watcher's channel is drained then closed.
        this.sim.after(0, w.closed);
      }
      this.start();
    });
  }
}

/** Whether etcd refused a watch because its revision was compacted. */
function isCompacted(err: StorageError): boolean {
  return err.message.includes('compacted');
}

/** Whether a storage key is one the watcher follows: its object, or one under its prefix. */
function follows(req: CacheWatchRequest, key: string): boolean {
  return req.prefix ? key.startsWith(req.key) : key === req.key;
}
