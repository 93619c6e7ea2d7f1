import { describe, expect, it } from 'vitest';
import type { Status } from '../../api/status';
import type { Deployment, KubeObject, Scale } from '../../api/types';
import { createInDefault, startApiServer, testPod } from '../api-server.fixture';

const web = (replicas: number): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web', tier: 'fe' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: testPod('x').spec } },
  }) as KubeObject;

const scaleOfWeb = { verb: 'get', resource: 'deployments', subresource: 'scale', namespace: 'default', name: 'web' } as const;

describe('the scale subresource (autoscaling/v1 Scale)', () => {
  it('GET deployments/web/scale answers a Scale with the parent metadata, its replicas and its selector as a string', () => {
    const { call } = startApiServer();
    const created = createInDefault(call, web(2), 'deployments').body as Deployment;
    const scale = call(scaleOfWeb);
    expect(scale.code).toBe(200);
    const { name, namespace, uid, resourceVersion, creationTimestamp } = created.metadata;
    expect(scale.body).toEqual({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
      spec: { replicas: 2 },
      status: { replicas: 0, selector: 'app=web,tier=fe' },
    });
  });

  it('a PATCH of the Scale changes the parent spec.replicas, and its generation goes up', () => {
    const { call } = startApiServer();
    createInDefault(call, web(1), 'deployments');
    const patched = call({ ...scaleOfWeb, verb: 'patch', patchType: 'application/merge-patch+json', body: { spec: { replicas: 3 } } });
    expect(patched.code).toBe(200);
    expect((patched.body as Scale).spec.replicas).toBe(3);
    const d = call({ verb: 'get', resource: 'deployments', namespace: 'default', name: 'web' }).body as Deployment;
    expect([d.spec.replicas, d.metadata.generation, d.metadata.resourceVersion]).toEqual([3, 2, (patched.body as Scale).metadata.resourceVersion]);
  });

  it('a PUT of a Scale with a stale resourceVersion is a 409 Conflict, and one without any always applies', () => {
    const { call } = startApiServer();
    createInDefault(call, web(1), 'deployments');
    const before = call(scaleOfWeb).body as Scale;
    call({ verb: 'patch', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'application/merge-patch+json', body: { metadata: { labels: { x: 'y' } } } });
    const stale = call({ ...scaleOfWeb, verb: 'update', body: { ...before, spec: { replicas: 4 } } });
    expect([stale.code, (stale.body as Status).reason]).toEqual([409, 'Conflict']);
    const { resourceVersion: _rv, ...metadata } = before.metadata;
    const fresh = call({ ...scaleOfWeb, verb: 'update', body: { ...before, metadata, spec: { replicas: 4 } } });
    expect([fresh.code, (fresh.body as Scale).spec.replicas]).toEqual([200, 4]);
  });

  it('a negative replica count is refused as the Scale: spec.replicas: Invalid value: -1: must be greater than or equal to 0', () => {
    const { call } = startApiServer();
    createInDefault(call, web(1), 'deployments');
    const res = call({ ...scaleOfWeb, verb: 'patch', patchType: 'application/merge-patch+json', body: { spec: { replicas: -1 } } });
    expect([res.code, (res.body as Status).message]).toEqual([422, 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('a body of another kind is refused with 400, and kinds without replicas have no scale subresource (404)', () => {
    const { call } = startApiServer();
    createInDefault(call, web(1), 'deployments');
    createInDefault(call, testPod('p'));
    const wrongKind = call({ ...scaleOfWeb, verb: 'update', body: web(2) });
    expect(wrongKind.code).toBe(400);
    expect(call({ verb: 'get', resource: 'pods', subresource: 'scale', namespace: 'default', name: 'p' }).code).toBe(404);
  });

  it('a ReplicationController Scale carries its map selector as a sorted string', () => {
    const { call } = startApiServer();
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web' }, spec: { replicas: 1, selector: { tier: 'fe', app: 'web' }, template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: testPod('x').spec } } };
    expect(createInDefault(call, rc as KubeObject, 'replicationcontrollers').code).toBe(201);
    const scale = call({ ...scaleOfWeb, resource: 'replicationcontrollers' }).body as Scale;
    expect(scale.status.selector).toBe('app=web,tier=fe');
  });
});
