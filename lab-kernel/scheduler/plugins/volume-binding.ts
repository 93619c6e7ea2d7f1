import type { PersistentVolumeClaim, Pod } from '../../api/types';
import { success, unresolvable, type Handle, type PreFilterPlugin, type Status } from '../framework-types';

/**
 * VolumeBinding, simplified: a pod whose PersistentVolumeClaims are missing, being deleted or
 * not yet bound to a volume waits (its PreFilter fails for every node) until the PV
 * controller binds them.
 *
 *   pod using claim "data", claim bound (spec.volumeName set)   // => Success
 *   pod using claim "data", claim Pending                       // => "pod has unbound immediate PersistentVolumeClaims"
 *   pod using claim "gone", no such claim                        // => 'persistentvolumeclaim "gone" not found'
 *
 * Lab simplification: every claim is treated as volumeBindingMode Immediate (the scheduler
 * never binds WaitForFirstConsumer claims itself), and a bound volume's nodeAffinity is not
 * checked against the node.
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
  };
}
