import { compareQuantities, parseQuantity } from '../../api/quantity';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, claimClass, defaultClass, isDelayBinding } from '../../api/storage-class';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/types';
import { findBestMatch, isVolumeBoundToClaim } from './find-best-match';

/**
 * syncClaim (pv_controller.go, release 1.32) as a pure decision: what the PV controller does
 * about one claim, as intents the runtime (pv-controller.ts) carries out in order, stopping at
 * the first failed write (the claim is synced again: a retry, or the next resync).
 *
 * A claim without pv.kubernetes.io/bind-completed is unbound (syncUnboundClaim):
 *
 *   no volumeName, a volume matches (findBestMatch)      => bind it
 *   no volumeName, none matches, no class set, a default class exists
 *                                                        => assign the default class (retroactively), done
 *   ..., class binds WaitForFirstConsumer, no selected node
 *                                                        => Normal WaitForFirstConsumer (or WaitForPodScheduled), Pending
 *   ..., a class                                         => provision: ask its provisioner (ExternalProvisioning)
 *   ..., no class                                        => Normal FailedBinding, Pending
 *   volumeName set (pre-bound by the user)               => bind to that volume if it is free and fits
 *
 * A claim with it is bound (syncBoundClaim): it keeps its binding whole, or is Lost.
 */
export const CLAIM_MESSAGES = {
  waitForFirstConsumer: 'waiting for first consumer to be created before binding',
  noClassNoVolume: 'no persistent volumes available for this claim and no storage class is set',
  lostReference: 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!',
  lostVolume: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
  misbound: 'Two claims are bound to the same volume, this one is bound incorrectly',
} as const;

export interface EventIntent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export type ClaimIntent =
  /** The two-way bind: volume claimRef, volume Bound, claim volumeName and annotations, claim Bound. */
  | { kind: 'bind'; volume: Readonly<PersistentVolume> }
  /** Set spec.storageClassName to the default class (the claim is synced again on its update). */
  | { kind: 'assign-class'; className: string }
  /** Annotate the claim for its class's provisioner, and say so (ExternalProvisioning). */
  | { kind: 'provision'; provisioner: string }
  | { kind: 'event'; event: EventIntent }
  /** updateClaimStatus(phase, no volume): phase set, status accessModes and capacity cleared. */
  | { kind: 'phase'; phase: 'Pending' }
  /** updateClaimStatusWithEvent: Lost, and the event, only when the phase changes. */
  | { kind: 'lost'; event: EventIntent }
  /** Nothing written; the sync fails and is retried. */
  | { kind: 'error'; message: string };

export interface ClaimSyncInput {
  claim: Readonly<PersistentVolumeClaim>;
  volumes: readonly Readonly<PersistentVolume>[];
  classes: readonly Readonly<StorageClass>[];
  /** Names of the pods not yet scheduled (and not terminated) that use the claim. */
  unscheduledPods: readonly string[];
}

export function syncClaim(input: ClaimSyncInput): ClaimIntent[] {
  const { claim } = input;
  const completed = claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined;
  return completed ? syncBoundClaim(input) : claim.spec.volumeName ? syncPreBoundClaim(input) : syncUnboundClaim(input);
}

function syncUnboundClaim({ claim, volumes, classes, unscheduledPods }: ClaimSyncInput): ClaimIntent[] {
  const classOf = (name: string) => classes.find((c) => c.metadata.name === name);
  const delayBinding = isDelayBinding(claim, classOf);
  const volume = findBestMatch({ claim, volumes, delayBinding });
  if (volume !== undefined) return [{ kind: 'bind', volume }];
  const chosen = claim.spec.storageClassName === undefined ? defaultClass(classes) : undefined;
  if (chosen !== undefined) return [{ kind: 'assign-class', className: chosen.metadata.name! }];
  const name = claimClass(claim);
  if (delayBinding && claim.metadata.annotations?.[ANN_SELECTED_NODE] === undefined) {
    return [{ kind: 'event', event: delayBindingEvent(unscheduledPods) }, { kind: 'phase', phase: 'Pending' }];
  }
  if (name !== '') {
    const cls = classOf(name);
    // provisionClaim: findProvisionablePlugin fails on a missing class; the claim stays as it is.
    if (cls === undefined) return [{ kind: 'event', event: { type: 'Warning', reason: 'ProvisioningFailed', message: `storageclass.storage.k8s.io "${name}" not found` } }];
    return [{ kind: 'provision', provisioner: cls.provisioner }];
  }
  return [{ kind: 'event', event: { type: 'Normal', reason: 'FailedBinding', message: CLAIM_MESSAGES.noClassNoVolume } }, { kind: 'phase', phase: 'Pending' }];
}

/** emitEventForUnboundDelayBindingClaim: which pods it waits for, if the controller knows them. */
function delayBindingEvent(pods: readonly string[]): EventIntent {
  if (pods.length === 0) return { type: 'Normal', reason: 'WaitForFirstConsumer', message: CLAIM_MESSAGES.waitForFirstConsumer };
  const message = pods.length === 1 ? `waiting for pod ${pods[0]} to be scheduled` : `waiting for pods ${pods.join(',')} to be scheduled`;
  return { type: 'Normal', reason: 'WaitForPodScheduled', message };
}

/** The user asked for one volume by name (spec.volumeName). */
function syncPreBoundClaim({ claim, volumes }: ClaimSyncInput): ClaimIntent[] {
  const name = claim.spec.volumeName!;
  const volume = volumes.find((v) => v.metadata.name === name);
  if (volume === undefined) return [{ kind: 'phase', phase: 'Pending' }];
  if (volume.spec.claimRef === undefined) {
    const mismatch = volumeMismatch(volume, claim);
    if (mismatch === undefined) return [{ kind: 'bind', volume }];
    return [{ kind: 'event', event: { type: 'Warning', reason: 'VolumeMismatch', message: `Cannot bind to requested volume "${name}": ${mismatch}` } }, { kind: 'phase', phase: 'Pending' }];
  }
  if (isVolumeBoundToClaim(volume, claim)) return [{ kind: 'bind', volume }];
  const taken: EventIntent = { type: 'Warning', reason: 'FailedBinding', message: `volume "${name}" already bound to a different claim.` };
  if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) return [{ kind: 'event', event: taken }, { kind: 'phase', phase: 'Pending' }];
  const other = `${volume.spec.claimRef.namespace}/${volume.spec.claimRef.name}`;
  return [{ kind: 'event', event: taken }, { kind: 'error', message: `invalid binding of claim "${key(claim)}" to volume "${name}": volume already claimed by "${other}"` }];
}

function syncBoundClaim({ claim, volumes }: ClaimSyncInput): ClaimIntent[] {
  if (!claim.spec.volumeName) return [{ kind: 'lost', event: { type: 'Warning', reason: 'ClaimLost', message: CLAIM_MESSAGES.lostReference } }];
  const volume = volumes.find((v) => v.metadata.name === claim.spec.volumeName);
  if (volume === undefined) return [{ kind: 'lost', event: { type: 'Warning', reason: 'ClaimLost', message: CLAIM_MESSAGES.lostVolume } }];
  if (volume.spec.claimRef === undefined || volume.spec.claimRef.uid === claim.metadata.uid) return [{ kind: 'bind', volume }];
  return [{ kind: 'lost', event: { type: 'Warning', reason: 'ClaimMisbound', message: CLAIM_MESSAGES.misbound } }];
}

/**
 * checkVolumeSatisfyClaim: why a volume the user named cannot serve the claim, or undefined.
 *
 *   volume 1Gi, claim asks 3Gi  // => 'requested PV is too small'
 */
export function volumeMismatch(volume: Readonly<PersistentVolume>, claim: Readonly<PersistentVolumeClaim>): string | undefined {
  if (volume.metadata.deletionTimestamp !== undefined) return `the volume is marked for deletion "${volume.metadata.name}"`;
  const size = parseQuantity(volume.spec.capacity?.storage ?? '0');
  if (compareQuantities(size, parseQuantity(claim.spec.resources?.requests?.storage ?? '0')) < 0) return 'requested PV is too small';
  if ((volume.spec.storageClassName ?? '') !== claimClass(claim)) return 'storageClassName does not match';
  if ((volume.spec.volumeMode ?? 'Filesystem') !== (claim.spec.volumeMode ?? 'Filesystem')) return 'incompatible volumeMode';
  if (!(claim.spec.accessModes ?? []).every((m) => (volume.spec.accessModes ?? []).includes(m))) return 'incompatible accessMode';
  return undefined;
}

const key = (claim: Readonly<PersistentVolumeClaim>) => `${claim.metadata.namespace}/${claim.metadata.name}`;
