import { describe, expect, it } from 'vitest';
import type { KubeList } from '../../api/types';
import { createInDefault as create, startApiServer as setup, testPod as pod } from '../api-server.fixture';

describe('ApiServer: read', () => {
  it('404 NotFound names the resource, with the group for non-core kinds', () => {
    const { call } = setup();
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'x' }).body).toMatchObject({ code: 404, message: 'pods "x" not found' });
    expect(call({ verb: 'get', resource: 'replicasets', namespace: 'default', name: 'x' }).body).toMatchObject({ message: 'replicasets.apps "x" not found' });
  });

  it('lists with label and field selectors, carrying the store revision as the list resourceVersion', () => {
    const { call, store } = setup();
    create(call, pod('a'));
    create(call, { ...pod('b'), metadata: { name: 'b', labels: { app: 'db' } } });
    const byLabel = call({ verb: 'list', resource: 'pods', namespace: 'default', labelSelector: 'app=web' }).body as KubeList;
    expect(byLabel.items.map((p) => p.metadata.name)).toEqual(['a']);
    expect(byLabel.metadata.resourceVersion).toBe(String(store.revision));
    const byField = call({ verb: 'list', resource: 'pods', fieldSelector: 'metadata.name=b' }).body as KubeList;
    expect(byField.items.map((p) => p.metadata.name)).toEqual(['b']);
    expect(call({ verb: 'list', resource: 'pods', fieldSelector: 'spec.nope=1' })).toMatchObject({ code: 400, body: { message: 'field label not supported: spec.nope' } });
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
