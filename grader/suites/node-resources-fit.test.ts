/**
 * Grader suite for exercise `node-resources-fit` (exercises/scheduler/node-resources-fit.ts).
 *
 * Table cases from kube-scheduler's NodeResourcesFit behaviour (kubernetes.io, "Resource
 * Management for Pods and Containers" and "Resource Bin Packing"): the Filter's exact
 * reasons, then the LeastAllocated, MostAllocated and RequestedToCapacityRatio scores; then
 * whole clusters scheduling with the learner's code.
 */
import { describe, expect, it } from 'vitest';
import type { Pod, ResourceList } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import type { Status } from '../../lab-kernel/scheduler/framework-types';
import { nodeInfoFor, nonZeroRequests, podRequests } from '../../lab-kernel/scheduler/node-info';
import { DEFAULT_SCORING_STRATEGY, type NodeResourcesFitResult, type ScoringStrategy } from '../../lab-kernel/scheduler/plugins/node-resources-fit-contract';
import { failedSchedulingMessages, podsNamed, workerNames } from '../scheduler-scenarios';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const nodeResourcesFit = slotUnderTest('node-resources-fit');

function pod(name: string, requests?: ResourceList): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...(requests ? { resources: { requests } } : {}) }] },
  };
}

/** A node offering `allocatable`, with pods already requesting `used` (and `count` pods in all). */
function evaluate(incoming: Pod, allocatable: ResourceList, used: ResourceList[] = [], strategy: ScoringStrategy = DEFAULT_SCORING_STRATEGY): NodeResourcesFitResult {
  const existing = used.map((r, i) => pod(`existing-${i}`, r));
  const info = nodeInfoFor({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {}, status: { allocatable } }, existing);
  return nodeResourcesFit({
    request: podRequests(incoming),
    nonZeroRequest: nonZeroRequests(incoming),
    node: { allocatable: info.allocatable, requested: info.requested, nonZeroRequested: info.nonZeroRequested, podCount: info.pods.length },
    strategy,
  });
}

const NODE = { cpu: '4', memory: '8Gi', pods: '110' };

function expectStatus(status: Status, code: string, reasons: string[]): void {
  expect(status.code, `expected status code ${code}${reasons.length ? ` with reasons ${JSON.stringify(reasons)}` : ''}`).toBe(code);
  expect(status.reasons, 'the reasons must be kube-scheduler\'s, in its order (pods, cpu, memory, ephemeral-storage, extended)').toEqual(reasons);
}

describe('Part 1: Filter — is there room on the node?', () => {
  const cases: { name: string; pod: Pod; used?: ResourceList[]; allocatable?: ResourceList; code: string; reasons: string[] }[] = [
    { name: 'a pod requesting 500m CPU fits an empty 4-CPU node', pod: pod('p', { cpu: '500m' }), code: 'Success', reasons: [] },
    { name: 'a node filled exactly to its allocatable still fits (3500m used + 500m = 4)', pod: pod('p', { cpu: '500m' }), used: [{ cpu: '3500m' }], code: 'Success', reasons: [] },
    { name: '3800m used + 500m requested on 4 CPUs: "Insufficient cpu"', pod: pod('p', { cpu: '500m' }), used: [{ cpu: '3800m' }], code: 'Unschedulable', reasons: ['Insufficient cpu'] },
    { name: '9Gi requested on an 8Gi node: "Insufficient memory"', pod: pod('p', { memory: '9Gi' }), code: 'Unschedulable', reasons: ['Insufficient memory'] },
    { name: 'every resource short is reported, cpu before memory', pod: pod('p', { cpu: '5', memory: '9Gi' }), code: 'Unschedulable', reasons: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'a GPU on a node without GPUs: "Insufficient nvidia.com/gpu"', pod: pod('p', { 'nvidia.com/gpu': '1' }), code: 'Unschedulable', reasons: ['Insufficient nvidia.com/gpu'] },
    { name: 'a second GPU pod fits while the node has a free GPU', pod: pod('p', { 'nvidia.com/gpu': '1' }), allocatable: { ...NODE, 'nvidia.com/gpu': '2' }, used: [{ 'nvidia.com/gpu': '1' }], code: 'Success', reasons: [] },
    { name: 'but not when both GPUs are taken', pod: pod('p', { 'nvidia.com/gpu': '1' }), allocatable: { ...NODE, 'nvidia.com/gpu': '2' }, used: [{ 'nvidia.com/gpu': '2' }], code: 'Unschedulable', reasons: ['Insufficient nvidia.com/gpu'] },
    { name: 'ephemeral-storage counts too: "Insufficient ephemeral-storage"', pod: pod('p', { 'ephemeral-storage': '20Gi' }), allocatable: { ...NODE, 'ephemeral-storage': '10Gi' }, code: 'Unschedulable', reasons: ['Insufficient ephemeral-storage'] },
    { name: 'a node at its pod limit: "Too many pods", even for a pod that requests nothing', pod: pod('p'), allocatable: { ...NODE, pods: '2' }, used: [{}, {}], code: 'Unschedulable', reasons: ['Too many pods'] },
    { name: '"Too many pods" comes before the resources', pod: pod('p', { cpu: '5' }), allocatable: { ...NODE, pods: '1' }, used: [{}], code: 'Unschedulable', reasons: ['Too many pods', 'Insufficient cpu'] },
    { name: 'a pod that requests nothing fits even an overcommitted node (only requests count)', pod: pod('p'), used: [{ cpu: '5', memory: '10Gi' }], code: 'Success', reasons: [] },
    { name: 'a pod is only checked on what it requests: memory full, pod asks CPU only', pod: pod('p', { cpu: '100m' }), used: [{ memory: '9Gi' }], code: 'Success', reasons: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expectStatus(evaluate(c.pod, c.allocatable ?? NODE, c.used).status, c.code, c.reasons);
    });
  }
});

describe('Part 2-3: Score — LeastAllocated (the default) and MostAllocated', () => {
  const mostAllocated: ScoringStrategy = { ...DEFAULT_SCORING_STRATEGY, type: 'MostAllocated' };
  const cases: { name: string; pod: Pod; used?: ResourceList[]; allocatable?: ResourceList; strategy?: ScoringStrategy; score: number }[] = [
    { name: 'LeastAllocated, empty node, pod 1 CPU / 200Mi: cpu 75, memory 97 => 86', pod: pod('p', { cpu: '1', memory: '200Mi' }), score: 86 },
    { name: 'LeastAllocated, 2 CPU / 4Gi used + 1 CPU / 2Gi requested on 4 CPU / 8Gi: 25 each => 25', pod: pod('p', { cpu: '1', memory: '2Gi' }), used: [{ cpu: '2', memory: '4Gi' }], score: 25 },
    { name: 'LeastAllocated counts a container without requests as 100m / 200Mi: cpu 97, memory 97 => 97', pod: pod('p'), score: 97 },
    {
      name: 'LeastAllocated gives 0 for a resource requested beyond allocatable: the 200Mi default on a 100Mi node => (75 + 0) / 2 = 37',
      pod: pod('p', { cpu: '1' }),
      allocatable: { cpu: '4', memory: '100Mi', pods: '110' },
      score: 37,
    },
    {
      name: 'weights: cpu 2, memory 1 with cpu 75 and memory 25 => (150 + 25) / 3 = 58',
      pod: pod('p', { cpu: '1', memory: '6Gi' }),
      strategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 2 }, { name: 'memory', weight: 1 }] },
      score: 58,
    },
    {
      name: 'a resource the node does not have is left out of the average (nvidia.com/gpu on a CPU node)',
      pod: pod('p', { cpu: '1', memory: '2Gi' }),
      strategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'nvidia.com/gpu', weight: 5 }] },
      score: 75,
    },
    { name: 'MostAllocated prefers full nodes: 3 of 4 CPU and 6 of 8Gi => 75', pod: pod('p', { cpu: '1', memory: '2Gi' }), used: [{ cpu: '2', memory: '4Gi' }], strategy: mostAllocated, score: 75 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = evaluate(c.pod, c.allocatable ?? NODE, c.used, c.strategy);
      expect(result.status.code, 'the pod fits: a score is expected').toBe('Success');
      expect(result.score, `expected score ${c.score}`).toBe(c.score);
    });
  }

  it('MostAllocated caps requests above allocatable: the 200Mi default on a 100Mi node scores memory 100', () => {
    const result = evaluate(pod('p', { cpu: '1' }), { cpu: '4', memory: '100Mi', pods: '110' }, [], mostAllocated);
    expect(result.status.code).toBe('Success');
    expect(result.score, 'cpu 25, memory min(200Mi, 100Mi) => 100: (25 + 100) / 2 = 62').toBe(62);
  });
});

describe('Part 4: Score — RequestedToCapacityRatio', () => {
  const strategy = (shape: { utilization: number; score: number }[]): ScoringStrategy => ({ type: 'RequestedToCapacityRatio', resources: DEFAULT_SCORING_STRATEGY.resources, shape });
  const cases: { name: string; shape: { utilization: number; score: number }[]; pod: Pod; score: number }[] = [
    { name: 'bin packing shape {0: 0, 100: 10}: 25% used => 25', shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }], pod: pod('p', { cpu: '1', memory: '2Gi' }), score: 25 },
    { name: 'spreading shape {0: 10, 100: 0}: 25% used => 75', shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }], pod: pod('p', { cpu: '1', memory: '2Gi' }), score: 75 },
    { name: 'a peak at 50%: {0: 0, 50: 10, 100: 0}, 25% used => 50', shape: [{ utilization: 0, score: 0 }, { utilization: 50, score: 10 }, { utilization: 100, score: 0 }], pod: pod('p', { cpu: '1', memory: '2Gi' }), score: 50 },
    { name: 'below the first point the first score holds: {50: 2, 100: 10}, 25% used => 20', shape: [{ utilization: 50, score: 2 }, { utilization: 100, score: 10 }], pod: pod('p', { cpu: '1', memory: '2Gi' }), score: 20 },
    { name: 'above the last point the last score holds: {0: 0, 20: 4}, 25% used => 40', shape: [{ utilization: 0, score: 0 }, { utilization: 20, score: 4 }], pod: pod('p', { cpu: '1', memory: '2Gi' }), score: 40 },
    { name: 'the weighted average is rounded, not truncated: cpu 25, memory 50 => 37.5 => 38', shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }], pod: pod('p', { cpu: '1', memory: '4Gi' }), score: 38 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = evaluate(c.pod, NODE, [], strategy(c.shape));
      expect(result.status.code).toBe('Success');
      expect(result.score, `expected score ${c.score}`).toBe(c.score);
    });
  }
});

describe(`A whole cluster scheduling with your code (seed ${SEED})`, () => {
  const bigPod = (name: string, cpu: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    resources:\n      requests:\n        cpu: "${cpu}"\n`;

  it('pods requesting 3 CPUs each land one per 4-CPU worker', () => {
    evaluate(pod('p'), NODE); // your code first: a stub fails here
    const cluster = createCluster({ seed: SEED, workers: 2, use: { 'node-resources-fit': SOURCE } });
    cluster.apply(bigPod('big-1', '3'));
    cluster.apply(bigPod('big-2', '3'));
    cluster.runFor(10_000);
    const nodes = podsNamed(cluster, 'big-').map((p) => p.spec.nodeName);
    expect(new Set(nodes).size, `each worker has room for one 3-CPU pod; got ${JSON.stringify(nodes)}`).toBe(2);
  });

  it('a pod that fits nowhere stays Pending with "0/N nodes are available: ... Insufficient cpu"', () => {
    evaluate(pod('p'), NODE); // your code first: a stub fails here
    const cluster = createCluster({ seed: SEED, workers: 2, use: { 'node-resources-fit': SOURCE } });
    cluster.apply(bigPod('huge', '16'));
    cluster.runFor(10_000);
    const [huge] = podsNamed(cluster, 'huge');
    expect(huge.spec.nodeName, 'no node has 16 CPUs').toBeUndefined();
    const total = workerNames(cluster).length + 1;
    const messages = failedSchedulingMessages(cluster, 'huge');
    expect(messages.length, 'a FailedScheduling event about the pod').toBeGreaterThan(0);
    expect(messages[0]).toMatch(new RegExp(`^0/${total} nodes are available: .*${workerNames(cluster).length} Insufficient cpu`));
  });
});
