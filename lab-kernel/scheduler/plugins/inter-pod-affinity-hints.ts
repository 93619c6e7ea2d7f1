import type { Node, Pod, PodAffinityTerm } from '../../api/types';
import { objectsAs } from '../cluster-events';
import type { ClusterEventWithHint, QueueingHint } from '../framework-types';

/** Whether `term`, written in a pod of namespace `ownerNamespace`, selects `target` (the Filter's termMatchesPod). */
export type TermMatcher = (term: Readonly<PodAffinityTerm>, ownerNamespace: string | undefined, target: Readonly<Pod>) => boolean;

/**
 * InterPodAffinity's QueueingHints (plugins/interpodaffinity/plugin.go, 1.32), from the pod's
 * own required terms, matched as the Filter matches them (`matches`, passed in by the plugin):
 *
 *   bound pod added that matches all its affinity terms                 // => Queue
 *   bound pod updated to match all affinity terms, or to stop matching
 *   all anti-affinity terms                                             // => Queue
 *   bound pod deleted that matched all its anti-affinity terms          // => Queue
 *   node added or relabelled with the topologyKey of one of its terms   // => Queue
 *
 * Upstream's gap is kept: a pod turned away by an existing pod's anti-affinity is not retried
 * when that pod is deleted (its own terms do not match it), only by another event or the
 * 5-minute flush.
 */
export function interPodAffinityEvents(matches: TermMatcher): ClusterEventWithHint[] {
  /** podMatchesAllAffinityTerms: no terms match nothing. */
  const matchesAll = (terms: readonly PodAffinityTerm[], owner: Readonly<Pod>, target: Readonly<Pod>) =>
    terms.length > 0 && terms.every((t) => matches(t, owner.metadata.namespace, target));
  const afterPodChange = (pod: Readonly<Pod>, oldObj: unknown, newObj: unknown): QueueingHint => {
    const [original, modified] = objectsAs<Pod>('Pod', oldObj, newObj);
    if ((modified !== undefined && !modified.spec.nodeName) || (original !== undefined && !original.spec.nodeName)) return 'QueueSkip';
    const { terms, antiTerms } = requiredTerms(pod);
    if (original !== undefined && modified !== undefined) {
      if (!matchesAll(terms, pod, original) && matchesAll(terms, pod, modified)) return 'Queue';
      return matchesAll(antiTerms, pod, original) && !matchesAll(antiTerms, pod, modified) ? 'Queue' : 'QueueSkip';
    }
    if (modified !== undefined) return matchesAll(terms, pod, modified) ? 'Queue' : 'QueueSkip';
    return matchesAll(antiTerms, pod, original!) ? 'Queue' : 'QueueSkip';
  };
  const afterNodeChange = (pod: Readonly<Pod>, oldObj: unknown, newObj: unknown): QueueingHint => {
    const [, modified] = objectsAs<Node>('Node', oldObj, newObj);
    const { terms, antiTerms } = requiredTerms(pod);
    const labels = modified!.metadata.labels ?? {};
    return [...terms, ...antiTerms].some((t) => Object.prototype.hasOwnProperty.call(labels, t.topologyKey)) ? 'Queue' : 'QueueSkip';
  };
  return [
    { event: { resource: 'Pod', actions: ['Add', 'UpdatePodLabel', 'Delete'] }, hint: afterPodChange },
    // Node UpdateNodeTaint comes from buildQueueingHintMap's quirk (always Queue).
    { event: { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] }, hint: afterNodeChange },
  ];
}

function requiredTerms(pod: Readonly<Pod>): { terms: PodAffinityTerm[]; antiTerms: PodAffinityTerm[] } {
  return {
    terms: pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [],
    antiTerms: pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [],
  };
}
