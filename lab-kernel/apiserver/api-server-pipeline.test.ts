import { describe, expect, it } from 'vitest';
import { StatusError, unauthorized, type Status } from '../api/status';
import type { KubeList, KubeObject, Pod } from '../api/types';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { MvccStore } from '../store/mvcc-store';
import { ApiServer } from './api-server';
import { MAX_REQUEST_BODY_BYTES } from './pipeline';
import { EVENT_TTL_SECONDS } from './strategies/event';
import type { AdmissionPlugin, Authorizer } from './pipeline-types';
import type { ApiRequest, ApiResponse } from '../api/request';
import { LocalEtcd, type Storage } from './storage';
import { startApiServer as setup } from './api-server.fixture';

const pod = (name: string, extra: Partial<Pod['spec']> = {}, labels: Record<string, string> = { app: 'web' }): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...extra },
});
const create = (call: (r: ApiRequest) => ApiResponse, p: KubeObject, resource = 'pods') => call({ verb: 'create', resource, namespace: 'default', body: p });
const message = (res: ApiResponse) => (res.body as Status).message;

const nobodyMayDoAnything: Authorizer = { name: 'Nothing', authorize: () => ({ decision: 'NoOpinion', reason: '' }) };
const bob = () => ({ user: { username: 'bob', groups: ['system:authenticated'] }, by: 'test' });

describe('authentication (T03.2)', () => {
  it('answers 401 Unauthorized when the credentials are presented but not accepted', () => {
    const { call } = setup({ authenticate: () => unauthorized() });
    expect(call({ verb: 'list', resource: 'pods' })).toMatchObject({ code: 401, body: { reason: 'Unauthorized', message: 'Unauthorized' } });
  });

  it('traces who the user is before anything else happens', () => {
    const { call, sim } = setup({ authenticate: bob });
    call({ verb: 'list', resource: 'pods' });
    expect(sim.trace.all().some((e) => e.summary === 'authentication: user "bob" (groups system:authenticated) by test')).toBe(true);
  });
});

describe('authorization (T03.3)', () => {
  it("403 in kube-apiserver's words when no authorizer allows: a list in a namespace", () => {
    const { call } = setup({ authenticate: bob, authorizers: [nobodyMayDoAnything] });
    const res = call({ verb: 'list', resource: 'pods', namespace: 'default' });
    expect(res.code).toBe(403);
    expect(res.body).toMatchObject({ reason: 'Forbidden', message: 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"' });
  });

  it('names the object, the subresource, and "at the cluster scope" where they apply', () => {
    const { call } = setup({ authenticate: bob, authorizers: [nobodyMayDoAnything] });
    expect(message(call({ verb: 'get', resource: 'pods', namespace: 'dev', name: 'web' }))).toBe('pods "web" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "dev"');
    expect(message(call({ verb: 'create', resource: 'pods', namespace: 'dev', name: 'web', subresource: 'binding', body: {} }))).toBe(
      'pods "web" is forbidden: User "bob" cannot create resource "pods/binding" in API group "" in the namespace "dev"',
    );
    expect(message(call({ verb: 'list', resource: 'nodes' }))).toBe('nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope');
    expect(message(call({ verb: 'list', resource: 'replicasets', namespace: 'dev' }))).toBe(
      'replicasets.apps is forbidden: User "bob" cannot list resource "replicasets" in API group "apps" in the namespace "dev"',
    );
  });

  it('refuses watches too, before anything is streamed', () => {
    const { api } = setup({ authenticate: bob, authorizers: [nobodyMayDoAnything] });
    let status: Status | undefined;
    api.watch('test', { verb: 'watch', resource: 'pods' }, () => {}, (s) => (status = s));
    expect(status).toMatchObject({ code: 403 });
  });

  it('asks authorizers in order, and the first Allow wins', () => {
    const allowAll: Authorizer = { name: 'Everything', authorize: () => ({ decision: 'Allow', reason: 'test' }) };
    const { call } = setup({ authenticate: bob, authorizers: [nobodyMayDoAnything, allowAll] });
    expect(call({ verb: 'list', resource: 'pods' }).code).toBe(200);
  });
});

describe('admission (T03.4)', () => {
  const addLabel: AdmissionPlugin = {
    name: 'AddTeam',
    operations: ['CREATE'],
    mutate: (req) => {
      req.object!.metadata.labels = { ...req.object!.metadata.labels, team: 'blue' };
      return undefined;
    },
  };
  const noLatest: AdmissionPlugin = {
    name: 'NoLatest',
    validate: (req) => ((req.object as Pod | undefined)?.spec.containers.some((c) => !c.image.includes(':')) ? new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', message: 'pick a tag', code: 403 }) : undefined),
  };

  it('runs mutating plugins before validation and validating plugins after, in that order in the trace', () => {
    const { call, sim } = setup({ authenticate: bob, admission: () => [addLabel, noLatest] });
    const res = create(call, pod('web'));
    expect(res.code).toBe(201);
    expect((res.body as Pod).metadata.labels).toEqual({ app: 'web', team: 'blue' });
    const stages = sim.trace
      .all()
      .filter((e) => e.actor === 'kube-apiserver' && (e.data as { stage?: string } | undefined)?.stage !== undefined)
      .map((e) => (e.data as { stage: string }).stage);
    expect(stages.slice(-4)).toEqual(['authentication', 'mutating admission', 'validation', 'validating admission']);
  });

  it('a refusal ends the request with the status the plugin gave, and nothing is stored', () => {
    const { call, store } = setup({ admission: () => [noLatest] });
    const res = create(call, { ...pod('web'), spec: { containers: [{ name: 'web', image: 'nginx' }] } });
    expect(res).toMatchObject({ code: 403, body: { message: 'pick a tag' } });
    expect(store.get('/registry/pods/default/web')).toBeUndefined();
  });

  it('a plugin that throws is a 500 naming it, not a crash', () => {
    const broken: AdmissionPlugin = { name: 'Broken', validate: () => { throw new Error('oops'); } };
    const { call } = setup({ admission: () => [broken] });
    expect(create(call, pod('web'))).toMatchObject({ code: 500, body: { message: 'Internal error occurred: admission plugin "Broken" failed: oops' } });
  });
});

describe('request limits and dry-run', () => {
  it('answers 413 for a body over 3 MiB', () => {
    const { call } = setup();
    const big = { ...pod('big'), metadata: { name: 'big', annotations: { blob: 'x'.repeat(MAX_REQUEST_BODY_BYTES) } } };
    expect(create(call, big)).toMatchObject({ code: 413, body: { reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' } });
  });

  it('dry-run runs every stage and answers as if created, but stores nothing', () => {
    const { call, store } = setup();
    const res = call({ verb: 'create', resource: 'pods', namespace: 'default', body: pod('web'), dryRun: true });
    expect(res.code).toBe(201);
    expect((res.body as Pod).spec.restartPolicy).toBe('Always');
    expect(store.get('/registry/pods/default/web')).toBeUndefined();
    expect(call({ verb: 'create', resource: 'pods', namespace: 'default', body: { ...pod('BAD') }, dryRun: true }).code).toBe(422);
  });
});

describe('patch (T03.7)', () => {
  it('a merge patch changes what it names; a spec change bumps generation', () => {
    const { call } = setup();
    call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } } });
    const res = call({ verb: 'patch', resource: 'configmaps', namespace: 'default', name: 'c', patchType: 'application/merge-patch+json', body: { data: { a: null, c: '3' } } });
    expect(res.code).toBe(200);
    expect((res.body as KubeObject).data).toEqual({ b: '2', c: '3' });
  });

  it('a JSON patch whose test fails is 422 and changes nothing', () => {
    const { call } = setup();
    create(call, pod('web'));
    const res = call({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'web', patchType: 'application/json-patch+json', body: [{ op: 'test', path: '/metadata/labels/app', value: 'db' }] });
    expect(res).toMatchObject({ code: 422, body: { reason: 'Invalid', message: 'testing value /metadata/labels/app failed: test failed' } });
  });

  it('a patch naming a stale resourceVersion is a 409 Conflict', () => {
    const { call } = setup();
    const created = create(call, pod('web')).body as Pod;
    call({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'web', patchType: 'application/merge-patch+json', body: { metadata: { labels: { v: '2' } } } });
    const res = call({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'web', patchType: 'application/merge-patch+json', body: { metadata: { resourceVersion: created.metadata.resourceVersion, labels: { v: '3' } } } });
    expect(res.code).toBe(409);
  });
});

describe('list in pages: limit and continue (T03.7)', () => {
  it('pages through one snapshot: every page at the first page\'s resourceVersion, with remainingItemCount', () => {
    const { call } = setup();
    for (const n of ['a', 'b', 'c', 'd', 'e']) create(call, pod(n));
    const page1 = call({ verb: 'list', resource: 'pods', namespace: 'default', limit: 2 }).body as KubeList;
    expect(page1.items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(page1.metadata.remainingItemCount).toBe(3);
    create(call, pod('f')); // after the snapshot: not in the pages
    const page2 = call({ verb: 'list', resource: 'pods', namespace: 'default', limit: 2, continue: page1.metadata.continue }).body as KubeList;
    const page3 = call({ verb: 'list', resource: 'pods', namespace: 'default', limit: 2, continue: page2.metadata.continue }).body as KubeList;
    expect(page2.items.map((p) => p.metadata.name)).toEqual(['c', 'd']);
    expect(page3.items.map((p) => p.metadata.name)).toEqual(['e']);
    expect(page3.metadata.continue).toBeUndefined();
    expect(new Set([page1, page2, page3].map((p) => p.metadata.resourceVersion)).size).toBe(1);
  });

  it('a token whose revision etcd has compacted is 410 Expired; a garbled token is 400', () => {
    const { call, store } = setup();
    for (const n of ['a', 'b', 'c']) create(call, pod(n));
    const page1 = call({ verb: 'list', resource: 'pods', namespace: 'default', limit: 1 }).body as KubeList;
    create(call, pod('d'));
    store.compact(store.revision);
    expect(call({ verb: 'list', resource: 'pods', namespace: 'default', limit: 1, continue: page1.metadata.continue })).toMatchObject({ code: 410, body: { reason: 'Expired' } });
    expect(call({ verb: 'list', resource: 'pods', namespace: 'default', continue: 'nonsense' }).code).toBe(400);
  });
});

describe('delete: grace periods, finalizers, propagation (T03.7)', () => {
  it('a pod on a node is only marked: deletionTimestamp 30 s ahead; a second delete with grace 0 removes it', () => {
    const { call, store, sim } = setup();
    create(call, pod('web', { nodeName: 'node-1' }));
    const marked = call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web' });
    expect(marked.code).toBe(200);
    expect((marked.body as Pod).metadata).toMatchObject({ deletionGracePeriodSeconds: 30 });
    expect(Date.parse((marked.body as Pod).metadata.deletionTimestamp!) - Date.parse('2025-01-01T00:00:00Z')).toBe(sim.now() + 30_000);
    expect(store.get('/registry/pods/default/web')).toBeDefined();
    call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web', gracePeriodSeconds: 0 });
    expect(store.get('/registry/pods/default/web')).toBeUndefined();
  });

  it('a pod that never reached a node is removed at once', () => {
    const { call, store } = setup();
    create(call, pod('web'));
    call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web' });
    expect(store.get('/registry/pods/default/web')).toBeUndefined();
  });

  it('an object with a finalizer stays until an update removes the last finalizer', () => {
    const { call, store } = setup();
    call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['example.com/cleanup'] } } });
    const marked = call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'c' }).body as KubeObject;
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(call({ verb: 'patch', resource: 'configmaps', namespace: 'default', name: 'c', patchType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } }).code).toBe(200);
    expect(store.get('/registry/configmaps/default/c')).toBeUndefined();
  });

  it('propagationPolicy Orphan and Foreground add the garbage collector\'s finalizers', () => {
    const { call } = setup();
    for (const [name, policy, finalizer] of [['o', 'Orphan', 'orphan'], ['f', 'Foreground', 'foregroundDeletion']] as const) {
      call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });
      const res = call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name, propagationPolicy: policy });
      expect((res.body as KubeObject).metadata.finalizers).toEqual([finalizer]);
    }
  });

  it('a namespace is marked Terminating; removing finalizer kubernetes through /finalize removes it', () => {
    const { call, store } = setup();
    call({ verb: 'create', resource: 'namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } } });
    const marked = call({ verb: 'delete', resource: 'namespaces', name: 'dev' }).body as KubeObject;
    expect((marked.status as { phase: string }).phase).toBe('Terminating');
    call({ verb: 'update', resource: 'namespaces', name: 'dev', subresource: 'finalize', body: { ...marked, spec: { finalizers: [] } } });
    expect(store.get('/registry/namespaces/dev')).toBeUndefined();
  });

  it('deletecollection deletes what the selector matches, and only that', () => {
    const { call } = setup();
    create(call, pod('a', {}, { app: 'web' }));
    create(call, pod('b', {}, { app: 'web' }));
    create(call, pod('c', {}, { app: 'db' }));
    const res = call({ verb: 'deletecollection', resource: 'pods', namespace: 'default', labelSelector: 'app=web' });
    expect((res.body as KubeList).items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect((call({ verb: 'list', resource: 'pods', namespace: 'default' }).body as KubeList).items.map((p) => p.metadata.name)).toEqual(['c']);
  });
});

describe('Events expire (T03.9)', () => {
  it('an Event is stored under a lease of --event-ttl (1 h): etcd deletes it by itself after that', () => {
    const { call, store, sim } = setup();
    const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Test', message: 'hello', type: 'Normal' };
    expect(call({ verb: 'create', resource: 'events', namespace: 'default', body: event }).code).toBe(201);
    expect(store.get('/registry/events/default/web.1')?.lease).toBeGreaterThan(0);
    sim.runFor(EVENT_TTL_SECONDS * 1000 - 1000);
    expect(store.get('/registry/events/default/web.1')).toBeDefined();
    sim.runFor(2000);
    expect(store.get('/registry/events/default/web.1')).toBeUndefined();
  });
});

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
});
