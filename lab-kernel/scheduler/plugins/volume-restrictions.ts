import type { Pod } from '../../api/types';
import { success, unresolvable, type Handle, type NodeInfo, type PreFilterPlugin, type Status } from '../framework-types';
import { claimNames, type ClaimLister } from './volume-binding';

/**
 * VolumeRestrictions: a PersistentVolumeClaim with access mode ReadWriteOncePod may be used
 * by one pod in the whole cluster; a second pod using it cannot be scheduled anywhere.
 *
 *   pod using claim "db" (ReadWriteOncePod), another pod already uses "db"
 *   // => "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"
 *
 * Lab simplification: the disk conflicts of in-tree volume types (GCE PD, AWS EBS, RBD,
 * iSCSI) are not modelled, since the lab's volumes have none of those sources.
 */
export const VOLUME_RESTRICTIONS = 'VolumeRestrictions';
export const ERR_REASON_RWOP_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

/** Whether another pod on these nodes already uses one of the pod's ReadWriteOncePod claims. */
export function readWriteOncePodStatus(pod: Readonly<Pod>, claims: ClaimLister, nodes: readonly NodeInfo[]): Status {
  const namespace = pod.metadata.namespace ?? 'default';
  const exclusive = new Set(claimNames(pod).filter((name) => claims(namespace, name)?.spec.accessModes?.includes('ReadWriteOncePod')));
  if (exclusive.size === 0) return success();
  for (const node of nodes) {
    for (const { pod: other } of node.pods) {
      if (other.metadata.namespace !== namespace || other.metadata.uid === pod.metadata.uid) continue;
      if (claimNames(other).some((name) => exclusive.has(name))) return unresolvable(ERR_REASON_RWOP_CONFLICT);
    }
  }
  return success();
}

export function volumeRestrictionsPlugin(handle: Handle, args: { claims: ClaimLister }): PreFilterPlugin {
  void handle;
  return {
    name: VOLUME_RESTRICTIONS,
    preFilter: (_state, pod, nodes) => ({ status: readWriteOncePodStatus(pod, args.claims, nodes) }),
  };
}
