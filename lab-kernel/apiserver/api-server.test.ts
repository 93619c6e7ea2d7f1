import { describe, expect, it } from 'vitest';
import type { Status } from '../api/status';
import type { KubeList, KubeObject, Pod, WatchEvent } from '../api/types';
import { namespaceLifecyclePlugin } from './admission/namespace-lifecycle';
import type { ApiRequest, ApiResponse } from '../api/request';
import { startApiServer as setup } from './api-server.fixture';

const pod = (name: string, extra: Partial<Pod['metadata']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' }, ...extra },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
});
const createPod = (call: (r: ApiRequest) => ApiResponse, p: Pod) => call({ verb: 'create', resource: 'pods', namespace: 'default', body: p });

describe('ApiServer: create (T03.7)', () => {
  it('answers 201 with uid, creationTimestamp, resourceVersion, and defaults filled in', () => {
    const { call, store } = setup();
    const res = createPod(call, pod('web'));
    expect(res.code).toBe(201);
    const body = res.body as Pod;
    expect(body.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.metadata.creationTimestamp).toBe('2025-01-01T00:00:00Z');
    expect(body.metadata.resourceVersion).toBe(String(store.revision));
    expect(body.spec).toMatchObject({ restartPolicy: 'Always', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 });
    expect(body.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(body.status?.phase).toBe('Pending');
  });

  it('stores the object as JSON under /registry/<resource>/<namespace>/<name>, without resourceVersion', () => {
    const { call, store } = setup();
    createPod(call, pod('web'));
    const stored = JSON.parse(store.get('/registry/pods/default/web')!.value) as Pod;
    expect(stored.metadata.name).toBe('web');
    expect(stored.metadata.resourceVersion).toBeUndefined();
  });

  it('stores nodes under /registry/minions', () => {
    const { call, store } = setup();
    expect(call({ verb: 'create', resource: 'nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} } }).code).toBe(201);
    expect(store.get('/registry/minions/n1')).toBeDefined();
  });

  it('generates a name from generateName: prefix + 5 characters of bcdfghjklmnpqrstvwxz2456789', () => {
    const { call } = setup();
    const res = createPod(call, { ...pod(''), metadata: { generateName: 'web-' } });
    expect((res.body as Pod).metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('409 AlreadyExists for a second object with the same name', () => {
    const { call } = setup();
    createPod(call, pod('web'));
    const res = createPod(call, pod('web'));
    expect(res.code).toBe(409);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'AlreadyExists', message: 'pods "web" already exists', details: { name: 'web', kind: 'pods' } });
  });

  it('404 when the namespace does not exist (the NamespaceLifecycle admission plugin)', () => {
    const { call } = setup({ admission: () => [namespaceLifecyclePlugin()] });
    const res = call({ verb: 'create', resource: 'pods', namespace: 'nope', body: pod('web') });
    expect(res).toMatchObject({ code: 404, body: { reason: 'NotFound', message: 'namespaces "nope" not found' } });
  });

  it('422 Invalid with one cause per field, in the API server message format', () => {
    const { call } = setup();
    const res = createPod(call, { ...pod('Bad_Name'), spec: { containers: [] } });
    const status = res.body as Status;
    expect(res.code).toBe(422);
    expect(status.reason).toBe('Invalid');
    expect(status.message).toMatch(/^Pod "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain .*, spec\.containers: Required value\]$/);
    expect(status.details?.causes?.map((c) => c.field)).toEqual(['metadata.name', 'spec.containers']);
  });

  it('400 when the body names another namespace than the URL', () => {
    const { call } = setup();
    const res = createPod(call, pod('web', { namespace: 'kube-system' }));
    expect(res).toMatchObject({ code: 400, body: { reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' } });
  });
});

describe('ApiServer: read', () => {
  it('404 NotFound names the resource, with the group for non-core kinds', () => {
    const { call } = setup();
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'x' }).body).toMatchObject({ code: 404, message: 'pods "x" not found' });
    expect(call({ verb: 'get', resource: 'replicasets', namespace: 'default', name: 'x' }).body).toMatchObject({ message: 'replicasets.apps "x" not found' });
  });

  it('lists with label and field selectors, carrying the store revision as the list resourceVersion', () => {
    const { call, store } = setup();
    createPod(call, pod('a'));
    createPod(call, { ...pod('b'), metadata: { name: 'b', labels: { app: 'db' } } });
    const byLabel = call({ verb: 'list', resource: 'pods', namespace: 'default', labelSelector: 'app=web' }).body as KubeList;
    expect(byLabel.items.map((p) => p.metadata.name)).toEqual(['a']);
    expect(byLabel.metadata.resourceVersion).toBe(String(store.revision));
    const byField = call({ verb: 'list', resource: 'pods', fieldSelector: 'metadata.name=b' }).body as KubeList;
    expect(byField.items.map((p) => p.metadata.name)).toEqual(['b']);
    expect(call({ verb: 'list', resource: 'pods', fieldSelector: 'spec.nope=1' })).toMatchObject({ code: 400, body: { message: 'field label not supported: spec.nope' } });
  });
});

describe('ApiServer: update and optimistic concurrency (T03.6)', () => {
  it('409 Conflict when the resourceVersion is stale, with the exact Kubernetes message', () => {
    const { call } = setup();
    const created = createPod(call, pod('web')).body as Pod;
    const first = { ...created, metadata: { ...created.metadata, labels: { app: 'web', v: '1' } } };
    const second = { ...created, metadata: { ...created.metadata, labels: { app: 'web', v: '2' } } };
    expect(call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', body: first }).code).toBe(200);
    const res = call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', body: second });
    expect(res.code).toBe(409);
    expect((res.body as Status).message).toBe(
      'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('ignores status on the main endpoint and everything but status on /status', () => {
    const { call } = setup();
    const created = createPod(call, pod('web')).body as Pod;
    const viaMain = call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', body: { ...created, status: { phase: 'Running' } } });
    expect((viaMain.body as Pod).status?.phase).toBe('Pending');
    const viaStatus = call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', subresource: 'status', body: { ...created, metadata: { ...created.metadata, labels: { x: 'y' } }, status: { phase: 'Running' } } });
    expect((viaStatus.body as Pod).status?.phase).toBe('Running');
    expect((viaStatus.body as Pod).metadata.labels).toEqual({ app: 'web' });
  });

  it('bumps generation when the spec changes, and writes nothing for a no-op update', () => {
    const { call, store } = setup();
    const rs = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
    };
    const created = call({ verb: 'create', resource: 'replicasets', namespace: 'default', body: rs }).body as KubeObject & { spec: { replicas: number } };
    const before = store.revision;
    expect(call({ verb: 'update', resource: 'replicasets', namespace: 'default', name: 'web', body: created }).body).toMatchObject({ metadata: { resourceVersion: created.metadata.resourceVersion } });
    expect(store.revision).toBe(before);
    const scaled = call({ verb: 'update', resource: 'replicasets', namespace: 'default', name: 'web', body: { ...created, spec: { ...created.spec, replicas: 3 } } }).body as KubeObject;
    expect(scaled.metadata.generation).toBe(2);
  });

  it('refuses to change a ReplicaSet selector: field is immutable', () => {
    const { call } = setup();
    const rs = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', v: '2' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    const created = call({ verb: 'create', resource: 'replicasets', namespace: 'default', body: rs }).body as typeof rs;
    const res = call({ verb: 'update', resource: 'replicasets', namespace: 'default', name: 'web', body: { ...created, spec: { ...created.spec, selector: { matchLabels: { v: '2' } } } } });
    expect(res.code).toBe(422);
    expect((res.body as Status).message).toContain('spec.selector: Invalid value: {"matchLabels":{"v":"2"}}: field is immutable');
  });
});

describe('ApiServer: binding', () => {
  it('sets spec.nodeName once; binding again is a 409 Conflict', () => {
    const { call } = setup();
    createPod(call, pod('web'));
    const bind = (node: string) => call({ verb: 'create', resource: 'pods', subresource: 'binding', namespace: 'default', name: 'web', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Node', name: node } } });
    expect(bind('node-1')).toMatchObject({ code: 201, body: { kind: 'Status', status: 'Success' } });
    expect((call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }).body as Pod).spec.nodeName).toBe('node-1');
    expect(bind('node-2')).toMatchObject({ code: 409, body: { message: 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"' } });
  });
});

const fail = (status: Status) => {
  throw new Error(`watch failed: ${status.message}`);
};

describe('ApiServer: watch (T04.1)', () => {
  it('from an exact resourceVersion: every change after it, in order', () => {
    const { call, api, sim } = setup();
    const a = createPod(call, pod('a')).body as Pod;
    createPod(call, pod('b'));
    const seen: string[] = [];
    api.watch('test', { verb: 'watch', resource: 'pods', namespace: 'default', resourceVersion: a.metadata.resourceVersion }, (e: WatchEvent) => seen.push(`${e.type} ${e.object.metadata.name}`), fail);
    call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a' });
    expect(seen, 'changes reach watchers after the write is answered, not during it').toEqual([]);
    sim.runFor(0);
    expect(seen).toEqual(['ADDED b', 'DELETED a']);
  });

  it('without a resourceVersion: ADDED for what exists, then changes', () => {
    const { call, api, sim } = setup();
    createPod(call, pod('a'));
    const seen: string[] = [];
    api.watch('test', { verb: 'watch', resource: 'pods' }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`), fail);
    createPod(call, pod('b'));
    sim.runFor(0);
    expect(seen).toEqual(['ADDED a', 'ADDED b']);
  });

  it('with a selector: an object that stops matching is DELETED for that watcher', () => {
    const { call, api, sim } = setup();
    const created = createPod(call, pod('a')).body as Pod;
    const seen: string[] = [];
    api.watch('test', { verb: 'watch', resource: 'pods', labelSelector: 'app=web' }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`), fail);
    call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'a', body: { ...created, metadata: { ...created.metadata, labels: { app: 'db' } } } });
    sim.runFor(0);
    expect(seen).toEqual(['ADDED a', 'DELETED a']);
  });
});
