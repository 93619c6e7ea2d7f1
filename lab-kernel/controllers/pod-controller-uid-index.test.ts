import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { Indexer } from '../client/store';
import { addPodControllerUIDIndex, orphanPodsIn, podsControlledBy } from './pod-controller-uid-index';

function pod(name: string, owners: { uid: string; controller?: boolean }[], namespace = 'default'): Pod {
  const ownerReferences = owners.map((o) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${o.uid}`, uid: o.uid, controller: o.controller }));
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, ownerReferences }, spec: { containers: [] } };
}

describe('the pods index by controller uid (PodControllerUIDIndex)', () => {
  it('files each pod under its controller only, and answers in key order', () => {
    const pods = { indexer: new Indexer<Pod>() };
    addPodControllerUIDIndex(pods);
    addPodControllerUIDIndex(pods); // a second controller on the same informer: no error, no second index
    pods.indexer.set('default/b', pod('b', [{ uid: 'u1', controller: true }]));
    pods.indexer.set('default/a', pod('a', [{ uid: 'u1', controller: true }]));
    pods.indexer.set('default/c', pod('c', [{ uid: 'u2', controller: true }, { uid: 'u1' }]));
    pods.indexer.set('default/d', pod('d', [{ uid: 'u1' }]));
    expect(podsControlledBy(pods, 'u1').map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(podsControlledBy(pods, 'u2').map((p) => p.metadata.name)).toEqual(['c']);
    expect(podsControlledBy(pods, 'u3')).toEqual([]);
  });

  it('files pods without a controller under the orphan key, and finds them by namespace', () => {
    const pods = { indexer: new Indexer<Pod>() };
    addPodControllerUIDIndex(pods);
    pods.indexer.set('default/a', pod('a', [{ uid: 'u1', controller: true }]));
    pods.indexer.set('default/b', pod('b', [{ uid: 'u1' }]));
    pods.indexer.set('default/c', pod('c', []));
    pods.indexer.set('other/d', pod('d', [], 'other'));
    expect(orphanPodsIn(pods, 'default').map((p) => p.metadata.name)).toEqual(['b', 'c']);
    expect(orphanPodsIn(pods, 'other').map((p) => p.metadata.name)).toEqual(['d']);
  });
});
