import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { parseStorageKey, RESOURCES, sortedByKey, storageKey } from './resources';
import type { KubeObject } from './types';

describe('parseStorageKey', () => {
  it('reads back what storageKey wrote, for every resource the lab serves', () => {
    for (const info of RESOURCES) {
      const parsed = parseStorageKey(storageKey(info, 'team-a', 'x'));
      expect(parsed).toEqual({ resource: info.storagePrefix, namespace: info.namespaced ? 'team-a' : undefined, name: 'x' });
    }
  });

  it('reads a prefix the lab does not serve from its segments', () => {
    expect(parseStorageKey('/registry/widgets/team-a/x')).toEqual({ resource: 'widgets', namespace: 'team-a', name: 'x' });
    expect(parseStorageKey('/registry/widgets/x')).toEqual({ resource: 'widgets', namespace: undefined, name: 'x' });
  });

  it('reads the keys of a freshly booted cluster: nodes under minions, pods in their namespace', () => {
    const cluster = createCluster({ seed: 1 });
    const parsed = cluster.etcd.rawRange('/registry/', { prefix: true }).kvs.map((kv) => parseStorageKey(kv.key));
    expect(parsed).toContainEqual({ resource: 'minions', namespace: undefined, name: 'node-1' });
    expect(parsed).toContainEqual({ resource: 'namespaces', namespace: undefined, name: 'kube-system' });
    const pods = parsed.filter((p) => p.resource === 'pods');
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((p) => p.namespace === 'kube-system')).toBe(true);
  });
});

describe('sortedByKey', () => {
  const obj = (namespace: string | undefined, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } });
  const keys = (objects: readonly KubeObject[]) => objects.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);

  it('orders objects as localeCompare orders their keys', () => {
    const objects = [obj('default', 'web-b'), obj('default', 'Web-a'), obj('kube-system', 'a'), obj('default', 'web-10'), obj('default', 'web.1'), obj(undefined, 'node-1')];
    const expected = [...objects].sort((a, b) => `${a.metadata.namespace ? a.metadata.namespace + '/' : ''}${a.metadata.name}`.localeCompare(`${b.metadata.namespace ? b.metadata.namespace + '/' : ''}${b.metadata.name}`));
    expect(keys(sortedByKey(objects))).toEqual(keys(expected));
  });

  it('keeps objects with equal keys in their order, and takes another order when asked', () => {
    const first = obj('default', 'web');
    const second = obj('default', 'web');
    const sorted = sortedByKey([first, obj('default', 'a'), second]);
    expect(sorted.indexOf(first)).toBeLessThan(sorted.indexOf(second));
    expect(keys(sortedByKey([obj('d', 'b'), obj('d', 'B')], (a, b) => (a < b ? -1 : 1)))).toEqual(['d/B', 'd/b']);
  });
});
