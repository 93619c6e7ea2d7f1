import { timestamp } from '../api/time';
import type { Pod, PodStatus } from '../api/types';
import { qosClass } from '../runtime/qos-class';

/**
 * Pod admission: before the kubelet runs a pod new to it, each of its admit handlers
 * (upstream's lifecycle.PodAdmitHandler) may refuse it. The first refusal stands; a refused
 * pod is rejected for good: Failed, with the handler's reason and "Pod was rejected: <message>",
 * a Warning event of that reason, and it never runs.
 *
 *   canAdmitPod([devices], { pod, activePods })
 *   // => { admit: true }
 *   canAdmitPod([evictionAdmit, devices], { pod: bestEffortPod, activePods })   // under MemoryPressure
 *   // => { admit: false, reason: 'Evicted', message: 'The node had condition: [MemoryPressure]. ' }
 *
 * The kubelet asks once per pod, in its handlers' order; a handler that allocates (the device
 * manager) only runs if every handler before it admitted the pod.
 */
export type PodAdmitResult = { admit: true } | { admit: false; reason: string; message: string };

export interface PodAdmitAttributes {
  pod: Readonly<Pod>;
  /** The uids of the pods still active on the node (admitted, known, not finished). */
  activePods: ReadonlySet<string>;
}

export interface PodAdmitHandler {
  admit(attrs: PodAdmitAttributes): PodAdmitResult;
}

export const ADMIT: PodAdmitResult = { admit: true };

/** The handlers in order; the first that refuses answers for all. */
export function canAdmitPod(handlers: readonly PodAdmitHandler[], attrs: PodAdmitAttributes): PodAdmitResult {
  for (const handler of handlers) {
    const result = handler.admit(attrs);
    if (!result.admit) return result;
  }
  return ADMIT;
}

/**
 * The status of a pod the kubelet rejected at admission (rejectPod): Failed, with the reason
 * and "Pod was rejected: <message>", its QoS class and start time, nothing else.
 *
 *   rejectedPodStatus(pod, 'UnexpectedAdmissionError', 'Allocate failed due to ..., which is unexpected', now)
 *   // => { phase: 'Failed', reason: 'UnexpectedAdmissionError', message: 'Pod was rejected: Allocate failed due to ...', qosClass: 'BestEffort', startTime }
 */
export function rejectedPodStatus(pod: Readonly<Pod>, reason: string, message: string, nowMs: number): PodStatus {
  return { phase: 'Failed', reason, message: `Pod was rejected: ${message}`, qosClass: qosClass(pod), startTime: pod.status?.startTime ?? timestamp(nowMs) };
}
