import { describe, expect, it } from 'vitest';
import type { Status } from '../../api/status';
import type { KubeObject, Pod } from '../../api/types';
import { createInDefault as createPod, startApiServer as setup, testPod as pod } from '../api-server.fixture';
import { forbiddenByAdmission } from '../admission/chain';
import type { AdmissionPlugin } from '../pipeline-types';

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

  it('runs mutating admission before the resourceVersion check: a stale update is mutated, then refused 409 without validation or validating admission', () => {
    const seen: string[] = [];
    const plugin: AdmissionPlugin = {
      name: 'Recorder',
      operations: ['UPDATE'],
      mutate: (req) => void seen.push(`mutate rv ${req.object?.metadata.resourceVersion}`),
      validate: () => void seen.push('validate'),
    };
    const { call } = setup({ admission: () => [plugin] });
    const created = createPod(call, pod('web')).body as Pod;
    expect(call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', body: { ...created, metadata: { ...created.metadata, labels: { v: '1' } } } }).code).toBe(200);
    seen.length = 0;
    const stale = call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', body: { ...created, metadata: { ...created.metadata, labels: { v: '2' } } } });
    expect(stale.code).toBe(409);
    expect(seen).toEqual([`mutate rv ${created.metadata.resourceVersion}`]);
  });

  it('answers a mutating plugin\'s refusal of a stale update, not the conflict: admission ran first', () => {
    const refuse: AdmissionPlugin = { name: 'Refuser', operations: ['UPDATE'], mutate: (req) => forbiddenByAdmission(req, 'no updates today') };
    const { call } = setup({ admission: () => [refuse] });
    const created = createPod(call, pod('web')).body as Pod;
    const stale = { ...created, metadata: { ...created.metadata, resourceVersion: '1' } };
    expect(call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', body: stale }).code).toBe(403);
  });
});
