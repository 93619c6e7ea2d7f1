/**
 * Exercise `node-affinity` — reference solution. See exercises/scheduler/node-affinity.ts for
 * the specification, and k8s.io/component-helpers/scheduling/corev1/nodeaffinity for the original.
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../lab-kernel/api/types';
import { success, unresolvable } from '../../lab-kernel/scheduler/framework-types';
import { ERR_REASON_POD, NODE_FIELD_NAME, type NodeAffinityInput, type NodeAffinityResult } from '../../lab-kernel/scheduler/plugins/node-affinity-contract';

export function nodeAffinity(input: NodeAffinityInput): NodeAffinityResult {
  if (!requiredMatches(input.pod, input.node)) return { status: unresolvable(ERR_REASON_POD), score: 0 };
  return { status: success(), score: preferredScore(input.pod, input.node) };
}

/** Both nodeSelector and the required affinity, when present, must match. */
export function requiredMatches(pod: Readonly<Pod>, node: Readonly<Node>): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[key] !== value) return false;
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required === undefined || required.nodeSelectorTerms.some((term) => termMatches(term, node));
}

/** The sum of the weights of the preferred terms the node matches. */
export function preferredScore(pod: Readonly<Pod>, node: Readonly<Node>): number {
  const preferred = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return preferred.filter((p) => p.weight !== 0 && termMatches(p.preference, node)).reduce((sum, p) => sum + p.weight, 0);
}

/** A term matches when all its requirements do; a term with none matches nothing. */
export function termMatches(term: Readonly<NodeSelectorTerm>, node: Readonly<Node>): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return (
    expressions.every((r) => requirementMatches(r, labels)) &&
    fields.every((r) => r.key === NODE_FIELD_NAME && requirementMatches(r, { [NODE_FIELD_NAME]: node.metadata.name ?? '' }))
  );
}

/** One requirement against a label map. */
export function requirementMatches(req: Readonly<NodeSelectorRequirement>, labels: Readonly<Record<string, string>>): boolean {
  const present = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return present && values.includes(value);
    case 'NotIn':
      return !present || !values.includes(value);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
    case 'Lt': {
      if (!present || values.length !== 1) return false;
      const [have, bound] = [toInteger(value), toInteger(values[0])];
      if (have === undefined || bound === undefined) return false;
      return req.operator === 'Gt' ? have > bound : have < bound;
    }
    default:
      return false;
  }
}

/** A label value read as Go's strconv.ParseInt does: optional sign, decimal digits only. */
function toInteger(text: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(text) ? Number(text) : undefined;
}
