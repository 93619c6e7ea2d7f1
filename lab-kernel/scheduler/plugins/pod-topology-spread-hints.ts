import { selectorMatches } from '../../api/labels';
import type { Labels, Node, Pod, TopologySpreadConstraint } from '../../api/types';
import { isSamePod, objectsAs, semanticallyEqual } from '../cluster-events';
import type { ClusterEventWithHint, QueueingHint } from '../framework-types';

/**
 * PodTopologySpread's QueueingHints (plugins/podtopologyspread/plugin.go, 1.32): which changes
 * may change the counts that rejected a pod. Only its DoNotSchedule constraints count (those
 * that filter); without any, PodTopologySpread never rejects it.
 *
 *   bound pod app=web added in the pod's namespace, a constraint selects app=web   // => Queue
 *   bound pod app=db deleted                                                         // => QueueSkip
 *   node-3 added with every constraint's topologyKey                                 // => Queue
 *   node-3's label disk changed, no constraint on disk                               // => QueueSkip
 *
 * These read the constraints' selectors and topology keys, as upstream's hints do, not the
 * skew arithmetic of exercise `pod-topology-spread`: the function answers where the pod may
 * go, not which pods and nodes it counts.
 *
 * Lab simplifications: constraints have no nodeTaintsPolicy (always Ignore), so the pod's own
 * new toleration never retries it; matchLabelKeys and the cluster's default constraints are
 * not modelled (see pod-topology-spread.ts).
 */
export function podTopologySpreadEvents(): ClusterEventWithHint[] {
  return [
    { event: { resource: 'Pod', actions: ['Add', 'UpdatePodLabel', 'UpdatePodTolerations', 'Delete'] }, hint: afterPodChange },
    { event: { resource: 'Node', actions: ['Add', 'Delete', 'UpdateNodeLabel', 'UpdateNodeTaint'] }, hint: afterNodeChange },
  ];
}

function constraintsOf(pod: Readonly<Pod>): TopologySpreadConstraint[] {
  return (pod.spec.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
}

/** A selector that is missing selects nothing (LabelSelectorAsSelector(nil) is labels.Nothing()). */
function selects(c: TopologySpreadConstraint, labels: Readonly<Labels> | undefined): boolean {
  return c.labelSelector !== undefined && selectorMatches(c.labelSelector, labels);
}

/** involvedInTopologySpreading: the pod itself, or a bound pod of its namespace. */
function involved(other: Readonly<Pod>, pod: Readonly<Pod>): boolean {
  return isSamePod(other, pod) || (!!other.spec.nodeName && other.metadata.namespace === pod.metadata.namespace);
}

/** isSchedulableAfterPodChange: a pod it counts (or stops counting) was added, relabelled or deleted. */
function afterPodChange(pod: Readonly<Pod>, oldObj: unknown, newObj: unknown): QueueingHint {
  const [original, modified] = objectsAs<Pod>('Pod', oldObj, newObj);
  if ((modified !== undefined && !involved(modified, pod)) || (original !== undefined && !involved(original, pod))) return 'QueueSkip';
  const constraints = constraintsOf(pod);
  if (original !== undefined && modified !== undefined) {
    // (A new toleration of the pod itself matters only with nodeTaintsPolicy Honor, which the lab does not have.)
    if (sameLabels(original.metadata.labels, modified.metadata.labels)) return 'QueueSkip';
    return constraints.some((c) => selects(c, original.metadata.labels) !== selects(c, modified.metadata.labels)) ? 'Queue' : 'QueueSkip';
  }
  const changed = (modified ?? original)!;
  return constraints.some((c) => selects(c, changed.metadata.labels)) ? 'Queue' : 'QueueSkip';
}

/** Whether a node has the topologyKey of every constraint (nodeLabelsMatchSpreadConstraints). */
function hasAllKeys(node: Readonly<Node>, constraints: readonly TopologySpreadConstraint[]): boolean {
  return constraints.every((c) => Object.prototype.hasOwnProperty.call(node.metadata.labels ?? {}, c.topologyKey));
}

/**
 * isSchedulableAfterNodeChange: a node that joins or leaves the domains (has all the keys),
 * or that stays in them while a key's value or its taints change.
 */
function afterNodeChange(pod: Readonly<Pod>, oldObj: unknown, newObj: unknown): QueueingHint {
  const [original, modified] = objectsAs<Node>('Node', oldObj, newObj);
  const constraints = constraintsOf(pod);
  const was = original !== undefined && hasAllKeys(original, constraints);
  const is = modified !== undefined && hasAllKeys(modified, constraints);
  if (original !== undefined && modified !== undefined) {
    if (was !== is) return 'Queue';
    const keyChanged = constraints.some((c) => original.metadata.labels?.[c.topologyKey] !== modified.metadata.labels?.[c.topologyKey]);
    const taintsChanged = !semanticallyEqual(original.spec.taints ?? [], modified.spec.taints ?? []);
    return is && (keyChanged || taintsChanged) ? 'Queue' : 'QueueSkip';
  }
  return (modified !== undefined ? is : was) ? 'Queue' : 'QueueSkip';
}

/** Whether two label maps are equal (a missing map as an empty one: they select alike). */
function sameLabels(a: Readonly<Labels> | undefined, b: Readonly<Labels> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => (b ?? {})[k] === (a ?? {})[k] && Object.prototype.hasOwnProperty.call(b ?? {}, k));
}
