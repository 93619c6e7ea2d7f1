import { ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY } from '../../api/storage-class';
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/types';
import type { EventIntent } from './claim-sync';

/**
 * syncVolume (pv_controller.go, release 1.32) as a pure decision: what the PV controller does
 * about one volume, given the claim its claimRef names (undefined when there is none, or only
 * a newer claim of the same name).
 *
 *   no claimRef, or one without a uid (pre-bound, not yet bound)   => phase Available
 *   its claim is gone                 => phase Released (once), then the reclaim policy:
 *        Retain  => nothing: the volume and its data wait for an administrator
 *        Delete  => a provisioner's volume: its provisioner deletes it (the controller waits);
 *                   any other: Failed, Warning VolumeFailedDelete (the lab has no in-tree deleters)
 *        Recycle => deprecated: Failed, Warning VolumeFailedRecycle (the lab has no recycler)
 *   its claim is not bound yet        => sync the claim (it finishes the binding)
 *   its claim is bound to it          => phase Bound
 *   its claim is bound elsewhere      => a provisioned Delete volume is released and reclaimed;
 *                                        any other is unbound (Available again)
 */
export type VolumeIntent =
  | { kind: 'phase'; phase: 'Available' | 'Bound' | 'Released' }
  /** updateVolumePhaseWithEvent: Failed with the event as its message, only when the phase changes. */
  | { kind: 'failed'; event: EventIntent }
  | { kind: 'event'; event: EventIntent; onClaim?: boolean }
  | { kind: 'sync-claim'; key: string }
  /** unbindVolume: claimRef dropped (bound by the controller) or its uid cleared (pre-bound by the user), then Available. */
  | { kind: 'unbind' };

export function syncVolume(volume: Readonly<PersistentVolume>, found: Readonly<PersistentVolumeClaim> | undefined): VolumeIntent[] {
  const ref = volume.spec.claimRef;
  if (ref === undefined || !ref.uid) return [{ kind: 'phase', phase: 'Available' }];
  const claim = found !== undefined && found.metadata.uid === ref.uid ? found : undefined;
  if (claim === undefined) return [...released(volume), ...reclaim(volume)];
  if (!claim.spec.volumeName) {
    if ((claim.spec.volumeMode ?? 'Filesystem') !== (volume.spec.volumeMode ?? 'Filesystem')) {
      return [
        { kind: 'event', event: { type: 'Warning', reason: 'VolumeMismatch', message: `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.` } },
        { kind: 'event', onClaim: true, event: { type: 'Warning', reason: 'VolumeMismatch', message: `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.` } },
      ];
    }
    return [{ kind: 'sync-claim', key: `${claim.metadata.namespace}/${claim.metadata.name}` }];
  }
  if (claim.spec.volumeName === volume.metadata.name) return [{ kind: 'phase', phase: 'Bound' }];
  const provisioned = volume.metadata.annotations?.[ANN_PROVISIONED_BY] !== undefined;
  if (provisioned && volume.spec.persistentVolumeReclaimPolicy === 'Delete') return [...released(volume), ...reclaim(volume)];
  return [{ kind: 'unbind' }];
}

/** Released, unless it already is (or Failed: a failure stays visible while reclaiming is retried). */
function released(volume: Readonly<PersistentVolume>): VolumeIntent[] {
  const phase = volume.status?.phase;
  return phase === 'Released' || phase === 'Failed' ? [] : [{ kind: 'phase', phase: 'Released' }];
}

/**
 * reclaimVolume: what the volume's persistentVolumeReclaimPolicy asks, and who does it.
 *
 *   Delete, pv.kubernetes.io/provisioned-by: rancher.io/local-path   // => [] (the external deleter's job)
 */
export function reclaim(volume: Readonly<PersistentVolume>): VolumeIntent[] {
  switch (volume.spec.persistentVolumeReclaimPolicy ?? 'Retain') {
    case 'Retain':
      return [];
    case 'Recycle':
      return [{ kind: 'failed', event: { type: 'Warning', reason: 'VolumeFailedRecycle', message: `Recycle is deprecated: the lab has no recycler for volume "${volume.metadata.name}"` } }];
    case 'Delete': {
      const by = volume.metadata.annotations?.[ANN_PROVISIONED_BY];
      // findDeletablePlugin: a provisioner outside kubernetes.io/, or a CSI volume, is deleted externally.
      if ((by !== undefined && by !== '' && !by.startsWith('kubernetes.io/')) || volume.spec.csi !== undefined) return [];
      return [{ kind: 'failed', event: { type: 'Warning', reason: 'VolumeFailedDelete', message: `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched` } }];
    }
  }
}

/**
 * The volume with its binding rolled back (unbindVolume).
 *
 *   claimRef default/data, bound-by-controller   // => no claimRef, no annotation
 *   claimRef default/data (pre-bound by a user)  // => claimRef default/data without its uid
 */
export function unboundVolume(volume: Readonly<PersistentVolume>): PersistentVolume {
  const copy = structuredClone(volume) as PersistentVolume;
  if (copy.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
    delete copy.spec.claimRef;
    delete copy.metadata.annotations[ANN_BOUND_BY_CONTROLLER];
    if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
  } else if (copy.spec.claimRef !== undefined) {
    delete copy.spec.claimRef.uid;
  }
  return copy;
}
