import { describe, expect, it } from 'vitest';
import type { Node, Pod, TopologySpreadConstraint } from '../../api/types';
import type { NodeInfo } from '../framework-types';
import { nodeInfoFor } from '../node-info';
import { podTopologySpreadPlugin } from './pod-topology-spread';
import { event, requeueHint, testHandle, testNode, testPod } from './testing';
import { REFERENCE_CODE } from '../reference-code.fixture';

const ZONE = 'topology.kubernetes.io/zone';
const web = (name: string, when: TopologySpreadConstraint['whenUnsatisfiable'] = 'DoNotSchedule', spec: Partial<Pod['spec']> = {}) =>
  testPod(name, { labels: { app: 'web' } }, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: when, labelSelector: { matchLabels: { app: 'web' } } }], ...spec });

/** zone a: node-a1 with two web pods; zone b: node-b1 empty; zone c: node-c1 empty, labelled pool=batch. */
function nodes(): NodeInfo[] {
  return [
    nodeInfoFor(testNode('node-a1', { labels: { [ZONE]: 'a', pool: 'web' } }), [web('w1'), web('w2')]),
    nodeInfoFor(testNode('node-b1', { labels: { [ZONE]: 'b', pool: 'web' } }), [web('w3')]),
    nodeInfoFor(testNode('node-c1', { labels: { [ZONE]: 'c', pool: 'batch' } })),
  ];
}

describe('PodTopologySpread plugin', () => {
  it('PreFilter counts once; Filter reads the verdict per node', () => {
    const infos = nodes();
    const plugin = podTopologySpreadPlugin(testHandle(infos), { spread: REFERENCE_CODE['pod-topology-spread'], nodeAffinity: REFERENCE_CODE['node-affinity'] });
    const state = new Map();
    expect(plugin.preFilter(state, web('new'), infos).status.code).toBe('Success');
    expect(infos.map((n) => plugin.filter(state, web('new'), n).code)).toEqual(['Unschedulable', 'Unschedulable', 'Success']);
  });

  it("nodes the pod's nodeSelector excludes are not counted: zone c does not hold the minimum at 0", () => {
    const infos = nodes();
    const plugin = podTopologySpreadPlugin(testHandle(infos), { spread: REFERENCE_CODE['pod-topology-spread'], nodeAffinity: REFERENCE_CODE['node-affinity'] });
    const state = new Map();
    const pod = web('new', 'DoNotSchedule', { nodeSelector: { pool: 'web' } });
    plugin.preFilter(state, pod, infos);
    expect(plugin.filter(state, pod, infos[1]).code, 'zone b: 1 + 1 - 1 = 1').toBe('Success');
  });

  it('ScheduleAnyway: PreScore over the feasible nodes, the emptiest zone scores 100', () => {
    const infos = nodes();
    const plugin = podTopologySpreadPlugin(testHandle(infos), { spread: REFERENCE_CODE['pod-topology-spread'], nodeAffinity: REFERENCE_CODE['node-affinity'] });
    const state = new Map();
    const pod = web('new', 'ScheduleAnyway');
    expect(plugin.preFilter(state, pod, infos).status.code, 'no DoNotSchedule constraint: nothing to filter').toBe('Skip');
    expect(plugin.preScore(state, pod, infos).code).toBe('Success');
    // 3 zones: weight log(5) = 1.609; raw a round(2 * 1.609) = 3, b round(1.609) = 2, c 0; 100 * (3 + 0 - raw) / 3
    expect(infos.map((n) => plugin.score(state, pod, n).score)).toEqual([0, 33, 100]);
  });
});

describe('PodTopologySpread QueueingHints', () => {
  const plugin = podTopologySpreadPlugin(testHandle([]), { spread: REFERENCE_CODE['pod-topology-spread'], nodeAffinity: REFERENCE_CODE['node-affinity'] });
  const boundPod = (name: string, app: string, namespace = 'default'): Pod => testPod(name, { labels: { app }, namespace }, { nodeName: 'node-a1' });
  const node = (labels: Record<string, string>, taints: Node['spec']['taints'] = []): Node => testNode('node-x', { labels, spec: { taints } });
  const rows: [string, ReturnType<typeof event>, unknown, unknown, string][] = [
    ['a bound pod its selector matches added => Queue', event('AssignedPod', 'Add'), undefined, boundPod('w9', 'web'), 'Queue'],
    ['a bound pod its selector does not match added => QueueSkip', event('AssignedPod', 'Add'), undefined, boundPod('d1', 'db'), 'QueueSkip'],
    ['a matching bound pod in another namespace added => QueueSkip', event('AssignedPod', 'Add'), undefined, boundPod('w9', 'web', 'other'), 'QueueSkip'],
    ['a matching pending pod added => QueueSkip (it counts nowhere yet)', event('UnschedulablePod', 'Add'), undefined, web('w9'), 'QueueSkip'],
    ['a matching bound pod deleted => Queue', event('AssignedPod', 'Delete'), boundPod('w1', 'web'), undefined, 'Queue'],
    ['a bound pod relabelled db -> web => Queue', event('AssignedPod', 'UpdatePodLabel'), boundPod('d1', 'db'), boundPod('d1', 'web'), 'Queue'],
    ['a bound pod relabelled db -> cache => QueueSkip (matches neither before nor after)', event('AssignedPod', 'UpdatePodLabel'), boundPod('d1', 'db'), boundPod('d1', 'cache'), 'QueueSkip'],
    ['a node with the zone key added => Queue', event('Node', 'Add'), undefined, node({ [ZONE]: 'd' }), 'Queue'],
    ['a node without the zone key added => QueueSkip', event('Node', 'Add'), undefined, node({}), 'QueueSkip'],
    ['a node moved to another zone => Queue', event('Node', 'UpdateNodeLabel'), node({ [ZONE]: 'a' }), node({ [ZONE]: 'b' }), 'Queue'],
    ['a node lost its zone label => Queue', event('Node', 'UpdateNodeLabel'), node({ [ZONE]: 'a' }), node({}), 'Queue'],
    ['another label of a zoned node changed => QueueSkip', event('Node', 'UpdateNodeLabel'), node({ [ZONE]: 'a' }), node({ [ZONE]: 'a', pool: 'x' }), 'QueueSkip'],
    ['the taints of a zoned node changed => Queue', event('Node', 'UpdateNodeTaint'), node({ [ZONE]: 'a' }), node({ [ZONE]: 'a' }, [{ key: 'k', effect: 'NoSchedule' }]), 'Queue'],
    ['a zoned node deleted => Queue', event('Node', 'Delete'), node({ [ZONE]: 'a' }), undefined, 'Queue'],
    ['an allocatable change => QueueSkip (not registered)', event('Node', 'UpdateNodeAllocatable'), node({ [ZONE]: 'a' }), node({ [ZONE]: 'b' }), 'QueueSkip'],
  ];
  it.each(rows)('%s', (_name, e, oldObj, newObj, expected) => {
    expect(requeueHint(plugin, web('new'), e, oldObj, newObj)).toBe(expected);
  });
});
