import type { PersistentVolumeClaim, Pod } from '../../api/types';
import { objectsAs, UPDATE_ACTIONS } from '../cluster-events';
import { success, unresolvable, type Handle, type PreFilterPlugin, type QueueingHint, type Status } from '../framework-types';

/**
 * VolumeBinding, simplified: a pod whose PersistentVolumeClaims are missing, being deleted or
 * not yet bound to a volume waits (its PreFilter fails for every node) until the PV
 * controller binds them.
 *
 *   pod using claim "data", claim bound (spec.volumeName set)   // => Success
 *   pod using claim "data", claim Pending                       // => "pod has unbound immediate PersistentVolumeClaims"
 *   pod using claim "gone", no such claim                        // => 'persistentvolumeclaim "gone" not found'
 *
 * QueueingHints (1.32): a pod it rejected is retried when one of its claims is created or
 * changes (bound by the PV controller, say), when a node is added or relabelled (no hint), and,
 * through buildQueueingHintMap's quirk, on every taint change.
 *
 * Lab simplification: every claim is treated as volumeBindingMode Immediate (the scheduler
 * never binds WaitForFirstConsumer claims itself), and a bound volume's nodeAffinity is not
 * checked against the node. Of its registrations only the claim and node ones are kept: the
 * lab's scheduler watches no PersistentVolumes, StorageClasses, CSINodes, CSIDrivers or
 * CSIStorageCapacities.
 */
export const VOLUME_BINDING = 'VolumeBinding';
export const ERR_REASON_BIND_CONFLICT = 'pod has unbound immediate PersistentVolumeClaims';

/** Looks a claim up in the scheduler's informer cache. */
export type ClaimLister = (namespace: string, name: string) => Readonly<PersistentVolumeClaim> | undefined;

/** The names of the claims a pod's volumes use. */
export function claimNames(pod: Readonly<Pod>): string[] {
  return (pod.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
}

/** Whether the pod's claims are all there and bound, as a Status. */
export function claimsStatus(pod: Readonly<Pod>, claims: ClaimLister): Status {
  let unbound = false;
  for (const name of claimNames(pod)) {
    const claim = claims(pod.metadata.namespace ?? 'default', name);
    if (claim === undefined) return unresolvable(`persistentvolumeclaim "${name}" not found`);
    if (claim.metadata.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
    if (!claim.spec.volumeName) unbound = true;
  }
  return unbound ? unresolvable(ERR_REASON_BIND_CONFLICT) : success();
}

export interface VolumeBindingArgs {
  claims: ClaimLister;
}

export function volumeBindingPlugin(handle: Handle, args: VolumeBindingArgs): PreFilterPlugin {
  void handle;
  return {
    name: VOLUME_BINDING,
    preFilter: (_state, pod) => ({ status: claimsStatus(pod, args.claims) }),
    eventsToRegister: () => [
      { event: { resource: 'PersistentVolumeClaim', actions: ['Add', ...UPDATE_ACTIONS] }, hint: claimOfPodChanged },
      { event: { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] } },
    ],
  };
}

/**
 * A claim created or updated that the pod uses (isSchedulableAfterPersistentVolumeClaimChange).
 *
 *   pod default/db using claim "data", claim default/data bound   // => Queue
 *   claim other/data                                             // => QueueSkip (another namespace)
 */
export function claimOfPodChanged(pod: Readonly<Pod>, oldObj: unknown, newObj: unknown): QueueingHint {
  const [, claim] = objectsAs<PersistentVolumeClaim>('PersistentVolumeClaim', oldObj, newObj);
  if ((claim!.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) return 'QueueSkip';
  return claimNames(pod).includes(claim!.metadata.name!) ? 'Queue' : 'QueueSkip';
}
