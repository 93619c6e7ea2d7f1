/**
 * Exercise `pod-topology-spread` — reference solution. See
 * exercises/scheduler/pod-topology-spread.ts for the specification, and kube-scheduler's
 * plugins/podtopologyspread (filtering.go, scoring.go) for the original.
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

export function podTopologySpread(input: PodTopologySpreadInput): PodTopologySpreadResult {
  const constraints = input.pod.spec.topologySpreadConstraints ?? [];
  const hard = constraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
  const soft = constraints.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
  return {
    filter: filterNodes(input.pod, hard, input.nodes),
    score: input.feasible === undefined || soft.length === 0 ? {} : scoreNodes(input.pod, soft, input.nodes, input.feasible),
  };
}

/** countPodsMatchSelector: pods in the pod's namespace, not terminating, that the selector matches (no selector: none). */
export function countMatching(pods: readonly Readonly<Pod>[], constraint: Readonly<TopologySpreadConstraint>, namespace: string | undefined): number {
  if (constraint.labelSelector === undefined) return 0;
  let n = 0;
  for (const p of pods) {
    if (p.metadata.namespace !== namespace || p.metadata.deletionTimestamp) continue;
    if (selectorMatches(constraint.labelSelector, p.metadata.labels)) n++;
  }
  return n;
}

/** Whether the node has every constraint's topologyKey label. */
function hasAllKeys(node: Readonly<TopologyNode>, constraints: readonly TopologySpreadConstraint[]): boolean {
  return constraints.every((c) => c.topologyKey in node.labels);
}

/** Filter: for each node, skew = matching pods in its domain + 1 if the pod matches itself - the global minimum. */
export function filterNodes(pod: Readonly<Pod>, constraints: readonly TopologySpreadConstraint[], nodes: readonly TopologyNode[]): Record<string, Status> {
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
}

function filterOne(node: Readonly<TopologyNode>, constraints: readonly TopologySpreadConstraint[], counts: Map<string, number>[], minimums: number[], selfMatch: number[]): Status {
  for (let i = 0; i < constraints.length; i++) {
    const domain = node.labels[constraints[i].topologyKey];
    if (domain === undefined) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
    const skew = (counts[i].get(domain) ?? 0) + selfMatch[i] - minimums[i];
    if (skew > constraints[i].maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
  }
  return success();
}

/**
 * Score: per constraint, count * log(number of domains + 2) + (maxSkew - 1), summed and
 * rounded; then normalised so the node with the fewest matching pods gets 100. Feasible
 * nodes missing a topology label score 0.
 */
export function scoreNodes(pod: Readonly<Pod>, constraints: readonly TopologySpreadConstraint[], nodes: readonly TopologyNode[], feasible: readonly string[]): Record<string, number> {
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
}
