import { describe, expect, it } from 'vitest';
import type { Status } from '../../api/status';
import type { Pod } from '../../api/types';
import { namespaceLifecyclePlugin } from '../admission/namespace-lifecycle';
import { createInDefault as createPod, startApiServer as setup, testPod as pod } from '../api-server.fixture';

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
    const res = createPod(call, { ...pod('web'), metadata: { name: 'web', labels: { app: 'web' }, namespace: 'kube-system' } });
    expect(res).toMatchObject({ code: 400, body: { reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' } });
  });

  it('makes a Job\'s selector in PrepareForCreate, before validation: validating admission sees it', () => {
    const seen: unknown[] = [];
    const { call } = setup({ admission: () => [{ name: 'Recorder', validate: (req) => void (req.info.kind === 'Job' && seen.push((req.object?.spec as { selector?: unknown }).selector)) }] });
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } } };
    const res = call({ verb: 'create', resource: 'jobs', namespace: 'default', body: job });
    expect(res.code).toBe(201);
    const uid = (res.body as Pod).metadata.uid;
    expect(seen).toEqual([{ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } }]);
  });

  it('sets metadata.generation only on kinds whose strategy keeps one: a ReplicaSet gets 1, a ConfigMap and a Pod none', () => {
    const { call } = setup();
    const cm = call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } }).body as Pod;
    const rs = call({ verb: 'create', resource: 'replicasets', namespace: 'default', body: {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } }).body as Pod;
    const created = createPod(call, pod('web')).body as Pod;
    expect([cm.metadata.generation, rs.metadata.generation, created.metadata.generation]).toEqual([undefined, 1, undefined]);
    const changed = call({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: { ...cm, data: { a: '2' } } }).body as Pod;
    expect(changed.metadata.generation, 'a ConfigMap update moves no generation').toBeUndefined();
  });
});
