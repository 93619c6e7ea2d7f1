import type { Pod } from '../../api/types';
import { objectsAs } from '../cluster-events';
import { success, unresolvable, type Handle, type NodeInfo, type PreFilterPlugin, type Status } from '../framework-types';
import { claimNames, claimOfPodChanged, type ClaimLister } from './volume-binding';

/**
 * VolumeRestrictions: a PersistentVolumeClaim with access mode ReadWriteOncePod may be used
 * by one pod in the whole cluster; a second pod using it cannot be scheduled anywhere.
 *
 *   pod using claim "db" (ReadWriteOncePod), another pod already uses "db"
 *   // => "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"
 *
 * QueueingHints (1.32): a pod it rejected is retried when a pod of its namespace using one of
 * its claims is deleted, when one of its claims is created, when a node is added (no hint), and,
 * through buildQueueingHintMap's quirk, on every taint change.
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
    eventsToRegister: () => [
      {
        event: { resource: 'Pod', actions: ['Delete'] },
        hint: (pod, oldObj) => {
          const [deleted] = objectsAs<Pod>('Pod', oldObj, undefined);
          if (deleted!.metadata.namespace !== pod.metadata.namespace) return 'QueueSkip';
          const freed = new Set(claimNames(deleted!));
          return claimNames(pod).some((name) => freed.has(name)) ? 'Queue' : 'QueueSkip';
        },
      },
      { event: { resource: 'Node', actions: ['Add'] } },
      // The same test as VolumeBinding's: a claim of the pod, in its namespace.
      { event: { resource: 'PersistentVolumeClaim', actions: ['Add'] }, hint: claimOfPodChanged },
    ],
  };
}
