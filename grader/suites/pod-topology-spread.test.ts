/**
 * Grader suite for exercise `pod-topology-spread` (exercises/scheduler/pod-topology-spread.ts).
 *
 * Table cases from kubernetes.io, "Pod Topology Spread Constraints" (its worked examples with
 * four nodes in two zones, node affinity, minDomains) and kube-scheduler's PodTopologySpread
 * plugin (its exact reasons and scoring); then a whole cluster spreading a ReplicaSet across
 * zones with the learner's code.
 */
import { describe, expect, it } from 'vitest';
import type { Labels, Pod, TopologySpreadConstraint } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import type { TopologyNode } from '../../lab-kernel/scheduler/plugins/pod-topology-spread-contract';
import { labelNode, podsNamed, workerNames } from '../scheduler-scenarios';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const podTopologySpread = slotUnderTest('pod-topology-spread');

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const NOT_MATCH = "node(s) didn't match pod topology spread constraints";
const MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

let serial = 0;
function pod(labels: Labels, constraints: TopologySpreadConstraint[] = [], extra: { namespace?: string; deleting?: boolean } = {}): Pod {
  serial++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p-${serial}`, namespace: extra.namespace ?? 'default', labels, ...(extra.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'c', image: 'nginx' }], topologySpreadConstraints: constraints },
  };
}

const foo = (n: number, extra: { namespace?: string; deleting?: boolean } = {}) => Array.from({ length: n }, () => pod({ foo: 'bar' }, [], extra));

function node(name: string, zone: string | undefined, pods: Pod[], matchesNodeAffinity = true): TopologyNode {
  return { name, labels: { [HOST]: name, ...(zone ? { [ZONE]: zone } : {}) }, pods, matchesNodeAffinity };
}

const constraint = (topologyKey: string, maxSkew = 1, when: TopologySpreadConstraint['whenUnsatisfiable'] = 'DoNotSchedule', extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew,
  topologyKey,
  whenUnsatisfiable: when,
  labelSelector: { matchLabels: { foo: 'bar' } },
  ...extra,
});

/** The docs' cluster: zoneA has node1 and node2, zoneB node3 and node4; one foo=bar pod on each of node1..node3. */
const docsCluster = () => [node('node1', 'zoneA', foo(1)), node('node2', 'zoneA', foo(1)), node('node3', 'zoneB', foo(1)), node('node4', 'zoneB', [])];

function verdicts(incoming: Pod, nodes: TopologyNode[]): Record<string, string> {
  const { filter } = podTopologySpread({ pod: incoming, nodes });
  return Object.fromEntries(nodes.map((n) => [n.name, filter[n.name] ? `${filter[n.name].code}${filter[n.name].reasons.length ? ': ' + filter[n.name].reasons.join(', ') : ''}` : 'missing']));
}

const ok = 'Success';
const skewed = `Unschedulable: ${NOT_MATCH}`;
const unlabelled = `UnschedulableAndUnresolvable: ${MISSING_LABEL}`;

describe('Part 1-3: Filter — DoNotSchedule constraints', () => {
  it("the docs' one-constraint example: maxSkew 1 on zone puts the 4th pod in zoneB (node3 or node4)", () => {
    expect(verdicts(pod({ foo: 'bar' }, [constraint(ZONE)]), docsCluster()), 'zoneA has 2, zoneB 1: zoneA would make it 3 vs 1').toEqual({ node1: skewed, node2: skewed, node3: ok, node4: ok });
  });

  it("the docs' two-constraint example: zone and hostname, maxSkew 1 each, leave only node4", () => {
    expect(verdicts(pod({ foo: 'bar' }, [constraint(ZONE), constraint(HOST)]), docsCluster())).toEqual({ node1: skewed, node2: skewed, node3: skewed, node4: ok });
  });

  it('maxSkew 2 allows zoneA: 2 + 1 - 1 = 2', () => {
    expect(verdicts(pod({ foo: 'bar' }, [constraint(ZONE, 2)]), docsCluster())).toEqual({ node1: ok, node2: ok, node3: ok, node4: ok });
  });

  it('a node without the topologyKey label is unresolvable: "(missing required label)"', () => {
    const nodes = [...docsCluster(), node('node5', undefined, [])];
    expect(verdicts(pod({ foo: 'bar' }, [constraint(ZONE)]), nodes).node5).toBe(unlabelled);
  });

  it('a pod the selector does not match does not count itself: zoneA 2 + 0 - 1 = 1 is fine', () => {
    expect(verdicts(pod({ other: 'x' }, [constraint(ZONE)]), docsCluster())).toEqual({ node1: ok, node2: ok, node3: ok, node4: ok });
  });

  it('only pods the labelSelector matches are counted: three app=db pods leave zoneB empty for foo=bar', () => {
    const db = Array.from({ length: 3 }, () => pod({ app: 'db' }));
    const nodes = [node('node1', 'zoneA', foo(1)), node('node2', 'zoneB', db)];
    expect(verdicts(pod({ foo: 'bar' }, [constraint(ZONE)]), nodes), 'zoneA 1 + 1 - 0 = 2 is too much; zoneB 0 + 1 - 0 = 1 is fine').toEqual({ node1: skewed, node2: ok });
  });

  it('an empty zone is the global minimum: zoneA 1, zoneB 0 => zoneA is full at maxSkew 1', () => {
    const nodes = [node('node1', 'zoneA', foo(1)), node('node3', 'zoneB', [])];
    expect(verdicts(pod({ foo: 'bar' }, [constraint(ZONE)]), nodes)).toEqual({ node1: skewed, node3: ok });
  });

  it('pods in other namespaces and terminating pods are not counted', () => {
    const nodes = [node('node1', 'zoneA', [...foo(1), ...foo(3, { namespace: 'other' }), ...foo(3, { deleting: true })]), node('node3', 'zoneB', foo(1))];
    expect(verdicts(pod({ foo: 'bar' }, [constraint(ZONE)]), nodes)).toEqual({ node1: ok, node3: ok });
  });

  it('a constraint without a labelSelector counts no pods at all', () => {
    const noSelector: TopologySpreadConstraint = { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule' };
    expect(verdicts(pod({ foo: 'bar' }, [noSelector]), docsCluster())).toEqual({ node1: ok, node2: ok, node3: ok, node4: ok });
  });

  it("node affinity: a zone the pod's node affinity excludes is not counted (nodeAffinityPolicy Honor)", () => {
    // zoneA 2, zoneB 1, zoneC 0 but excluded: the minimum is 1, so zoneB is allowed.
    const nodes = [...docsCluster(), node('node5', 'zoneC', [], false)];
    const v = verdicts(pod({ foo: 'bar' }, [constraint(ZONE)]), nodes);
    expect({ node3: v.node3, node4: v.node4 }, 'with zoneC counted, zoneB would be 1 + 1 - 0 = 2 > 1').toEqual({ node3: ok, node4: ok });
  });

  it('minDomains 3 with only 2 zones: the global minimum counts as 0, so every zone with a pod is full', () => {
    const nodes = [node('node1', 'zoneA', foo(1)), node('node3', 'zoneB', foo(1))];
    expect(verdicts(pod({ foo: 'bar' }, [constraint(ZONE, 1, 'DoNotSchedule', { minDomains: 3 })]), nodes)).toEqual({ node1: skewed, node3: skewed });
    expect(verdicts(pod({ foo: 'bar' }, [constraint(ZONE)]), nodes), 'without minDomains both zones are fine').toEqual({ node1: ok, node3: ok });
  });

  it('ScheduleAnyway constraints never filter', () => {
    expect(verdicts(pod({ foo: 'bar' }, [constraint(ZONE, 1, 'ScheduleAnyway')]), docsCluster())).toEqual({ node1: ok, node2: ok, node3: ok, node4: ok });
  });
});

describe('Part 4: Score — ScheduleAnyway constraints', () => {
  const score = (incoming: Pod, nodes: TopologyNode[], feasible = nodes.map((n) => n.name)) => podTopologySpread({ pod: incoming, nodes, feasible }).score;

  it('no score without feasible nodes given, or without ScheduleAnyway constraints', () => {
    expect(podTopologySpread({ pod: pod({ foo: 'bar' }, [constraint(ZONE, 1, 'ScheduleAnyway')]), nodes: docsCluster() }).score).toEqual({});
    expect(score(pod({ foo: 'bar' }, [constraint(ZONE)]), docsCluster())).toEqual({});
  });

  it('the emptier zone scores higher: zoneA (2 pods) => 33, zoneB (1 pod) => 100', () => {
    // weight log(2 + 2) = 1.386; zoneA round(2 * 1.386) = 3, zoneB round(1.386) = 1; 100 * (3 + 1 - raw) / 3
    expect(score(pod({ foo: 'bar' }, [constraint(ZONE, 1, 'ScheduleAnyway')]), docsCluster())).toEqual({ node1: 33, node2: 33, node3: 100, node4: 100 });
  });

  it('hostname counts each node on its own: 2, 1, 0 pods => 0, 33, 100', () => {
    const nodes = [node('n1', 'zoneA', foo(2)), node('n2', 'zoneA', foo(1)), node('n3', 'zoneA', [])];
    expect(score(pod({ foo: 'bar' }, [constraint(HOST, 1, 'ScheduleAnyway')]), nodes)).toEqual({ n1: 0, n2: 33, n3: 100 });
  });

  it('a feasible node without the topology label scores 0', () => {
    const nodes = [node('n1', 'zoneA', foo(1)), node('n2', undefined, [])];
    expect(score(pod({ foo: 'bar' }, [constraint(ZONE, 1, 'ScheduleAnyway')]), nodes)).toEqual({ n1: 100, n2: 0 });
  });

  it('only the domains of feasible nodes count: pods in an infeasible zone are ignored', () => {
    const nodes = [node('n1', 'zoneA', foo(3)), node('n2', 'zoneB', foo(1)), node('n3', 'zoneC', [])];
    // feasible n2, n3: two domains, weight log(4); zoneB round(1.386) = 1, zoneC 0 => 100 * (1 + 0 - raw) / 1
    expect(score(pod({ foo: 'bar' }, [constraint(ZONE, 1, 'ScheduleAnyway')]), nodes, ['n2', 'n3'])).toEqual({ n2: 0, n3: 100 });
  });

  it('all nodes equal: every one scores 100', () => {
    const nodes = [node('n1', 'zoneA', []), node('n2', 'zoneB', [])];
    expect(score(pod({ foo: 'bar' }, [constraint(ZONE, 1, 'ScheduleAnyway')]), nodes)).toEqual({ n1: 100, n2: 100 });
  });
});

describe(`A whole cluster scheduling with your code (seed ${SEED})`, () => {
  it('a ReplicaSet of 6 with maxSkew 1 on zone spreads 2 / 2 / 2 over three zones', () => {
    podTopologySpread({ pod: pod({}), nodes: [] }); // your code first: a stub fails here
    const cluster = createCluster({ seed: SEED, workers: 4, use: { 'pod-topology-spread': SOURCE } });
    const workers = workerNames(cluster);
    // zone-a has two nodes, zone-b and zone-c one each: without the constraint zone-a would get more.
    const zones = ['zone-a', 'zone-a', 'zone-b', 'zone-c'];
    workers.forEach((w, i) => labelNode(cluster, w, { [ZONE]: zones[i] }));
    cluster.runFor(1_000);
    cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 6
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: ${ZONE}
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels: { app: web }
      containers:
      - name: nginx
        image: nginx:1.27
`);
    cluster.runFor(20_000);
    const zoneOf = new Map(workers.map((w, i) => [w, zones[i]]));
    const perZone: Record<string, number> = {};
    for (const p of podsNamed(cluster, 'web-')) {
      expect(p.spec.nodeName, `${p.metadata.name} should be scheduled`).toBeDefined();
      const zone = zoneOf.get(p.spec.nodeName!)!;
      perZone[zone] = (perZone[zone] ?? 0) + 1;
    }
    expect(perZone, 'maxSkew 1 over three zones with 6 replicas: 2 each').toEqual({ 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 });
  });
});
