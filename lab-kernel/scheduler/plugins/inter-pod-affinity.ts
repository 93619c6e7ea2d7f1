import { selectorMatches } from '../../api/labels';
import type { Node, Pod, PodAffinityTerm } from '../../api/types';
import {
  MAX_NODE_SCORE,
  skip,
  success,
  unresolvable,
  unschedulable,
  type CycleState,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework-types';
import { interPodAffinityEvents } from './inter-pod-affinity-hints';

/**
 * InterPodAffinity: place a pod near pods it likes (podAffinity) and away from pods it must
 * avoid (podAntiAffinity), where "near" means "in the same topology domain": same node for
 * kubernetes.io/hostname, same zone for topology.kubernetes.io/zone.
 *
 *   pod with required anti-affinity app=web on hostname, node-1 runs an app=web pod
 *   // => node-1: Unschedulable "node(s) didn't match pod anti-affinity rules"
 *
 * Filter checks three things, in kube-scheduler's order:
 *   1. every required affinity term of the pod is met by a pod in the node's domain, unless no
 *      pod anywhere matches it and the pod matches its own term (the first pod of a group)
 *      ("node(s) didn't match pod affinity rules", unresolvable);
 *   2. no pod in the node's domain matches a required anti-affinity term of the pod
 *      ("node(s) didn't match pod anti-affinity rules");
 *   3. no existing pod's required anti-affinity term matches the incoming pod in the node's domain
 *      ("node(s) didn't satisfy existing pods anti-affinity rules").
 *
 * Its QueueingHints are in inter-pod-affinity-hints.ts.
 *
 * Lab simplifications: namespaceSelector and matchLabelKeys are not modelled (a term looks in
 * its `namespaces`, or the pod's own namespace); the Score counts only the incoming pod's
 * preferred terms (+weight per matching pod in the domain for affinity, -weight for
 * anti-affinity), not the existing pods' preferred terms towards it.
 */
export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
const FILTER_KEY = `PreFilter${INTER_POD_AFFINITY}`;
const SCORE_KEY = `PreScore${INTER_POD_AFFINITY}`;

/** Whether `term`, written in a pod of namespace `ownerNamespace`, selects `target`. */
export function termMatchesPod(term: Readonly<PodAffinityTerm>, ownerNamespace: string | undefined, target: Readonly<Pod>): boolean {
  const namespaces = term.namespaces && term.namespaces.length > 0 ? term.namespaces : [ownerNamespace];
  if (!namespaces.includes(target.metadata.namespace)) return false;
  return term.labelSelector !== undefined && selectorMatches(term.labelSelector, target.metadata.labels);
}

/** `${topologyKey}=${value}` of a node, or undefined when the node lacks the label. */
function domainOf(node: Readonly<Node>, topologyKey: string): string | undefined {
  const value = node.metadata.labels?.[topologyKey];
  return value === undefined ? undefined : `${topologyKey}=${value}`;
}

interface FilterState {
  /** Domains where an existing pod's required anti-affinity rejects the incoming pod. */
  existingAntiAffinity: Set<string>;
  /** Per required affinity term: the domains holding a matching pod. */
  affinity: Set<string>[];
  /** Whether some pod anywhere matches each affinity term. */
  affinityMatchedAnywhere: boolean[];
  /** Per required anti-affinity term: the domains holding a matching pod. */
  antiAffinity: Set<string>[];
}

/**
 * PreFilter: the domains each rule cares about, from the pods with anti-affinity (on
 * `withAntiAffinity`, the snapshot's nodes that hold some) and, if the pod has terms of its
 * own, every pod on every node.
 */
export function computeFilterState(pod: Readonly<Pod>, nodes: readonly NodeInfo[], withAntiAffinity: readonly NodeInfo[]): FilterState {
  const affinityTerms = pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const antiTerms = pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const state: FilterState = {
    existingAntiAffinity: new Set(),
    affinity: affinityTerms.map(() => new Set()),
    affinityMatchedAnywhere: affinityTerms.map(() => false),
    antiAffinity: antiTerms.map(() => new Set()),
  };
  const ns = pod.metadata.namespace;
  // Existing pods' anti-affinity: only the pods that have some (getExistingAntiAffinityCounts).
  for (const info of withAntiAffinity) {
    for (const { pod: other } of info.podsWithRequiredAntiAffinity) {
      for (const term of other.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
        const domain = domainOf(info.node, term.topologyKey);
        if (domain !== undefined && termMatchesPod(term, other.metadata.namespace, pod)) state.existingAntiAffinity.add(domain);
      }
    }
  }
  // The incoming pod's own terms, against every pod (getIncomingAffinityAntiAffinityCounts): none, no pass.
  if (affinityTerms.length === 0 && antiTerms.length === 0) return state;
  for (const info of nodes) {
    for (const { pod: other } of info.pods) {
      affinityTerms.forEach((term, i) => {
        if (!termMatchesPod(term, ns, other)) return;
        state.affinityMatchedAnywhere[i] = true;
        const domain = domainOf(info.node, term.topologyKey);
        if (domain !== undefined) state.affinity[i].add(domain);
      });
      antiTerms.forEach((term, i) => {
        const domain = domainOf(info.node, term.topologyKey);
        if (domain !== undefined && termMatchesPod(term, ns, other)) state.antiAffinity[i].add(domain);
      });
    }
  }
  return state;
}

/** Filter: the three checks above, against the domains PreFilter collected. */
export function interPodAffinityStatus(pod: Readonly<Pod>, node: Readonly<Node>, state: FilterState): Status {
  const affinityTerms = pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const allMet = affinityTerms.every((term, i) => {
    const domain = domainOf(node, term.topologyKey);
    return domain !== undefined && state.affinity[i].has(domain);
  });
  if (!allMet) {
    // The first pod of a group that wants to be with its own kind may go anywhere with the keys.
    const selfAffine = affinityTerms.every((term, i) => !state.affinityMatchedAnywhere[i] && termMatchesPod(term, pod.metadata.namespace, pod) && domainOf(node, term.topologyKey) !== undefined);
    if (!selfAffine) return unresolvable(ERR_REASON_AFFINITY);
  }
  const antiTerms = pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  if (antiTerms.some((term, i) => state.antiAffinity[i].has(domainOf(node, term.topologyKey) ?? ''))) return unschedulable(ERR_REASON_ANTI_AFFINITY);
  if ([...state.existingAntiAffinity].some((d) => domainOf(node, d.slice(0, d.indexOf('='))) === d)) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
  return success();
}

/** Per domain (`key=value`), the weighted count of matching pods from the pod's preferred terms. */
export function preferredDomainScores(pod: Readonly<Pod>, nodes: readonly NodeInfo[]): Map<string, number> {
  const weighted = [
    ...(pod.spec.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => ({ term: p.podAffinityTerm, weight: p.weight })),
    ...(pod.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => ({ term: p.podAffinityTerm, weight: -p.weight })),
  ];
  const scores = new Map<string, number>();
  for (const info of nodes) {
    for (const { pod: other } of info.pods) {
      for (const { term, weight } of weighted) {
        const domain = domainOf(info.node, term.topologyKey);
        if (domain !== undefined && termMatchesPod(term, pod.metadata.namespace, other)) scores.set(domain, (scores.get(domain) ?? 0) + weight);
      }
    }
  }
  return scores;
}

function hasRequiredTerms(pod: Readonly<Pod>): boolean {
  const a = pod.spec.affinity;
  return (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0 || (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}

export function interPodAffinityPlugin(handle: Handle): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name: INTER_POD_AFFINITY,
    preFilter(state, pod, nodes) {
      const withAntiAffinity = handle.snapshot().havePodsWithRequiredAntiAffinity();
      if (!hasRequiredTerms(pod) && withAntiAffinity.length === 0) return { status: skip() };
      state.set(FILTER_KEY, computeFilterState(pod, nodes, withAntiAffinity));
      return { status: success() };
    },
    filter(state: CycleState, pod, node) {
      const s = state.get(FILTER_KEY) as FilterState | undefined;
      return s ? interPodAffinityStatus(pod, node.node, s) : success();
    },
    preScore(state, pod) {
      const a = pod.spec.affinity;
      if (!a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length && !a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length) return skip();
      state.set(SCORE_KEY, preferredDomainScores(pod, handle.snapshot().nodeInfos()));
      return success();
    },
    score(state, _pod, node) {
      const domains = state.get(SCORE_KEY) as Map<string, number> | undefined;
      let score = 0;
      for (const [domain, value] of domains ?? []) {
        const key = domain.slice(0, domain.indexOf('='));
        if (domainOf(node.node, key) === domain) score += value;
      }
      return { score, status: success() };
    },
    normalizeScore(_state, _pod, scores) {
      const values = scores.map((s) => s.score);
      const [min, max] = [Math.min(...values), Math.max(...values)];
      for (const s of scores) s.score = max - min > 0 ? Math.trunc((MAX_NODE_SCORE * (s.score - min)) / (max - min)) : 0;
      return success();
    },
    eventsToRegister: () => interPodAffinityEvents(termMatchesPod),
  };
}
