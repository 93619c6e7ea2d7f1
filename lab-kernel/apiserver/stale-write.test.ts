import { describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse } from '../api/request';
import type { KubeObject } from '../api/types';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { MvccStore } from '../store/mvcc-store';
import { ApiServer } from './api-server';
import { LocalEtcd, type Storage } from '../etcd/storage';

describe('writes that lose a race (GuaranteedUpdate)', () => {
  /** etcd that answers 5 ms late, so two writes can read the same revision before either lands. */
  function slowSetup() {
    const sim = new Simulation({ seed: 1 });
    const store = new MvccStore();
    const local = new LocalEtcd(sim, store, 'kube-apiserver');
    const slow: Storage = {
      range: (k, o, s, done) => sim.after(5, () => local.range(k, o, s, done)),
      txn: (c, ops, s, done) => sim.after(5, () => local.txn(c, ops, s, done)),
      watch: (k, o, l, e) => local.watch(k, o, l, e),
    };
    const api = new ApiServer(sim, new Network(sim), slow);
    api.bootstrap();
    sim.runFor(100);
    const send = (req: ApiRequest) => {
      const out: { res?: ApiResponse } = {};
      api.serve('test', req, (r) => (out.res = r));
      return out;
    };
    return { sim, send };
  }

  it('retries an update that names no resourceVersion, and a delete, on the fresh object instead of answering 409', () => {
    const { sim, send } = slowSetup();
    send({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { n: '0' } } });
    sim.runFor(100);
    const cm = (n: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { n } });
    const a = send({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: cm('1') });
    const b = send({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: cm('2') });
    sim.runFor(200);
    expect([a.res?.code, b.res?.code]).toEqual([200, 200]);
    // The patch lands first; the delete, which read the same revision, tries again and deletes.
    const e = send({ verb: 'patch', resource: 'configmaps', namespace: 'default', name: 'c', patchType: 'application/merge-patch+json', body: { data: { n: '3' } } });
    const d = send({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'c' });
    sim.runFor(200);
    expect([e.res?.code, d.res?.code]).toEqual([200, 200]);
    expect((d.res?.body as KubeObject).data).toEqual({ n: '3' });
  });

  it('still answers 409 when the client pinned the resourceVersion it read', () => {
    const { sim, send } = slowSetup();
    const created = send({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } });
    sim.runFor(100);
    const rv = (created.res!.body as KubeObject).metadata.resourceVersion;
    const pinned = (n: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: rv }, data: { n } });
    const a = send({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: pinned('1') });
    const b = send({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: pinned('2') });
    sim.runFor(200);
    expect([a.res?.code, b.res?.code].sort()).toEqual([200, 409]);
  });

  /** etcd whose watch reaches the API server's cache 50 ms late, with every call's summary recorded. */
  function laggingCacheSetup() {
    const sim = new Simulation({ seed: 1 });
    const local = new LocalEtcd(sim, new MvccStore(), 'kube-apiserver');
    const calls: string[] = [];
    const lagging: Storage = {
      range: (k, o, s, done) => (calls.push(s), local.range(k, o, s, done)),
      txn: (c, ops, s, done) => local.txn(c, ops, s, (r) => (calls.push(`${s}: ${'succeeded' in r && r.succeeded ? 'ok' : 'compare failed'}`), done(r))),
      watch: (k, o, l, e) => local.watch(k, o, (events, rev) => sim.after(50, () => l(events, rev)), e),
    };
    const api = new ApiServer(sim, new Network(sim), lagging);
    api.bootstrap();
    sim.runFor(200);
    const send = (req: ApiRequest) => {
      const out: { res?: ApiResponse } = {};
      api.serve('test', req, (r) => (out.res = r));
      return out;
    };
    const cm = (n: string, resourceVersion?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion }, data: { n } });
    send({ verb: 'create', resource: 'configmaps', namespace: 'default', body: cm('0') });
    sim.runFor(200);
    calls.length = 0;
    return { sim, send, calls, cm };
  }

  it('starts an update from the watch cache copy: one transaction, no read from etcd', () => {
    const { sim, send, calls, cm } = laggingCacheSetup();
    const a = send({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: cm('1') });
    sim.runFor(10);
    expect(a.res?.code).toBe(200);
    expect(calls).toEqual(['txn update /registry/configmaps/default/c: ok']);
  });

  it('when the cache copy is behind etcd, the update loses the compare-and-swap, reads etcd and tries again', () => {
    const { sim, send, calls, cm } = laggingCacheSetup();
    const a = send({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: cm('1') });
    sim.runFor(10);
    const b = send({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: cm('2') });
    sim.runFor(10);
    expect([a.res?.code, b.res?.code]).toEqual([200, 200]);
    expect(calls).toEqual([
      'txn update /registry/configmaps/default/c: ok',
      'txn update /registry/configmaps/default/c: compare failed',
      'range /registry/configmaps/default/c',
      'txn update /registry/configmaps/default/c: ok',
    ]);
  });

  it('accepts a resourceVersion that is current in etcd though the cache has not seen it yet, and refuses 409 one that is stale in etcd too', () => {
    const { sim, send, calls, cm } = laggingCacheSetup();
    const a = send({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: cm('1') });
    sim.runFor(10);
    const current = (a.res!.body as KubeObject).metadata.resourceVersion;
    const b = send({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: cm('2', current) });
    sim.runFor(10);
    expect(b.res?.code).toBe(200);
    expect(calls.slice(1)).toEqual(['range /registry/configmaps/default/c', 'txn update /registry/configmaps/default/c: ok']);
    sim.runFor(200);
    const stale = send({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: cm('3', current) });
    sim.runFor(10);
    expect(stale.res?.code).toBe(409);
  });
});
