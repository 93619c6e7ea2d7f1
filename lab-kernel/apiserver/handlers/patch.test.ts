import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../api/types';
import { createInDefault as create, startApiServer as setup, testPod as pod } from '../api-server.fixture';

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
