import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { parseStorageKey, RESOURCES, storageKey } from './resources';

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
