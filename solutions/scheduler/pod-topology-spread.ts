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
import { MAX_NODE_SCORE, success, unresolvable, unschedulable, type Status } from '../../lab-kernel/scheduler/framework-types';
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  LABEL_HOSTNAME,
  type PodTopologySpreadInput,
  type PodTopologySpreadResult,
  type TopologyNode,
} from '../../lab-kernel/scheduler/plugins/pod-topology-spread-contract';

/**
 * The plugin: split the pod's constraints by whenUnsatisfiable, then
 *   filter: filterNodes(pod, the DoNotSchedule ones, nodes)
 *   score:  {} when input.feasible is undefined or there is no ScheduleAnyway constraint,
 *           otherwise scoreNodes(pod, the ScheduleAnyway ones, nodes, feasible)
 */
export function podTopologySpread(input: PodTopologySpreadInput): PodTopologySpreadResult {
  // BEGIN SOLUTION
  // The original: kube-scheduler's plugins/podtopologyspread (filtering.go, scoring.go).
  const constraints = input.pod.spec.topologySpreadConstraints ?? [];
  const hard = constraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
  const soft = constraints.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
  return {
    filter: filterNodes(input.pod, hard, input.nodes),
    score: input.feasible === undefined || soft.length === 0 ? {} : scoreNodes(input.pod, soft, input.nodes, input.feasible),
  };
  // END SOLUTION
}

/**
 * TODO(1) How many of these pods count for the constraint: in `namespace`, without
 * metadata.deletionTimestamp, and matched by constraint.labelSelector (selectorMatches from
 * lab-kernel/api/labels.ts). A constraint without a labelSelector matches no pod at all.
 */
export function countMatching(pods: readonly Readonly<Pod>[], constraint: Readonly<TopologySpreadConstraint>, namespace: string | undefined): number {
  void selectorMatches;
  // BEGIN SOLUTION
  // kube-scheduler's countPodsMatchSelector.
  if (constraint.labelSelector === undefined) return 0;
  let n = 0;
  for (const p of pods) {
    if (p.metadata.namespace !== namespace || p.metadata.deletionTimestamp) continue;
    if (selectorMatches(constraint.labelSelector, p.metadata.labels)) n++;
  }
  return n;
  // END SOLUTION
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
  // BEGIN SOLUTION
  function filterOne(node: Readonly<TopologyNode>, constraints: readonly TopologySpreadConstraint[], counts: Map<string, number>[], minimums: number[], selfMatch: number[]): Status {
    for (let i = 0; i < constraints.length; i++) {
      const domain = node.labels[constraints[i].topologyKey];
      if (domain === undefined) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const skew = (counts[i].get(domain) ?? 0) + selfMatch[i] - minimums[i];
      if (skew > constraints[i].maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return success();
  }

  const filter: Record<string, Status> = {};
  if (constraints.length === 0) {
    for (const node of nodes) filter[node.name] = success();
    return filter;
  }
  // PreFilter: matching pods per domain, counted on eligible nodes that have all the keys.
  const counts = constraints.map(() => new Map<string, number>());
  for (const node of nodes) {
    if (!node.matchesNodeAffinity || !hasAllKeys(node, constraints)) continue;
    constraints.forEach((c, i) => {
      const domain = node.labels[c.topologyKey];
      counts[i].set(domain, (counts[i].get(domain) ?? 0) + countMatching(node.pods, c, pod.metadata.namespace));
    });
  }
  const minimums = constraints.map((c, i) => {
    const values = [...counts[i].values()];
    // Fewer domains than minDomains: the global minimum is taken as 0.
    if (c.minDomains !== undefined && values.length < c.minDomains) return 0;
    return values.length === 0 ? Infinity : Math.min(...values);
  });
  const selfMatch = constraints.map((c) => (c.labelSelector !== undefined && selectorMatches(c.labelSelector, pod.metadata.labels) ? 1 : 0));
  for (const node of nodes) filter[node.name] = filterOne(node, constraints, counts, minimums, selfMatch);
  return filter;
  // END SOLUTION
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
  // BEGIN SOLUTION
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const candidates = feasible.map((name) => byName.get(name)).filter((n): n is TopologyNode => n !== undefined);
  const ignored = new Set(candidates.filter((n) => !hasAllKeys(n, constraints)).map((n) => n.name));
  const scored = candidates.filter((n) => !ignored.has(n.name));
  // Domains of the feasible nodes, and the matching pods in each, counted over all eligible nodes.
  const domainCounts = constraints.map((c) => new Map(scored.map((n) => [n.labels[c.topologyKey], 0])));
  for (const node of nodes) {
    if (!node.matchesNodeAffinity || !hasAllKeys(node, constraints)) continue;
    constraints.forEach((c, i) => {
      const domain = node.labels[c.topologyKey];
      if (c.topologyKey === LABEL_HOSTNAME || !domainCounts[i].has(domain)) return;
      domainCounts[i].set(domain, domainCounts[i].get(domain)! + countMatching(node.pods, c, pod.metadata.namespace));
    });
  }
  const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? scored.length : domainCounts[i].size) + 2));
  const raw = new Map<string, number>();
  for (const node of scored) {
    let score = 0;
    constraints.forEach((c, i) => {
      const count = c.topologyKey === LABEL_HOSTNAME ? countMatching(node.pods, c, pod.metadata.namespace) : domainCounts[i].get(node.labels[c.topologyKey])!;
      score += count * weights[i] + (c.maxSkew - 1);
    });
    raw.set(node.name, Math.round(score));
  }
  const values = [...raw.values()];
  const [min, max] = [Math.min(...values), Math.max(0, ...values)];
  const result: Record<string, number> = {};
  for (const node of candidates) {
    const s = raw.get(node.name);
    if (s === undefined) result[node.name] = 0;
    else result[node.name] = max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - s)) / max);
  }
  return result;
  // END SOLUTION
}
