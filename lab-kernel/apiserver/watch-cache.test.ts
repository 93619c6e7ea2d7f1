import { describe, expect, it } from 'vitest';
import { findResource } from '../api/resources';
import { StatusError, type Status } from '../api/status';
import type { Pod, WatchEvent } from '../api/types';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { ERR_COMPACTED } from '../store/store-errors';
import { MvccStore, type RangeResult, type WatchListener, type WatchOptions } from '../store/mvcc-store';
import { ApiServer } from './api-server';
import type { ApiRequest, ApiResponse } from '../api/request';
import { LocalEtcd, StorageError, type Done, type Storage } from '../etcd/storage';
import { WatchCache, type CacheWatch, type WatchCacheOptions } from './watch-cache';

/** LocalEtcd, counting the etcd watches opened and able to end them with an error. */
class CountingEtcd extends LocalEtcd {
  readonly watches: string[] = [];
  private readonly failures: ((err: StorageError) => void)[] = [];

  override watch(key: string, options: WatchOptions, listener: WatchListener, onError: (err: StorageError) => void): () => void {
    this.watches.push(key);
    this.failures.push(onError);
    return super.watch(key, options, listener, onError);
  }

  failWatches(message: string): void {
    for (const f of this.failures.splice(0)) f(new StorageError(message));
  }
}

function setup() {
  const sim = new Simulation({ seed: 1 });
  const store = new MvccStore();
  const etcd = new CountingEtcd(sim, store, 'kube-apiserver');
  const api = new ApiServer(sim, new Network(sim), etcd);
  api.bootstrap();
  const call = (req: ApiRequest): ApiResponse => {
    let res: ApiResponse | undefined;
    api.serve('test', req, (r) => (res = r));
    if (res === undefined) throw new Error('no synchronous reply');
    return res;
  };
  const create = (name: string, labels: Record<string, string> = { app: 'web' }) =>
    call({ verb: 'create', resource: 'pods', namespace: 'default', body: pod(name, labels) }).body as Pod;
  const relabel = (p: Pod, labels: Record<string, string>) =>
    call({ verb: 'update', resource: 'pods', namespace: 'default', name: p.metadata.name, body: { ...p, metadata: { ...p.metadata, labels } } }).body as Pod;
  /** Opens a watch; `seen` collects 'TYPE name' (or 'BOOKMARK rv'), `errors` the Status of a failure. */
  const watch = (req: Partial<ApiRequest>) => {
    const seen: string[] = [];
    const errors: Status[] = [];
    const w = { seen, errors, closed: 0, stop: () => undefined as void };
    w.stop = api.watch('test', { verb: 'watch', resource: 'pods', ...req }, (e) => seen.push(show(e)), (s) => errors.push(s), () => w.closed++);
    return w;
  };
  return { sim, store, etcd, api, call, create, relabel, watch };
}

const pod = (name: string, labels: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
});

function show(e: WatchEvent): string {
  return e.type === 'BOOKMARK' ? `BOOKMARK ${e.object.metadata.resourceVersion}` : `${e.type} ${e.object.metadata.name}`;
}

describe('watch cache: one etcd watch per resource, fanned out (T04.1)', () => {
  it('serves many watchers of a resource from ONE etcd watch, each getting every change', () => {
    const { sim, etcd, create, watch } = setup();
    const started = etcd.watches.filter((k) => k === '/registry/pods/').length;
    const watchers = [watch({}), watch({ namespace: 'default' }), watch({ resourceVersion: '0' })];
    create('a');
    sim.runFor(0);
    expect(started).toBe(1);
    expect(etcd.watches.filter((k) => k === '/registry/pods/')).toHaveLength(1);
    for (const w of watchers) expect(w.seen).toEqual(['ADDED a']);
  });

  it('delivers changes just after the write is answered, not during it', () => {
    const { sim, create, watch } = setup();
    const w = watch({});
    create('a');
    expect(w.seen).toEqual([]);
    sim.runFor(0);
    expect(w.seen).toEqual(['ADDED a']);
  });

  it('with resourceVersion unset: ADDED for the objects the cache holds, then changes', () => {
    const { sim, call, create, watch } = setup();
    create('a');
    create('b');
    const w = watch({});
    expect(w.seen, 'the current state is sent at once').toEqual(['ADDED a', 'ADDED b']);
    call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a' });
    sim.runFor(0);
    expect(w.seen).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
  });

  it('a watch on one name sees only that object', () => {
    const { sim, create, watch } = setup();
    const w = watch({ namespace: 'default', name: 'b' });
    create('a');
    create('b');
    sim.runFor(0);
    expect(w.seen).toEqual(['ADDED b']);
  });
});

describe('watch cache: resuming from a resourceVersion (T04.3)', () => {
  it('replays every change after an exact resourceVersion inside the window, then follows', () => {
    const { sim, create, relabel, watch } = setup();
    const a = create('a');
    create('b');
    relabel(a, { app: 'web', v: '2' });
    const w = watch({ resourceVersion: a.metadata.resourceVersion });
    create('c');
    sim.runFor(0);
    expect(w.seen).toEqual(['ADDED b', 'MODIFIED a', 'ADDED c']);
  });

  it('410 Expired below the window once the oldest events are dropped: "too old resource version: <asked> (<oldest>)"', () => {
    const { sim, create, watch } = setup();
    const first = create('p0');
    for (let i = 1; i < 100; i++) create(`p${i}`);
    sim.runFor(76_000);
    // The history is full (100 events) and its oldest is more than 75 s old: it is dropped.
    create('p100');
    const oldest = Number(first.metadata.resourceVersion);
    const tooOld = watch({ resourceVersion: String(oldest - 1) });
    expect(tooOld.errors).toEqual([
      { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: `too old resource version: ${oldest - 1} (${oldest})` },
    ]);
    const justInside = watch({ resourceVersion: String(oldest) });
    sim.runFor(0);
    expect(justInside.errors).toEqual([]);
    expect(justInside.seen).toHaveLength(100);
    expect(justInside.seen[0]).toBe('ADDED p1');
  });

  it('keeps growing the window while every event is younger than 75 s', () => {
    const { sim, create, watch } = setup();
    const first = create('p0');
    for (let i = 1; i <= 150; i++) create(`p${i}`);
    const w = watch({ resourceVersion: first.metadata.resourceVersion });
    sim.runFor(0);
    expect(w.errors).toEqual([]);
    expect(w.seen).toHaveLength(150);
  });

  it('410 Expired for a resourceVersion from before the cache listed', () => {
    const sim = new Simulation({ seed: 1 });
    const store = new MvccStore();
    store.put('/registry/pods/default/old', JSON.stringify(pod('old', {})));
    store.put('/registry/pods/default/old', JSON.stringify(pod('old', { v: '2' })));
    const cache = new WatchCache(sim, new LocalEtcd(sim, store, 'kube-apiserver'), findResource('pods')!);
    cache.start();
    const err = startWatch(cache, 2);
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).status).toMatchObject({ code: 410, reason: 'Expired', message: 'too old resource version: 2 (3)' });
    expect(startWatch(cache, 3)).not.toBeInstanceOf(Error);
  });

  it('with a small window, resuming one event too far back fails; one event later works', () => {
    const sim = new Simulation({ seed: 1 });
    const store = new MvccStore();
    const cache = smallCache(sim, store, { minCapacity: 2, maxCapacity: 2 });
    for (const name of ['a', 'b', 'c', 'd']) store.put(`/registry/pods/default/${name}`, JSON.stringify(pod(name, {})));
    // Revisions 2..5 written, the window keeps 4 and 5: a watch may start at 3 (changes after 3).
    expect((startWatch(cache, 2) as StatusError).message).toBe('too old resource version: 2 (3)');
    expect(startWatch(cache, 3)).not.toBeInstanceOf(Error);
  });
});

describe('watch cache: BOOKMARK events (allowWatchBookmarks)', () => {
  it('sends a BOOKMARK every minute of virtual time, only to watchers that asked', () => {
    const { sim, create, watch } = setup();
    const asked = watch({ allowWatchBookmarks: true });
    const plain = watch({});
    const a = create('a');
    sim.runFor(60_000);
    expect(asked.seen).toEqual(['ADDED a', `BOOKMARK ${a.metadata.resourceVersion}`]);
    expect(plain.seen).toEqual(['ADDED a']);
    asked.stop();
    sim.runFor(60_000);
    expect(asked.seen, 'a stopped watch gets no more bookmarks').toHaveLength(2);
  });

  it('carries the kind, apiVersion and resourceVersion only', () => {
    const { sim, api } = setup();
    const events: WatchEvent[] = [];
    api.watch('test', { verb: 'watch', resource: 'replicasets', allowWatchBookmarks: true }, (e) => events.push(e), () => undefined);
    sim.runFor(60_000);
    expect(events).toEqual([{ type: 'BOOKMARK', object: { kind: 'ReplicaSet', apiVersion: 'apps/v1', metadata: { resourceVersion: expect.any(String) } } }]);
  });

  it("tells a kubelet whose node none of the changes were on that it has seen them all", () => {
    const { sim, call, create, watch } = setup();
    const kubelet = watch({ allowWatchBookmarks: true, fieldSelector: 'spec.nodeName=node-9' });
    create('a');
    const b = create('b');
    const bound = call({ verb: 'create', resource: 'pods', namespace: 'default', name: 'b', subresource: 'binding', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'b' }, target: { kind: 'Node', name: 'node-1' } } });
    expect(bound.code).toBe(201);
    sim.runFor(60_000);
    const latest = (call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'b' }).body as Pod).metadata.resourceVersion;
    expect(Number(latest)).toBeGreaterThan(Number(b.metadata.resourceVersion));
    expect(kubelet.seen).toEqual([`BOOKMARK ${latest}`]);
  });

  it('advances with etcd progress notifications when other resources change', () => {
    const { sim, store, call, watch } = setup();
    const w = watch({ allowWatchBookmarks: true });
    call({ verb: 'create', resource: 'nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} } });
    store.requestProgress();
    sim.runFor(60_000);
    expect(w.seen).toEqual([`BOOKMARK ${store.revision}`]);
  });
});

describe('watch cache: selectors', () => {
  it('an object that starts matching is ADDED, one that stops matching DELETED, others unseen', () => {
    const { sim, create, relabel, watch } = setup();
    const a = create('a', { app: 'db' });
    const b = create('b', { app: 'web' });
    const w = watch({ labelSelector: 'app=web' });
    const resumed = watch({ labelSelector: 'app=web', resourceVersion: b.metadata.resourceVersion });
    relabel(a, { app: 'web' });
    relabel(b, { app: 'db' });
    create('c', { app: 'db' });
    sim.runFor(0);
    expect(w.seen).toEqual(['ADDED b', 'ADDED a', 'DELETED b']);
    expect(resumed.seen).toEqual(['ADDED a', 'DELETED b']);
  });
});

describe('watch cache: when its etcd watch fails', () => {
  it('answers 429 "storage is (re)initializing" at once; 1 s later closes every watcher without an error and lists again', () => {
    const { sim, etcd, create, watch } = setup();
    create('a');
    const w1 = watch({});
    const w2 = watch({ namespace: 'default' });
    etcd.failWatches('etcdserver: no leader');
    const during = watch({});
    expect(during.errors.map((s) => `${s.code} ${s.message}`)).toEqual(['429 storage is (re)initializing']);
    const before = etcd.watches.length;
    sim.runFor(999);
    expect(w1.closed, 'closed only when the cache lists again, 1 s later').toBe(0);
    sim.runFor(1);
    expect([w1.closed, w2.closed, w1.errors.length, w2.errors.length]).toEqual([1, 1, 0, 0]);
    expect(etcd.watches.slice(before).filter((k) => k === '/registry/pods/'), 'one new etcd watch for pods (every cache whose watch failed lists again)').toHaveLength(1);
    const w3 = watch({});
    create('b');
    sim.runFor(0);
    expect(w3.seen).toEqual(['ADDED a', 'ADDED b']);
  });

  it('after etcd compacted the revision its watch resumes from: 410 for the cache, which lists again; a client below the new list gets 410 "too old resource version"', () => {
    const { sim, store, etcd, create, watch } = setup();
    const a = create('a');
    const w = watch({ resourceVersion: a.metadata.resourceVersion });
    create('b');
    store.compact(store.revision);
    etcd.failWatches(ERR_COMPACTED);
    const failed = sim.trace.all().filter((e) => e.kind === 'error' && e.summary.startsWith('watch cache pods:')).map((e) => e.summary);
    expect(failed).toEqual(['watch cache pods: 410 The resourceVersion for the provided watch is too old.; listing again in 1 s']);
    sim.runFor(1_000);
    expect([w.closed, w.errors.length], 'the stream just ends: no 500 with etcd\'s text').toEqual([1, 0]);
    const listedAt = store.revision;
    create('c');
    const old = watch({ resourceVersion: a.metadata.resourceVersion });
    expect(old.errors.map((s) => `${s.code} ${s.reason} ${s.message}`)).toEqual([`410 Expired too old resource version: ${a.metadata.resourceVersion} (${listedAt})`]);
    const resumed = watch({ resourceVersion: String(listedAt) });
    sim.runFor(0);
    expect(resumed.seen).toEqual(['ADDED c']);
  });
});

describe('watch cache: when its first list fails', () => {
  it('answers 429 until it lists again, 1 s later', () => {
    const sim = new Simulation({ seed: 1 });
    const store = new MvccStore();
    class FlakyEtcd extends LocalEtcd {
      failNextRange = true;
      override range(key: string, options: { prefix: boolean }, summary: string, done: Done<RangeResult>): void {
        if (!this.failNextRange) return super.range(key, options, summary, done);
        this.failNextRange = false;
        done(new StorageError('etcdserver: request timed out'));
      }
    }
    const api = new ApiServer(sim, new Network(sim), new FlakyEtcd(sim, store, 'kube-apiserver'));
    const errors: string[] = [];
    const seen: string[] = [];
    const open = () => api.watch('test', { verb: 'watch', resource: 'namespaces' }, (e) => seen.push(show(e)), (s) => errors.push(`${s.code} ${s.message}`));
    open();
    expect(errors).toEqual(['429 storage is (re)initializing']);
    api.bootstrap();
    sim.runFor(1_000);
    open();
    expect(seen).toEqual(['ADDED default', 'ADDED kube-node-lease', 'ADDED kube-public', 'ADDED kube-system']);
  });
});

function smallCache(sim: Simulation, store: MvccStore, options: WatchCacheOptions): WatchCache {
  const storage: Storage = new LocalEtcd(sim, store, 'kube-apiserver');
  const cache = new WatchCache(sim, storage, findResource('pods')!, options);
  cache.start();
  return cache;
}

/** Starts a cache watch from `rv` on every pod: the watch, or the error it failed with. */
function startWatch(cache: WatchCache, rv: number): CacheWatch | Error {
  try {
    return cache.watch({ key: '/registry/pods/', prefix: true, matches: () => true, resourceVersion: rv, bookmarks: false }, () => undefined, () => undefined);
  } catch (err) {
    return err as Error;
  }
}
