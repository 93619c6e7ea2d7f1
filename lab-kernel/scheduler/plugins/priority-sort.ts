import type { Pod } from '../../api/types';
import type { Handle, QueuedPodInfo, QueueSortPlugin } from '../framework-types';

/**
 * PrioritySort, the default QueueSort: the pod with the higher spec.priority goes first;
 * between equal priorities, the one that entered the queue earlier.
 *
 *   prioritySortLess({ pod: priority 1000, timestamp: 50 }, { pod: priority 0, timestamp: 10 })  // => true
 *   prioritySortLess({ pod: priority 0, timestamp: 50 }, { pod: priority 0, timestamp: 10 })     // => false
 */
export const PRIORITY_SORT = 'PrioritySort';

/** A pod's priority as the scheduler reads it: spec.priority, 0 when unset (corev1helpers.PodPriority). */
export function podPriority(pod: Readonly<Pod>): number {
  return pod.spec.priority ?? 0;
}

export function prioritySortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const [p1, p2] = [podPriority(a.pod), podPriority(b.pod)];
  return p1 > p2 || (p1 === p2 && a.timestamp < b.timestamp);
}

export function prioritySortPlugin(handle: Handle): QueueSortPlugin {
  void handle;
  return { name: PRIORITY_SORT, less: prioritySortLess };
}
