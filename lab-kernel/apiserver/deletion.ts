import { jsonClone } from '../api/json-clone';
import type { PropagationPolicy } from '../api/request';
import { timestamp, virtualMs } from '../api/time';
import type { KubeObject } from '../api/types';

/**
 * What a DELETE does to an object: remove it now, or mark it and let someone finish the job.
 * Kubernetes deletes in two steps whenever something must happen first:
 *
 *   a pod running on a node          => marked: deletionTimestamp = now + 30 s (its grace period);
 *                                       the kubelet stops the containers, then deletes it for good
 *   an object with finalizers        => marked; each finalizer's owner does its work and removes
 *                                       its name; the last removal deletes the object
 *   propagationPolicy: Foreground    => marked, finalizer foregroundDeletion: the garbage
 *                                       collector deletes the dependents first
 *   propagationPolicy: Orphan        => marked, finalizer orphan: the garbage collector
 *                                       removes the dependents' ownerReferences first
 *   a namespace                      => marked, status.phase Terminating: the namespace
 *                                       controller empties it, then removes finalizer kubernetes
 *   anything else                    => removed now (Background: the garbage collector then
 *                                       deletes the dependents, which now have no owner)
 *
 * A marked object is still there: reads return it with metadata.deletionTimestamp set. The
 * DELETE is answered 200 with the object either way (kube-apiserver answers 202 only for the
 * deprecated orphanDependents=false).
 */
/** What deletion asks of a kind's strategy (strategies/): Kubernetes' RESTGracefulDeleteStrategy and friends. */
export interface DeleteStrategy {
  /**
   * Seconds the object may take to go, given what the request asked (undefined: nothing).
   * Most kinds: 0. A pod running on a node: its terminationGracePeriodSeconds (default 30).
   */
  gracePeriodSeconds(obj: Readonly<KubeObject>, requested: number | undefined): number;
  /** Finalizers the kind keeps outside metadata (a namespace's spec.finalizers). */
  specFinalizers(obj: Readonly<KubeObject>): readonly string[];
  /** What marking for deletion changes besides metadata (a namespace's status.phase: Terminating). */
  markForDeletion(obj: KubeObject): void;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
}

export type DeletePlan = { action: 'remove' } | { action: 'mark'; object: KubeObject };

export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const NAMESPACE_FINALIZER = 'kubernetes';

export function planDelete(stored: Readonly<KubeObject>, options: DeleteOptions, nowMs: number, strategy: DeleteStrategy): DeletePlan {
  const finalizers = new Set(stored.metadata.finalizers ?? []);
  if (options.propagationPolicy === 'Orphan') finalizers.add(ORPHAN_FINALIZER);
  if (options.propagationPolicy === 'Foreground') finalizers.add(FOREGROUND_FINALIZER);
  const grace = strategy.gracePeriodSeconds(stored, options.gracePeriodSeconds);
  if (finalizers.size === 0 && strategy.specFinalizers(stored).length === 0 && grace === 0) return { action: 'remove' };
  // Marked: a copy of the stored object, changed.
  const obj = jsonClone(stored) as KubeObject;
  const meta = obj.metadata;
  if (finalizers.size > 0) meta.finalizers = [...finalizers];
  // A second DELETE may shorten a grace period, never lengthen it: the deadline moves
  // earlier by the difference, as kube-apiserver does (deletionTimestamp - old + new grace).
  const previous = meta.deletionGracePeriodSeconds;
  if (meta.deletionTimestamp === undefined || previous === undefined) {
    meta.deletionTimestamp = timestamp(nowMs + grace * 1000);
    meta.deletionGracePeriodSeconds = grace;
  } else if (grace < previous) {
    meta.deletionTimestamp = timestamp(virtualMs(meta.deletionTimestamp) - (previous - grace) * 1000);
    meta.deletionGracePeriodSeconds = grace;
  }
  strategy.markForDeletion(obj);
  return { action: 'mark', object: obj };
}

/**
 * After an update, is a marked object finished? Its finalizers are all gone (for a
 * namespace, spec.finalizers too) and no grace period is left to wait for.
 *   { deletionTimestamp: t, finalizers: [], deletionGracePeriodSeconds: 0 } => true
 *   { deletionTimestamp: t, finalizers: ['orphan'] }                         => false
 */
export function readyToRemove(obj: Readonly<KubeObject>, strategy: DeleteStrategy): boolean {
  const meta = obj.metadata;
  if (meta.deletionTimestamp === undefined) return false;
  return (meta.finalizers ?? []).length === 0 && strategy.specFinalizers(obj).length === 0 && (meta.deletionGracePeriodSeconds ?? 0) === 0;
}
