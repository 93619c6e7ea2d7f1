/**
 * Exercise `pod-topology-spread` — spread replicas across zones and hosts.    (chapter 05)
 *
 * Three replicas of a web server on one node die together with it. topologySpreadConstraints
 * ask the scheduler to keep them apart:
 *
 *   topologySpreadConstraints:
 *   - maxSkew: 1                                   at most 1 more pod in one domain than in the emptiest
 *     topologyKey: topology.kubernetes.io/zone     a domain = all nodes with the same value of this label
 *     whenUnsatisfiable: DoNotSchedule             a hard rule (Filter); ScheduleAnyway: a preference (Score)
 *     labelSelector: { matchLabels: { app: web } } which pods count (same namespace, not terminating)
 *     minDomains: 3                                optional: with fewer domains, the minimum counts as 0
 *
 * Filter, for each constraint and node:
 *   skew = (matching pods in the node's domain) + (1 if the pod matches the selector itself)
 *          - (the fewest matching pods in any domain)
 *   skew > maxSkew  => Unschedulable ["node(s) didn't match pod topology spread constraints"]
 *   node lacks the topologyKey label => UnschedulableAndUnresolvable
 *                                       ["node(s) didn't match pod topology spread constraints (missing required label)"]
 * Only nodes with every topologyKey label and matchesNodeAffinity true are counted.
 *
 * Input => output, by example (maxSkew 1 on zone, DoNotSchedule, selector app=web, pod app=web):
 *
 *   n1 zone a: 2 web pods; n2 zone b: 1 web pod; n3 zone b: 0
 *     zone a: 2, zone b: 1, minimum 1
 *     n1: 2 + 1 - 1 = 2 > 1  => Unschedulable
 *     n2, n3: 1 + 1 - 1 = 1  => Success
 *   n4 with no zone label    => UnschedulableAndUnresolvable (missing required label)
 *
 * Run the cluster on your code with createCluster({ use: { 'pod-topology-spread': 'exercise' } })
 * and grade it with  npm run grade -- pod-topology-spread
 */
import { selectorMatches } from '../../lab-kernel/api/labels';
import type { Pod, TopologySpreadConstraint } from '../../lab-kernel/api/types';
import { success, unresolvable, unschedulable, type Status } from '../../lab-kernel/scheduler/framework-types';
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  LABEL_HOSTNAME,
  type PodTopologySpreadInput,
  type PodTopologySpreadResult,
  type TopologyNode,
} from '../../lab-kernel/scheduler/plugins/pod-topology-spread-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/**
 * The plugin: split the pod's constraints by whenUnsatisfiable, then
 *   filter: filterNodes(pod, the DoNotSchedule ones, nodes)
 *   score:  {} when input.feasible is undefined or there is no ScheduleAnyway constraint,
 *           otherwise scoreNodes(pod, the ScheduleAnyway ones, nodes, feasible)
 */
export function podTopologySpread(input: PodTopologySpreadInput): PodTopologySpreadResult {
  throw notImplemented('pod-topology-spread');
}

/**
 * TODO(1) How many of these pods count for the constraint: in `namespace`, without
 * metadata.deletionTimestamp, and matched by constraint.labelSelector (selectorMatches from
 * lab-kernel/api/labels.ts). A constraint without a labelSelector matches no pod at all.
 */
export function countMatching(pods: readonly Readonly<Pod>[], constraint: Readonly<TopologySpreadConstraint>, namespace: string | undefined): number {
  void selectorMatches;
  throw notImplemented('pod-topology-spread');
}

/** Whether the node has every constraint's topologyKey label. */
export function hasAllKeys(node: Readonly<TopologyNode>, constraints: readonly TopologySpreadConstraint[]): boolean {
  return constraints.every((c) => c.topologyKey in node.labels);
}

/**
 * TODO(2) Count: for each constraint, a Map from domain (the node's topologyKey value) to the
 * matching pods in it, over the nodes with matchesNodeAffinity and every constraint's key.
 * The global minimum is the smallest count (Infinity when there is no domain), or 0 when
 * minDomains is set and there are fewer domains than that.
 *
 * TODO(3) Then every node gets a Status (success(), unschedulable(...), unresolvable(...) from
 * framework-types.ts): check the constraints in order; the first failure decides. With no
 * constraints every node gets success().
 */
export function filterNodes(pod: Readonly<Pod>, constraints: readonly TopologySpreadConstraint[], nodes: readonly TopologyNode[]): Record<string, Status> {
  void ERR_REASON_CONSTRAINTS_NOT_MATCH;
  void ERR_REASON_NODE_LABEL_NOT_MATCH;
  void success;
  void unresolvable;
  void unschedulable;
  throw notImplemented('pod-topology-spread');
}

/**
 * TODO(4) Score the feasible nodes for ScheduleAnyway constraints (kube-scheduler's scoring.go):
 *   - a feasible node missing any topologyKey label is ignored: its final score is 0;
 *   - the domains are those of the other feasible nodes; count matching pods per domain over
 *     all nodes with matchesNodeAffinity and every key (as in TODO(2)), but for
 *     LABEL_HOSTNAME count just the node's own pods;
 *   - weight per constraint: Math.log(number of domains + 2), where for LABEL_HOSTNAME the
 *     number of domains is the number of scored (not ignored) feasible nodes;
 *   - raw score of a node: Math.round(sum over constraints of count * weight + (maxSkew - 1));
 *   - normalise: with min and max the smallest and largest raw scores (max at least 0),
 *     final = max === 0 ? 100 : Math.trunc(100 * (max + min - raw) / max).
 *
 *   two zones, a: 2 web pods, b: 0; maxSkew 1; weight log(4) = 1.386
 *     node in a: round(2 * 1.386) = 3; node in b: 0  => a: 100 * (3 + 0 - 3) / 3 = 0, b: 100
 */
export function scoreNodes(pod: Readonly<Pod>, constraints: readonly TopologySpreadConstraint[], nodes: readonly TopologyNode[], feasible: readonly string[]): Record<string, number> {
  void LABEL_HOSTNAME;
  throw notImplemented('pod-topology-spread');
}
