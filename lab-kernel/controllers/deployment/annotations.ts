import type { Deployment, ReplicaSet } from '../../api/types';
import { maxSurge } from './fenceposts';

/**
 * The annotations a Deployment keeps on its ReplicaSets, and on itself (deployment_util.go):
 *
 *   deployment.kubernetes.io/revision          1, 2, 3 ...: the rollout a ReplicaSet belongs to;
 *                                              the Deployment carries its newest one's
 *   deployment.kubernetes.io/revision-history  the revisions a ReplicaSet had before it was
 *                                              brought back (a template changed back to it)
 *   deployment.kubernetes.io/desired-replicas  the Deployment's spec.replicas when it last scaled the ReplicaSet
 *   deployment.kubernetes.io/max-replicas      that plus maxSurge
 *
 *   setReplicasAnnotations(rs, 3, 4)   // => true; rs has desired-replicas "3", max-replicas "4"
 *   setNewReplicaSetAnnotations(d, rs, '2', false)
 *   // => d's own annotations copied (not kubectl's last-applied-configuration, not these),
 *   //    revision "2", and desired/max replicas for a ReplicaSet about to be created
 */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** sync.go's maxRevHistoryLengthInChars: the revision-history annotation stays within 2000 characters. */
const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

/** annotationsToSkip: never copied from the Deployment to its ReplicaSets. */
const SKIPPED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/** The revision annotation as a number; undefined when it is not a number (0 when missing, as Revision()). */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** MaxRevision: the highest revision among these ReplicaSets (those that do not parse are skipped). */
export function maxRevision(rss: readonly Readonly<ReplicaSet>[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs) ?? 0), 0);
}

/** GetDesiredReplicasAnnotation: undefined when missing or not a number. */
export function desiredReplicasOf(rs: Readonly<ReplicaSet>): number | undefined {
  const v = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** getMaxReplicasAnnotation: undefined when missing or not a number. */
export function maxReplicasOf(rs: Readonly<ReplicaSet>): number | undefined {
  const v = rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

export function replicasAnnotationsNeedUpdate(rs: Readonly<ReplicaSet>, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  rs.metadata.annotations = Object.assign({}, rs.metadata.annotations, { [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(max) });
  return true;
}

/** SetDeploymentRevision: true if the Deployment's revision annotation changed. */
export function setDeploymentRevision(d: Deployment, revision: string | undefined): boolean {
  if (revision === undefined || d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return false;
  d.metadata.annotations = Object.assign({}, d.metadata.annotations, { [REVISION_ANNOTATION]: revision });
  return true;
}

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's annotations, raise the revision to
 * `newRevision` if it is lower (keeping the old one in revision-history when there was one),
 * and for a ReplicaSet not yet created the desired/max replicas. True if anything changed.
 */
export function setNewReplicaSetAnnotations(d: Readonly<Deployment>, rs: ReplicaSet, newRevision: string, exists: boolean): boolean {
  const annotations = { ...rs.metadata.annotations };
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  const oldRevision = annotations[REVISION_ANNOTATION];
  const oldRevisionNumber = oldRevision === undefined || oldRevision === '' ? 0 : /^-?\d+$/.test(oldRevision) ? Number(oldRevision) : undefined;
  if (oldRevisionNumber === undefined || !/^-?\d+$/.test(newRevision)) {
    // Not a number: the controller logs it and leaves the annotations as they were.
    return false;
  }
  if (oldRevisionNumber < Number(newRevision)) {
    annotations[REVISION_ANNOTATION] = newRevision;
    changed = true;
    if (oldRevision !== undefined) {
      const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
      const revisions = history === '' ? [] : history.split(',');
      // Oldest entries go first when the history would grow past its limit.
      while (revisions.length > 0 && [...revisions, oldRevision].join(',').length > MAX_REV_HISTORY_LENGTH_IN_CHARS) revisions.shift();
      annotations[REVISION_HISTORY_ANNOTATION] = [...revisions, oldRevision].join(',');
    }
  }
  rs.metadata.annotations = annotations;
  if (!exists) {
    const replicas = d.spec.replicas ?? 1;
    if (setReplicasAnnotations(rs, replicas, replicas + maxSurge(d))) changed = true;
  }
  return changed;
}
