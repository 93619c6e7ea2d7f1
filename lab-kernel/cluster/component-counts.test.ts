import { describe, expect, it } from 'vitest';
import { createCluster } from './cluster';
import { componentCounts } from './component-counts';

describe('componentCounts', () => {
  it('counts the members of a replicated etcd as one component, and one kubelet and containerd per node', () => {
    const rows = componentCounts(createCluster({ seed: 1, etcdMembers: 3 }).components());
    const count = (c: string) => rows.find((r) => r.component === c)?.['instances in this cluster'];
    expect(count('etcd')).toBe(3);
    expect(count('kube-apiserver')).toBe(1);
    expect(count('kubelet')).toBe(count('containerd'));
    expect(rows.find((r) => r.component === 'kube-scheduler')?.['active at once in an HA cluster']).toBe('one: the Lease holder');
  });

  it('leaves the HA column empty for a component it does not know', () => {
    expect(componentCounts([{ name: 'my-operator' }, { name: 'my-operator' }])).toEqual([
      { component: 'my-operator', 'instances in this cluster': 2, 'active at once in an HA cluster': '' },
    ]);
  });
});
