import { selectorString } from '../../api/labels';
import type { KubeList, KubeObject, LabelSelector, Pod } from '../../api/types';
import type { Send } from '../kubectl-error';

/**
 * getPodStatusForController (describe.go, 1.32): the `Pods Status` line of a ReplicaSet,
 * StatefulSet or DaemonSet. kubectl lists the pods matching the selector and counts, by
 * phase, those whose controller is this object (same uid):
 *
 *   podsStatus(send, rs.metadata, rs.spec.selector)   // => '3 Running / 0 Waiting / 0 Succeeded / 0 Failed'
 *
 * Pending counts as Waiting; a pod in no phase yet counts nowhere. A failed list reads
 * `error in fetching pods: ...`, as the ReplicaSet describer prints it.
 */
export function podsStatus(send: Send, owner: Readonly<KubeObject['metadata']>, selector: Readonly<LabelSelector>): string {
  const res = send({ verb: 'list', resource: 'pods', namespace: owner.namespace, labelSelector: selectorString(selector) });
  if (res.code !== 200) return `error in fetching pods: ${(res.body as { message?: string }).message ?? res.code}`;
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 } as Record<string, number>;
  for (const pod of (res.body as KubeList<Pod>).items) {
    const controller = pod.metadata.ownerReferences?.find((r) => r.controller);
    const phase = pod.status?.phase;
    if (controller?.uid === owner.uid && phase !== undefined && phase in counts) counts[phase]++;
  }
  return `${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed`;
}

/** printController: `Controlled By:\tReplicaSet/web-7c5ddbdf54`, or nothing for an object without a controller. */
export function controlledBy(obj: Readonly<KubeObject>): string {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? `Controlled By:\t${ref.kind}/${ref.name}\n` : '';
}
