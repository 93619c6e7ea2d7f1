import { describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse } from '../../api/request';
import type { KubeList, KubeObject } from '../../api/types';
import { LocalEtcd } from '../../etcd/storage';
import { Network } from '../../sim/network';
import { Simulation } from '../../sim/simulation';
import { MvccStore } from '../../store/mvcc-store';
import { createInDefault as create, startApiServer, testPod as pod } from '../api-server.fixture';
import { ApiServer } from '../api-server';

/** An API server with pods a, b, c, then a ConfigMap written after them (etcd's revision moves on, the pods cache's does not). */
function setup() {
  const s = startApiServer();
  for (const n of ['a', 'b', 'c']) create(s.call, pod(n));
  const podsAt = s.store.revision;
  create(s.call, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, 'configmaps');
  const from = s.sim.trace.all().length;
  /** What the API server asked etcd since the setup (or since the last call of etcdCalls). */
  let seen = from;
  const etcdCalls = () => {
    const all = s.sim.trace.all();
    const calls = all.slice(seen).filter((e) => e.kind === 'message' && e.to === 'etcd').map((e) => e.summary);
    seen = all.length;
    return calls;
  };
  const list = (req: Partial<ApiRequest>) => s.call({ verb: 'list', resource: 'pods', namespace: 'default', ...req });
  return { ...s, podsAt, etcdCalls, list };
}

const names = (res: ApiResponse) => (res.body as KubeList).items.map((o: KubeObject) => o.metadata.name);
const rv = (res: ApiResponse) => (res.body as KubeList).metadata.resourceVersion;

describe('where a list is served from (kube-apiserver 1.32, ConsistentListFromCache)', () => {
  it('without resourceVersion: from the watch cache, after reading etcd\'s current revision and a progress notification', () => {
    const { store, list, etcdCalls } = setup();
    const res = list({});
    expect(names(res)).toEqual(['a', 'b', 'c']);
    expect(etcdCalls(), 'no range of every pod: only the current revision, then a progress request').toEqual(['range /registry/pods/ (current revision)', 'watch progress request']);
    expect(rv(res), "as fresh as etcd: the ConfigMap's revision, which the pods cache learnt from the progress notification").toBe(String(store.revision));
  });

  it('with resourceVersion "0": from the cache as it is, possibly stale, without asking etcd; a limit is ignored', () => {
    const { list, etcdCalls, podsAt } = setup();
    const res = list({ resourceVersion: '0', limit: 2 });
    expect(names(res)).toEqual(['a', 'b', 'c']);
    expect((res.body as KubeList).metadata.continue).toBeUndefined();
    expect(rv(res), "the pods cache's own revision, behind etcd's").toBe(String(podsAt));
    expect(etcdCalls()).toEqual([]);
  });

  it('with limit and no resourceVersion: the first page from the cache, the next ones from etcd at its revision', () => {
    const { store, list, etcdCalls } = setup();
    const page1 = list({ limit: 2 });
    expect([names(page1), (page1.body as KubeList).metadata.remainingItemCount]).toEqual([['a', 'b'], 1]);
    expect(etcdCalls()).toEqual(['range /registry/pods/ (current revision)', 'watch progress request']);
    const page2 = list({ limit: 2, continue: (page1.body as KubeList).metadata.continue });
    expect(names(page2)).toEqual(['c']);
    expect(etcdCalls()).toEqual([`range /registry/pods/default/* at revision ${store.revision}`]);
  });

  it('with limit and an exact resourceVersion, or resourceVersionMatch=Exact: from etcd at that revision; compacted: 410', () => {
    const { store, list, etcdCalls, podsAt } = setup();
    expect(names(list({ limit: 5, resourceVersion: String(podsAt - 1) }))).toEqual(['a', 'b']);
    expect(names(list({ resourceVersionMatch: 'Exact', resourceVersion: String(podsAt - 2) }))).toEqual(['a']);
    expect(etcdCalls()).toEqual([`range /registry/pods/default/* at revision ${podsAt - 1}`, `range /registry/pods/default/* at revision ${podsAt - 2}`]);
    store.compact(store.revision);
    expect(list({ resourceVersionMatch: 'Exact', resourceVersion: String(podsAt) }).body).toMatchObject({ code: 410, reason: 'Expired', message: 'The resourceVersion for the provided list is too old.' });
  });

  it('with resourceVersion N (not older than): from the cache once it has seen N; 504 "Too large resource version" after 3 s', () => {
    const { sim, api, store, list, etcdCalls } = setup();
    expect(rv(list({ resourceVersion: String(store.revision) })), 'the progress notification brings the cache to N').toBe(String(store.revision));
    expect(etcdCalls()).toEqual(['watch progress request']);
    const future = store.revision + 5;
    let res: ApiResponse | undefined;
    api.serve('test', { verb: 'list', resource: 'pods', resourceVersion: String(future) }, (r) => (res = r));
    sim.runFor(2_999);
    expect(res, 'still waiting for the cache').toBeUndefined();
    sim.runFor(1);
    expect(res?.body).toMatchObject({ code: 504, reason: 'Timeout', message: `Timeout: Too large resource version: ${future}, current: ${store.revision}`, details: { causes: [{ reason: 'ResourceVersionTooLarge' }] } });
  });

  it('a get without resourceVersion reads etcd; with resourceVersion "0", the cache', () => {
    const { call, etcdCalls } = setup();
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'b' }).code).toBe(200);
    expect(etcdCalls()).toEqual(['range /registry/pods/default/b']);
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'b', resourceVersion: '0' }).code).toBe(200);
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'x', resourceVersion: '0' }).body).toMatchObject({ code: 404, message: 'pods "x" not found' });
    expect(etcdCalls()).toEqual([]);
  });

  it('without resourceVersion, on an etcd that cannot send progress notifications: from etcd', () => {
    const sim = new Simulation({ seed: 1 });
    const store = new MvccStore();
    class NoProgressEtcd extends LocalEtcd {}
    Object.defineProperty(NoProgressEtcd.prototype, 'requestProgress', { value: undefined });
    const api = new ApiServer(sim, new Network(sim), new NoProgressEtcd(sim, store, 'kube-apiserver'));
    api.bootstrap();
    const from = sim.trace.all().length;
    api.serve('test', { verb: 'list', resource: 'namespaces' }, () => undefined);
    expect(sim.trace.all().slice(from).filter((e) => e.to === 'etcd').map((e) => e.summary)).toEqual(['range /registry/namespaces/*']);
  });
});
