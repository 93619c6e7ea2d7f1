import { jsonEqual } from '../api/json-equal';
import type { Pod } from '../api/types';

/**
 * Whether a pod's new version from the API server is news to its worker (podsDifferSemantically,
 * pkg/kubelet/config/config.go): a change to its spec, labels, annotations, deletionTimestamp or
 * deletionGracePeriodSeconds. A change to the status alone, which the kubelet's own status
 * writes make several times per pod, is a RECONCILE upstream: the pod manager takes the new
 * copy and no sync runs (HandlePodReconcile syncs only a pod whose readiness gates disagree, and
 * the lab has no readiness gates).
 *
 *   differsSemantically(pod, { ...pod, status: { phase: 'Running' } })                        // => false
 *   differsSemantically(pod, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: t } })  // => true
 */
export function differsSemantically(a: Readonly<Pod>, b: Readonly<Pod>): boolean {
  const x = a.metadata;
  const y = b.metadata;
  return (
    x.uid !== y.uid ||
    x.deletionTimestamp !== y.deletionTimestamp ||
    x.deletionGracePeriodSeconds !== y.deletionGracePeriodSeconds ||
    !jsonEqual(x.labels ?? {}, y.labels ?? {}) ||
    !jsonEqual(x.annotations ?? {}, y.annotations ?? {}) ||
    !jsonEqual(a.spec, b.spec)
  );
}
