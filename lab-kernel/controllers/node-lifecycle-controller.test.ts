import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { desiredTaints, taintsByCondition } from './node-lifecycle-controller';

const node = (conditions: Record<string, 'True' | 'False' | 'Unknown'>, spec: Node['spec'] = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n' },
  spec,
  status: { conditions: Object.entries(conditions).map(([type, status]) => ({ type, status })) },
});

describe('taints by condition (TaintNodesByCondition)', () => {
  it.each([
    [{ Ready: 'True' } as const, []],
    [{ Ready: 'True', MemoryPressure: 'True' } as const, ['node.kubernetes.io/memory-pressure']],
    [{ Ready: 'True', DiskPressure: 'True', PIDPressure: 'True' } as const, ['node.kubernetes.io/disk-pressure', 'node.kubernetes.io/pid-pressure']],
    [{ Ready: 'False' } as const, ['node.kubernetes.io/not-ready']],
    [{ Ready: 'Unknown' } as const, ['node.kubernetes.io/unreachable']],
  ])('conditions %j => NoSchedule taints %j', (conditions, keys) => {
    const taints = taintsByCondition(node(conditions));
    expect(taints.map((t) => t.key)).toEqual(keys);
    expect(taints.every((t) => t.effect === 'NoSchedule')).toBe(true);
  });

  it('a cordoned node (spec.unschedulable) gets node.kubernetes.io/unschedulable', () => {
    expect(taintsByCondition(node({ Ready: 'True' }, { unschedulable: true })).map((t) => t.key)).toEqual(['node.kubernetes.io/unschedulable']);
  });

  it('keeps taints it does not manage, and drops managed ones whose condition cleared', () => {
    const n = node({ Ready: 'True' }, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] });
    expect(desiredTaints(n)).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  });
});

describe('a node under memory pressure in a cluster', () => {
  it('is tainted, so new pods go elsewhere; the taint goes when the pressure does', () => {
    const cluster = createCluster({ seed: 4 });
    const setPressure = (status: 'True' | 'False') => {
      const [n] = cluster.kubectl.getObjects<Node>('nodes', 'node-1');
      const conditions = (n.status?.conditions ?? []).filter((c) => c.type !== 'MemoryPressure').concat({ type: 'MemoryPressure', status });
      cluster.kubectl.request({ verb: 'update', resource: 'nodes', name: 'node-1', subresource: 'status', body: { ...n, status: { ...n.status, conditions } } });
      cluster.runFor(1_000);
    };
    setPressure('True');
    const taintKeys = () => (cluster.kubectl.getObjects<Node>('nodes', 'node-1')[0].spec.taints ?? []).map((t) => t.key);
    expect(taintKeys()).toContain('node.kubernetes.io/memory-pressure');
    for (let i = 0; i < 4; i++) cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: p${i} }\nspec: { containers: [{ name: c, image: 'nginx:1.27' }] }\n`);
    cluster.runFor(5_000);
    expect(cluster.kubectl.getObjects<Pod>('pods').map((p) => p.spec.nodeName)).toEqual(['node-2', 'node-2', 'node-2', 'node-2']);
    setPressure('False');
    expect(taintKeys()).not.toContain('node.kubernetes.io/memory-pressure');
  });
});
