/**
 * Exercise `node-affinity` — which nodes may this pod run on, and which does it prefer?  (chapter 05)
 *
 * A pod can ask for nodes by their labels, two ways:
 *
 *   spec.nodeSelector: { disktype: 'ssd' }              every label must be on the node, equal
 *   spec.affinity.nodeAffinity:
 *     requiredDuringSchedulingIgnoredDuringExecution    a hard rule (Filter)
 *       nodeSelectorTerms: [term, term, ...]            ORed: one matching term is enough
 *         term.matchExpressions: [req, req, ...]        ANDed: every requirement must hold
 *         term.matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }]
 *     preferredDuringSchedulingIgnoredDuringExecution   soft wishes (Score)
 *       [{ weight: 1..100, preference: term }, ...]     the weights of the matching terms add up
 *
 * When both nodeSelector and required affinity are given, both must match. "IgnoredDuringExecution":
 * a pod already running stays put when the node's labels change later.
 *
 * Operators: In, NotIn, Exists, DoesNotExist, Gt, Lt (Gt/Lt compare one integer value).
 *
 * Input => output, by example (node-1 labelled zone=a, disktype=ssd, cores=8):
 *
 *   nodeSelector { disktype: 'ssd' }                              => Success, score 0
 *   nodeSelector { disktype: 'hdd' }                              => UnschedulableAndUnresolvable
 *                                                     ["node(s) didn't match Pod's node affinity/selector"]
 *   required terms [ [zone In (b)], [disktype Exists] ]           => Success (second term matches)
 *   required terms [ [zone In (a), cores Gt 16] ]                 => Unresolvable (8 is not > 16)
 *   required terms [ matchFields metadata.name In (node-1) ]     => Success
 *   preferred [80: zone In (a)], [20: gpu Exists]                 => Success, score 80
 *
 * Run the cluster on your code with createCluster({ use: { 'node-affinity': 'exercise' } })
 * and grade it with  npm run grade -- node-affinity
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../lab-kernel/api/types';
import { success, unresolvable } from '../../lab-kernel/scheduler/framework-types';
import { ERR_REASON_POD, NODE_FIELD_NAME, type NodeAffinityInput, type NodeAffinityResult } from '../../lab-kernel/scheduler/plugins/node-affinity-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/**
 * The plugin: requiredMatches false => { status: unresolvable(ERR_REASON_POD), score: 0 };
 * otherwise { status: success(), score: preferredScore(pod, node) }.
 * (success and unresolvable come from lab-kernel/scheduler/framework-types.ts.)
 */
export function nodeAffinity(input: NodeAffinityInput): NodeAffinityResult {
  void ERR_REASON_POD;
  void success;
  void unresolvable;
  throw notImplemented('node-affinity');
}

/**
 * TODO(3) The Filter: every nodeSelector label equal on the node, and, if the pod has
 * requiredDuringSchedulingIgnoredDuringExecution, at least one of its nodeSelectorTerms matching.
 */
export function requiredMatches(pod: Readonly<Pod>, node: Readonly<Node>): boolean {
  throw notImplemented('node-affinity');
}

/** TODO(4) The Score: the sum of the weights of the preferred terms that match the node. */
export function preferredScore(pod: Readonly<Pod>, node: Readonly<Node>): number {
  throw notImplemented('node-affinity');
}

/**
 * TODO(2) One term: all its matchExpressions hold against the node's labels and all its
 * matchFields hold against { 'metadata.name': node's name } (a matchFields key other than
 * NODE_FIELD_NAME never matches). A term with no requirements at all matches nothing.
 */
export function termMatches(term: Readonly<NodeSelectorTerm>, node: Readonly<Node>): boolean {
  void NODE_FIELD_NAME;
  throw notImplemented('node-affinity');
}

/**
 * TODO(1) One requirement against a label map:
 *   In            the label is there and its value is one of values
 *   NotIn         the label is missing, or its value is none of values
 *   Exists        the label is there (any value)
 *   DoesNotExist  the label is missing
 *   Gt / Lt       the label is there, both it and values[0] are integers ('8', '-2'; not '8.5'),
 *                 and label > values[0] (Gt) or label < values[0] (Lt)
 *
 *   { key: 'zone', operator: 'NotIn', values: ['a'] } vs {}            => true
 *   { key: 'cores', operator: 'Gt', values: ['4'] }   vs { cores: '8' } => true
 *   { key: 'cores', operator: 'Gt', values: ['4'] }   vs { cores: 'x' } => false
 */
export function requirementMatches(req: Readonly<NodeSelectorRequirement>, labels: Readonly<Record<string, string>>): boolean {
  throw notImplemented('node-affinity');
}
