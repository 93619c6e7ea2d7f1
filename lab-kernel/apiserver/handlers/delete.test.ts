import { describe, expect, it } from 'vitest';
import type { KubeList, KubeObject, Pod } from '../../api/types';
import { createInDefault as create, startApiServer as setup, testPod as pod } from '../api-server.fixture';

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
