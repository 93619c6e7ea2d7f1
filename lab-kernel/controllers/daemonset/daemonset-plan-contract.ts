import type { IntOrString, Taint } from '../../api/types';

/**
 * The DaemonSet controller's decision, as plain data: the nodes, the DaemonSet's pods by the
 * node each is for, and the update strategy in; the nodes to create a pod on, the pods to
 * delete (and why), and the status counts out. daemonset-controller.ts gathers the input from
 * its caches and carries the plan out. The decision itself is exercise `daemonset-nodes`
 * (solutions/daemonset/daemonset-plan.ts).
 *
 *   planDaemonSet({ nodes: [control-plane, node-1, node-2], pods: [], ... })
 *   // => { create: ['control-plane', 'node-1', 'node-2'], delete: [], status: { desiredNumberScheduled: 3, ... } }
 *   planDaemonSet({ nodes: [node-1 tainted gpu:NoExecute, not tolerated], pods: [a pod on node-1], ... })
 *   // => { create: [], delete: [{ pod, node: 'node-1', reason: 'misscheduled' }], ... }
 *
 * What the controller works out for you, so the plan can stay with the DaemonSet's own rules:
 *   - whether the pod's tolerations (its template's, plus the ones the controller adds to
 *     every daemon pod, daemon-pod.ts) tolerate each of a node's taints: `tolerated`;
 *   - whether a node matches the template's required node affinity: `matchesNodeAffinity`
 *     (both as chapter 05's TaintToleration and NodeAffinity decide them);
 *   - each pod's target node (spec.nodeName once scheduled, else the node its affinity names),
 *     whether it runs the current template (`updated`), is Ready, is available (Ready for
 *     minReadySeconds). Pods that finished and are being deleted are left out: the kubelet or
 *     the pod garbage collector removes them, the controller has nothing more to do with them.
 */
export interface DaemonTemplate {
  /** spec.template.spec.nodeName: a DaemonSet pinned to one node. */
  nodeName?: string;
  /** spec.template.spec.nodeSelector ({} when none). */
  nodeSelector: Readonly<Record<string, string>>;
}

export interface DaemonTaint extends Taint {
  /** Whether the daemon pod's tolerations tolerate this taint. */
  tolerated: boolean;
}

export interface DaemonNode {
  name: string;
  labels: Readonly<Record<string, string>>;
  taints: readonly DaemonTaint[];
  /** Whether the node matches the template's requiredDuringScheduling node affinity (true when it has none). */
  matchesNodeAffinity: boolean;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface DaemonPod {
  name: string;
  /** The node it is for: spec.nodeName once scheduled, else the node its node affinity names. */
  node: string;
  /** Bound to its node (spec.nodeName set). */
  scheduled: boolean;
  phase: PodPhase;
  /** Has a deletionTimestamp: going, and not to be deleted again. */
  deleting: boolean;
  /** metadata.creationTimestamp, in virtual ms (whole seconds, as the API server keeps it). */
  createdMs: number;
  /** Made from the current template (its controller-revision-hash or pod-template-generation label matches). */
  updated: boolean;
  /** Its Ready condition is True. */
  ready: boolean;
  /** Ready for at least spec.minReadySeconds. */
  available: boolean;
}

/** When a failed pod on a node was last deleted (virtual ms), and how long the next one waits from then. */
export interface FailedPodBackoff {
  lastMs: number;
  delayMs: number;
}

export type UpdateStrategy = { type: 'OnDelete' } | { type: 'RollingUpdate'; maxUnavailable: IntOrString };

export interface DaemonSetPlanInput {
  template: DaemonTemplate;
  /** Every node of the cluster, by name. */
  nodes: readonly DaemonNode[];
  /** The DaemonSet's pods (controlled by it), finished ones included unless they are being deleted. */
  pods: readonly DaemonPod[];
  updateStrategy: UpdateStrategy;
  nowMs: number;
  /** Per node name: the failed-pod back-off, where a failed pod was deleted lately. */
  failedPodBackoff: Readonly<Record<string, FailedPodBackoff>>;
}

/** Why a pod is deleted. */
export type DeletionReason =
  /** its node should not run it (any more) */
  | 'misscheduled'
  /** a second pod on a node where one is enough: the oldest stays */
  | 'duplicate'
  /** it failed: a new one replaces it */
  | 'failed'
  /** it exited: a new one replaces it */
  | 'succeeded'
  /** never scheduled, and its node is gone */
  | 'node-gone'
  /** it runs an old template: the rolling update replaces it */
  | 'update';

export interface PodDeletion {
  pod: string;
  node: string;
  reason: DeletionReason;
}

/** The counts of DaemonSetStatus the plan works out (observedGeneration is the controller's). */
export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

export interface DaemonSetPlan {
  /** Nodes to create a daemon pod for, in node order. */
  create: string[];
  delete: PodDeletion[];
  status: DaemonSetCounts;
  /** Look at the DaemonSet again this long from now: a failed pod waits out its node's back-off. */
  requeueAfterMs?: number;
}

export type PlanDaemonSet = (input: DaemonSetPlanInput) => DaemonSetPlan;

/**
 * podByCreationTimestampAndPhase: scheduled pods first, then the oldest, then by name. The
 * first of a node's pods in this order is the one that counts, and the one that stays.
 *
 *   [b (created 5 s), a (created 5 s), c (created 1 s, not scheduled)].sort(oldestFirst)  // => [a, b, c]
 */
export function oldestFirst(a: Readonly<DaemonPod>, b: Readonly<DaemonPod>): number {
  if (a.scheduled !== b.scheduled) return a.scheduled ? -1 : 1;
  if (a.createdMs !== b.createdMs) return a.createdMs - b.createdMs;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
