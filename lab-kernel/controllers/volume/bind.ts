import { jsonEqual } from '../../api/json-equal';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER } from '../../api/storage-class';
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/types';
import { isVolumeBoundToClaim } from './find-best-match';

/**
 * The PV controller's bind (pv_controller.go: bind, bindVolumeToClaim, bindClaimToVolume,
 * updateClaimStatus): four writes, volume first, each only when something changes. Each step
 * here says what the object should become, or undefined when it already is.
 *
 *   1. volumeBoundTo: spec.claimRef names the claim with its uid; pv.kubernetes.io/bound-by-controller: "yes"
 *      unless the user pre-bound it
 *   2. volume status.phase Bound
 *   3. claimBoundTo: spec.volumeName; pv.kubernetes.io/bound-by-controller: "yes" unless the user
 *      named the volume; pv.kubernetes.io/bind-completed: "yes"
 *   4. claimStatusBound: status.phase Bound, the volume's access modes and capacity
 *
 * A failed write stops the bind; the next sync of either object finishes it.
 */
export function volumeBoundTo(volume: Readonly<PersistentVolume>, claim: Readonly<PersistentVolumeClaim>): PersistentVolume | undefined {
  const next = structuredClone(volume) as PersistentVolume;
  const ref = volume.spec.claimRef;
  if (ref === undefined || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace || ref.uid !== claim.metadata.uid) {
    next.spec.claimRef = { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid };
  }
  if (!isVolumeBoundToClaim(volume, claim) && volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
    next.metadata.annotations = Object.assign({}, volume.metadata.annotations, { [ANN_BOUND_BY_CONTROLLER]: 'yes' });
  }
  return jsonEqual(next, volume) ? undefined : next;
}

export function volumePhase(volume: Readonly<PersistentVolume>, phase: 'Available' | 'Bound' | 'Released' | 'Failed', message?: string): PersistentVolume | undefined {
  if (volume.status?.phase === phase) return undefined;
  const next = structuredClone(volume) as PersistentVolume;
  next.status = Object.assign({}, next.status, { phase });
  if (message === undefined) delete next.status.message;
  else next.status.message = message;
  return next;
}

export function claimBoundTo(claim: Readonly<PersistentVolumeClaim>, volume: Readonly<PersistentVolume>): PersistentVolumeClaim | undefined {
  const next = structuredClone(claim) as PersistentVolumeClaim;
  const annotations = { ...claim.metadata.annotations };
  if (claim.spec.volumeName !== volume.metadata.name) {
    next.spec.volumeName = volume.metadata.name;
    annotations[ANN_BOUND_BY_CONTROLLER] ??= 'yes';
  }
  annotations[ANN_BIND_COMPLETED] ??= 'yes';
  next.metadata.annotations = annotations;
  return jsonEqual(next, claim) ? undefined : next;
}

/** updateClaimStatus with a volume: capacity is copied only as the claim becomes Bound. */
export function claimStatusBound(claim: Readonly<PersistentVolumeClaim>, volume: Readonly<PersistentVolume>): PersistentVolumeClaim | undefined {
  const next = structuredClone(claim) as PersistentVolumeClaim;
  const status = Object.assign({}, next.status, { phase: 'Bound' as const, accessModes: volume.spec.accessModes });
  if (claim.status?.phase !== 'Bound' && volume.spec.capacity !== undefined) status.capacity = { ...volume.spec.capacity };
  next.status = status;
  return jsonEqual(next, claim) ? undefined : next;
}

/** updateClaimStatus without a volume: the phase, and no access modes or capacity. */
export function claimStatusUnbound(claim: Readonly<PersistentVolumeClaim>, phase: 'Pending' | 'Lost'): PersistentVolumeClaim | undefined {
  const next = structuredClone(claim) as PersistentVolumeClaim;
  next.status = Object.assign({}, next.status, { phase });
  delete next.status.accessModes;
  delete next.status.capacity;
  return jsonEqual(next, claim) ? undefined : next;
}
