import { virtualMs } from '../api/time';
import type { Node, Pod } from '../api/types';

/**
 * What kube-controller-manager's pod garbage collector (pkg/controller/podgc) force-deletes on
 * one of its passes, every 20 s. It cleans up after what nobody else will:
 *
 *   terminated   more Succeeded/Failed pods than --terminated-pod-gc-threshold (12500): the
 *                excess goes, evicted pods first, then oldest first (then by name)
 *   outOfService terminating pods on a node that is not Ready and carries the taint
 *                node.kubernetes.io/out-of-service (a node an admin declared dead)
 *   orphaned     pods bound to a node that no longer exists, once the node has been missing
 *                for the 40 s quarantine and a GET confirmed it is gone; they get the
 *                condition DisruptionTarget (reason DeletionByPodGC, "PodGC: node no longer exists")
 *   unscheduled  terminating pods that were never bound to a node (no kubelet will finish them)
 *
 * Each pod is first marked Failed (unless it already ended) and then deleted with a grace
 * period of 0: no kubelet is left to do it the usual way.
 *
 *   podGcPlan({ pods: [web on node-9 (Running)], nodes: [node-1], goneNodes: new Set(['node-9']), threshold: 12500 })
 *   // => [{ pod: web, why: 'orphaned', condition: { type: 'DisruptionTarget', reason: 'DeletionByPodGC', ... } }]
 */
export const TERMINATED_POD_GC_THRESHOLD = 12_500;
export const POD_GC_PERIOD_MS = 20_000;
/** How long a node missing from the informer stays in quarantine before a GET decides whether it is gone. */
export const POD_GC_QUARANTINE_MS = 40_000;
export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

export type PodGcReason = 'terminated' | 'outOfService' | 'orphaned' | 'unscheduled';

export interface PodGcDeletion {
  pod: Readonly<Pod>;
  why: PodGcReason;
  /** The condition set with phase Failed before the delete (orphaned pods only). */
  condition?: { type: 'DisruptionTarget'; status: 'True'; reason: string; message: string };
}

export interface PodGcInput {
  pods: readonly Readonly<Pod>[];
  nodes: readonly Readonly<Node>[];
  /** Nodes confirmed gone: missing past their quarantine, and a GET answered 404. */
  goneNodes: ReadonlySet<string>;
  /** --terminated-pod-gc-threshold; 0 or less turns that pass off. */
  threshold: number;
}

/** The pods one pass deletes, in the controller's order: terminated, out-of-service, orphaned, unscheduled. */
export function podGcPlan(input: PodGcInput): PodGcDeletion[] {
  const out: PodGcDeletion[] = [];
  if (input.threshold > 0) {
    const terminated = input.pods.filter(isTerminated);
    const excess = terminated.length - input.threshold;
    if (excess > 0) for (const pod of [...terminated].sort(evictedThenOldest).slice(0, excess)) out.push({ pod, why: 'terminated' });
  }
  const nodes = new Map(input.nodes.map((n) => [n.metadata.name!, n]));
  const outOfService = input.pods.filter((p) => {
    const node = p.metadata.deletionTimestamp !== undefined ? nodes.get(p.spec.nodeName ?? '') : undefined;
    return node !== undefined && !isReady(node) && (node.spec?.taints ?? []).some((t) => t.key === OUT_OF_SERVICE_TAINT);
  });
  for (const pod of [...outOfService].sort(evictedThenOldest)) out.push({ pod, why: 'outOfService' });
  for (const pod of input.pods) {
    if (!pod.spec.nodeName || !input.goneNodes.has(pod.spec.nodeName)) continue;
    out.push({ pod, why: 'orphaned', condition: { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' } });
  }
  for (const pod of input.pods) if (pod.metadata.deletionTimestamp !== undefined && !pod.spec.nodeName) out.push({ pod, why: 'unscheduled' });
  return out;
}

/** Nodes that pods are bound to but the node informer does not have: candidates for the quarantine. */
export function missingNodes(pods: readonly Readonly<Pod>[], nodes: readonly Readonly<Node>[]): string[] {
  const known = new Set(nodes.map((n) => n.metadata.name!));
  return [...new Set(pods.flatMap((p) => (p.spec.nodeName && !known.has(p.spec.nodeName) ? [p.spec.nodeName] : [])))];
}

/** isPodTerminated: any phase but Pending, Running and Unknown. */
function isTerminated(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase !== undefined && phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

function isReady(node: Readonly<Node>): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** byEvictionAndCreationTimestamp: evicted pods (phase Failed, reason Evicted) first, then the oldest, then by name. */
function evictedThenOldest(a: Readonly<Pod>, b: Readonly<Pod>): number {
  const evicted = (p: Readonly<Pod>) => p.status?.phase === 'Failed' && p.status.reason === 'Evicted';
  if (evicted(a) !== evicted(b)) return evicted(a) ? -1 : 1;
  const ta = virtualMs(a.metadata.creationTimestamp!);
  const tb = virtualMs(b.metadata.creationTimestamp!);
  if (ta !== tb) return ta - tb;
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}
