import type { PropagationPolicy } from '../api/request';
import { timestamp, virtualMs } from '../api/time';
import type { KubeObject, Pod } from '../api/types';

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
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
}

export type DeletePlan = { action: 'remove' } | { action: 'mark'; object: KubeObject };

export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const NAMESPACE_FINALIZER = 'kubernetes';

export function planDelete(stored: Readonly<KubeObject>, options: DeleteOptions, nowMs: number): DeletePlan {
  const obj = structuredClone(stored) as KubeObject;
  const meta = obj.metadata;
  const finalizers = new Set(meta.finalizers ?? []);
  if (options.propagationPolicy === 'Orphan') finalizers.add(ORPHAN_FINALIZER);
  if (options.propagationPolicy === 'Foreground') finalizers.add(FOREGROUND_FINALIZER);
  const grace = gracePeriod(obj, options);
  const namespaceFinalizers = obj.kind === 'Namespace' ? ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
  if (finalizers.size === 0 && namespaceFinalizers.length === 0 && grace === 0) return { action: 'remove' };
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
  if (obj.kind === 'Namespace') obj.status = { ...(obj.status as object), phase: 'Terminating' };
  return { action: 'mark', object: obj };
}

/**
 * Seconds a pod gets to shut down: the request's gracePeriodSeconds, else the pod's own
 * terminationGracePeriodSeconds (default 30). A pod that never reached a node, or has
 * already finished, has nothing to stop: 0. Other kinds have no grace period.
 */
function gracePeriod(obj: Readonly<KubeObject>, options: DeleteOptions): number {
  if (obj.kind !== 'Pod') return 0;
  const pod = obj as Pod;
  if (!pod.spec.nodeName || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
  return Math.max(0, options.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30);
}

/**
 * After an update, is a marked object finished? Its finalizers are all gone (for a
 * namespace, spec.finalizers too) and no grace period is left to wait for.
 *   { deletionTimestamp: t, finalizers: [], deletionGracePeriodSeconds: 0 } => true
 *   { deletionTimestamp: t, finalizers: ['orphan'] }                         => false
 */
export function readyToRemove(obj: Readonly<KubeObject>): boolean {
  const meta = obj.metadata;
  if (meta.deletionTimestamp === undefined) return false;
  const namespaceFinalizers = obj.kind === 'Namespace' ? ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
  return (meta.finalizers ?? []).length === 0 && namespaceFinalizers.length === 0 && (meta.deletionGracePeriodSeconds ?? 0) === 0;
}
