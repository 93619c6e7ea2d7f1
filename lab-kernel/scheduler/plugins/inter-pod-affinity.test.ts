import { describe, expect, it } from 'vitest';
import type { Affinity, Pod, PodAffinityTerm } from '../../api/types';
import { nodeInfoFor } from '../node-info';
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY, interPodAffinityPlugin } from './inter-pod-affinity';
import { event, requeueHint, testHandle, testNode, testPod } from './testing';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const term = (app: string, topologyKey: string): PodAffinityTerm => ({ labelSelector: { matchLabels: { app } }, topologyKey });
const pod = (name: string, app: string, affinity?: Affinity): Pod => testPod(name, { labels: { app } }, affinity ? { affinity } : {});

/** node-1 and node-2 in zone a, node-3 in zone b; a cache pod on node-1. */
function cluster(extra: Pod[] = []) {
  const n1 = nodeInfoFor(testNode('node-1', { labels: { [ZONE]: 'a' } }), [pod('cache-0', 'cache'), ...extra]);
  const n2 = nodeInfoFor(testNode('node-2', { labels: { [ZONE]: 'a' } }));
  const n3 = nodeInfoFor(testNode('node-3', { labels: { [ZONE]: 'b' } }));
  return [n1, n2, n3];
}

function verdicts(incoming: Pod, nodes = cluster()): Record<string, string> {
  const plugin = interPodAffinityPlugin(testHandle(nodes));
  const state = new Map();
  const pre = plugin.preFilter(state, incoming, nodes);
  if (pre.status.code === 'Skip') return Object.fromEntries(nodes.map((n) => [n.node.metadata.name!, 'Skip']));
  return Object.fromEntries(nodes.map((n) => {
    const s = plugin.filter(state, incoming, n);
    return [n.node.metadata.name!, s.code === 'Success' ? 'Success' : s.reasons[0]];
  }));
}

describe('InterPodAffinity Filter', () => {
  it('required podAffinity on zone: only nodes in the zone of a matching pod', () => {
    const web = pod('web', 'web', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache', ZONE)] } });
    expect(verdicts(web)).toEqual({ 'node-1': 'Success', 'node-2': 'Success', 'node-3': ERR_REASON_AFFINITY });
  });

  it('required podAntiAffinity on hostname: not on a node that runs a matching pod', () => {
    const web = pod('web', 'web', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache', HOST)] } });
    expect(verdicts(web)).toEqual({ 'node-1': ERR_REASON_ANTI_AFFINITY, 'node-2': 'Success', 'node-3': 'Success' });
  });

  it("an existing pod's required anti-affinity keeps matching pods out of its domain", () => {
    const loner = pod('loner', 'loner', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] } });
    expect(verdicts(pod('web', 'web'), cluster([loner]))).toEqual({ 'node-1': ERR_REASON_EXISTING_ANTI_AFFINITY, 'node-2': ERR_REASON_EXISTING_ANTI_AFFINITY, 'node-3': 'Success' });
  });

  it('the first pod of a group with affinity to its own kind may go anywhere', () => {
    const first = pod('db-0', 'db', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE)] } });
    expect(verdicts(first)).toEqual({ 'node-1': 'Success', 'node-2': 'Success', 'node-3': 'Success' });
  });

  it('is skipped for a pod without required terms when no pod has required anti-affinity', () => {
    expect(verdicts(pod('web', 'web'))['node-1']).toBe('Skip');
  });
});

describe('InterPodAffinity Score (the incoming pod\'s preferred terms)', () => {
  it('prefers the zone with a matching pod; normalised between the lowest and highest', () => {
    const nodes = cluster();
    const web = pod('web', 'web', { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('cache', ZONE) }] } });
    const plugin = interPodAffinityPlugin(testHandle(nodes));
    const state = new Map();
    expect(plugin.preScore(state, web, nodes).code).toBe('Success');
    const scores = nodes.map((n) => ({ name: n.node.metadata.name!, score: plugin.score(state, web, n).score }));
    expect(scores.map((s) => s.score), 'raw: zone a has one cache pod => 10').toEqual([10, 10, 0]);
    plugin.normalizeScore!(state, web, scores);
    expect(scores.map((s) => s.score)).toEqual([100, 100, 0]);
  });
});

describe('InterPodAffinity QueueingHints', () => {
  const plugin = interPodAffinityPlugin(testHandle([]));
  /** Wants a cache pod in its zone; must not share a host with a web pod. */
  const picky = pod('p', 'api', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache', ZONE)] }, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', HOST)] } });
  const zoneOnly = pod('p', 'api', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache', ZONE)] } });
  const boundPod = (name: string, app: string): Pod => ({ ...pod(name, app), spec: { ...pod(name, app).spec, nodeName: 'node-1' } });
  const rows: [string, Pod, ReturnType<typeof event>, unknown, unknown, string][] = [
    ['a bound pod matching its affinity added => Queue', picky, event('AssignedPod', 'Add'), undefined, boundPod('c1', 'cache'), 'Queue'],
    ['a bound pod matching nothing added => QueueSkip', picky, event('AssignedPod', 'Add'), undefined, boundPod('o1', 'other'), 'QueueSkip'],
    ['a pending pod matching its affinity added => QueueSkip', picky, event('UnschedulablePod', 'Add'), undefined, pod('c1', 'cache'), 'QueueSkip'],
    ['a bound pod matching its anti-affinity deleted => Queue', picky, event('AssignedPod', 'Delete'), boundPod('w1', 'web'), undefined, 'Queue'],
    ['a bound pod matching its affinity deleted => QueueSkip', picky, event('AssignedPod', 'Delete'), boundPod('c1', 'cache'), undefined, 'QueueSkip'],
    [
      "a bound pod whose own anti-affinity kept it out deleted => QueueSkip (upstream's gap: only the pod's own terms are looked at)",
      zoneOnly,
      event('AssignedPod', 'Delete'),
      { ...boundPod('x', 'other'), spec: { ...boundPod('x', 'other').spec, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('api', HOST)] } } } },
      undefined,
      'QueueSkip',
    ],
    ['a bound pod relabelled to match its affinity => Queue', picky, event('AssignedPod', 'UpdatePodLabel'), boundPod('o1', 'other'), boundPod('o1', 'cache'), 'Queue'],
    ['a bound pod relabelled away from its anti-affinity => Queue', picky, event('AssignedPod', 'UpdatePodLabel'), boundPod('w1', 'web'), boundPod('w1', 'other'), 'Queue'],
    ['a bound pod relabelled between two unrelated labels => QueueSkip', picky, event('AssignedPod', 'UpdatePodLabel'), boundPod('o1', 'other'), boundPod('o1', 'misc'), 'QueueSkip'],
    ['a node with the zone key added => Queue', zoneOnly, event('Node', 'Add'), undefined, testNode('node-9', { labels: { [ZONE]: 'c' } }), 'Queue'],
    ['a node without the zone key added => QueueSkip', zoneOnly, event('Node', 'Add'), undefined, testNode('node-9'), 'QueueSkip'],
    ['a taint change => Queue (the quirk)', zoneOnly, event('Node', 'UpdateNodeTaint'), testNode('node-9'), testNode('node-9'), 'Queue'],
  ];
  it.each(rows)('%s', (_name, target, e, oldObj, newObj, expected) => {
    expect(requeueHint(plugin, target, e, oldObj, newObj)).toBe(expected);
  });
});
