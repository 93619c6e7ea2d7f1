import type { NodeToStatus } from './framework-types';

/**
 * Why a pod fits no node, in kube-scheduler's words: framework.FitError.Error()
 * (pkg/scheduler/framework/types.go), the message of the FailedScheduling event and of the
 * pod's PodScheduled=False condition.
 *
 *   fitErrorMessage({ numAllNodes: 3, nodeToStatus: { control-plane: "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }",
 *                                                     node-1, node-2: "Insufficient cpu" } })
 *   // => '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.'
 *
 * The shape is "0/N nodes are available: <PreFilter message>. <histogram of Filter reasons>.
 * <PostFilter message>." — each part only when there is one, and the histogram only when
 * PreFilter did not already reject the pod. The histogram counts each reason over the nodes
 * and sorts the "count reason" strings as strings (Go's sort.Strings: "10 x" before "2 y").
 *
 * DefaultPreemption's own message is a FitError too, prefixed with "preemption: ", so a
 * failed preemption ends in two full stops, exactly as Kubernetes 1.32 prints it:
 *   "... 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.."
 */
export interface Diagnosis {
  /** Every node in the snapshot, tried or not. */
  numAllNodes: number;
  /** The Filter verdict of each node that was tried. */
  nodeToStatus: NodeToStatus;
  /** Set when a PreFilter plugin rejected the pod (then no Filter ran). */
  preFilterMsg?: string;
  /** DefaultPreemption's message, "preemption: ...". */
  postFilterMsg?: string;
}

export const NO_NODE_AVAILABLE = (numAllNodes: number): string => `0/${numAllNodes} nodes are available`;

export function fitErrorMessage(d: Diagnosis): string {
  let message = `${NO_NODE_AVAILABLE(d.numAllNodes)}:`;
  if (d.preFilterMsg) message += ` ${d.preFilterMsg}.`;
  else {
    const histogram = reasonHistogram(d.nodeToStatus);
    if (histogram.length > 0) message += ` ${histogram.join(', ')}.`;
  }
  if (d.postFilterMsg) message += ` ${d.postFilterMsg}.`;
  return message;
}

/** "count reason" per distinct reason over all nodes, sorted as strings: ['1 node(s) were unschedulable', '2 Insufficient cpu']. */
export function reasonHistogram(nodeToStatus: NodeToStatus): string[] {
  const counts = new Map<string, number>();
  for (const status of nodeToStatus.values()) for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort(goStringOrder);
}

/** Go's sort.Strings order: by UTF-16 code units here, which agrees with Go's bytes for ASCII reasons. */
function goStringOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
