import type { ReplicaSet } from '../../api/types';
import { desiredReplicasOf, maxRevision, REVISION_ANNOTATION, setDeploymentRevision, setNewReplicaSetAnnotations } from './annotations';
import { FOUND_NEW_RS_REASON, getCondition, NEW_RS_REASON, newCondition, PAUSED_REASON, RESUMED_REASON, setCondition, TIMED_OUT_REASON } from './conditions';
import { calculateStatus, hasProgressDeadline, rolloutStatus } from './deployment-status';
import { isRollingUpdate, maxSurge } from './fenceposts';
import { proportionalSizes } from './proportional-scale';
import { newReplicaSetFor } from './new-replica-set';
import { activeReplicaSets, byCreation, byRevision, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets, specReplicas } from './replica-set-lists';
import type { SyncPlan } from './sync-plan';

/**
 * The parts of a Deployment's sync that every strategy shares (sync.go, progress.go), each
 * deciding on the plan's working copies (sync-plan.ts):
 *
 *   replicaSetsOf(plan, create)  getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if
 *                                asked and missing, named by the template hash) and the old ones;
 *                                revisions synced between them and the Deployment
 *   syncScaling(plan)            sync: a paused Deployment, or one only rescaled: no rollout step
 *   syncStatusOnly(plan)         a Deployment being deleted: its status only
 *   isScalingEvent(plan)         an active ReplicaSet's desired-replicas differs from spec.replicas
 *   checkPausedConditions(plan)  Progressing Unknown DeploymentPaused / DeploymentResumed
 *   cleanupDeployment(plan, old) delete old ReplicaSets at 0 beyond revisionHistoryLimit, oldest revision first
 *   syncRolloutStatus(plan, ...) the status, with the Progressing condition (deployment-status.ts)
 *
 *   replicaSetsOf(plan, true, () => 3)   // no ReplicaSet has the Deployment's template yet
 *   // => { newRS: 'web-7c5ddbdf54' (3 replicas, revision max+1), oldRSs: [...] }; plan.create set,
 *   //    the Deployment's revision annotation and Progressing NewReplicaSetCreated set on its working copy
 */
export interface ReplicaSets {
  newRS: ReplicaSet | undefined;
  /** Oldest first. */
  oldRSs: ReplicaSet[];
}

/** How many replicas a new ReplicaSet starts with (NewRSNewReplicas: the strategy's to say). */
export type NewReplicas = (newRS: ReplicaSet, oldRSs: readonly ReplicaSet[]) => number;

export function replicaSetsOf(plan: SyncPlan, create: false): ReplicaSets;
export function replicaSetsOf(plan: SyncPlan, create: true, newReplicas: NewReplicas): ReplicaSets;
export function replicaSetsOf(plan: SyncPlan, create: boolean, newReplicas?: NewReplicas): ReplicaSets {
  const d = plan.deployment;
  const oldRSs = findOldReplicaSets(d, plan.replicaSets);
  const newRevision = String(maxRevision(oldRSs) + 1);
  const existing = findNewReplicaSet(d, plan.replicaSets);
  const sortedOld = () => [...oldRSs].sort(byCreation);
  if (existing !== undefined) {
    const annotationsUpdated = setNewReplicaSetAnnotations(d, existing, newRevision, true);
    const minReadySeconds = d.spec.minReadySeconds ?? 0;
    if (annotationsUpdated || (existing.spec.minReadySeconds ?? 0) !== minReadySeconds) {
      if (minReadySeconds > 0) existing.spec.minReadySeconds = minReadySeconds;
      else delete existing.spec.minReadySeconds;
      // Written now; the Deployment takes the revision on the next sync, as upstream does.
      return { newRS: existing, oldRSs: sortedOld() };
    }
    setDeploymentRevision(d, existing.metadata.annotations?.[REVISION_ANNOTATION]);
    if (hasProgressDeadline(d) && getCondition(d.status, 'Progressing') === undefined) {
      setCondition(d.status!, newCondition('Progressing', 'True', FOUND_NEW_RS_REASON, `Found new replica set "${existing.metadata.name}"`, plan.now));
    }
    return { newRS: existing, oldRSs: sortedOld() };
  }
  if (!create) return { newRS: undefined, oldRSs: sortedOld() };
  if (plan.create !== undefined) return { newRS: plan.create, oldRSs: sortedOld() };

  const rs = newReplicaSetFor(d, 0, newRevision);
  const replicas = newReplicas!(rs, sortedOld());
  rs.spec.replicas = replicas;
  plan.create = rs;
  if (replicas > 0) plan.event(rs.metadata.name!, `Scaled up replica set ${rs.metadata.name} from 0 to ${replicas}`);
  setDeploymentRevision(d, newRevision);
  if (hasProgressDeadline(d)) setCondition(d.status!, newCondition('Progressing', 'True', NEW_RS_REASON, `Created new replica set "${rs.metadata.name}"`, plan.now));
  return { newRS: rs, oldRSs: sortedOld() };
}

/** A paused Deployment, or a scaling event: scale, clean up when paused, count the status. No rollout. */
export function syncScaling(plan: SyncPlan): void {
  const { newRS, oldRSs } = replicaSetsOf(plan, false);
  scale(plan, newRS, oldRSs);
  if (plan.deployment.spec.paused) cleanupDeployment(plan, oldRSs);
  syncDeploymentStatus(plan, newRS, oldRSs);
}

/** syncStatusOnly: a Deployment being deleted only has its status counted. */
export function syncStatusOnly(plan: SyncPlan): void {
  const { newRS, oldRSs } = replicaSetsOf(plan, false);
  syncDeploymentStatus(plan, newRS, oldRSs);
}

/** syncDeploymentStatus: the counts and the Available condition, no progress estimate. */
function syncDeploymentStatus(plan: SyncPlan, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): void {
  plan.deployment.status = calculateStatus([...oldRSs, newRS].map((rs) => plan.cachedOf(rs)), plan.cachedOf(newRS), plan.deployment, plan.now);
}

/**
 * scale: the only active ReplicaSet (or, with none, the newest) takes spec.replicas; a saturated
 * new ReplicaSet leaves the old ones at 0; several active ones under RollingUpdate are resized
 * in proportion (proportional-scale.ts), each write carrying the new desired/max-replicas.
 */
function scale(plan: SyncPlan, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
  const d = plan.deployment;
  const replicas = d.spec.replicas ?? 1;
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest !== undefined) {
    plan.scaleAndRecord(activeOrLatest, replicas);
    return;
  }
  if (isSaturated(plan, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) plan.scaleAndRecord(old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const active = activeReplicaSets([...oldRSs, newRS]);
  const sizes = proportionalSizes({ replicas, maxSurge: maxSurge(d), statusReplicas: d.status?.replicas ?? 0, replicaSets: active });
  for (const rs of active) plan.scale(rs, sizes[rs.metadata.name!]);
}

/** IsSaturated: the new ReplicaSet has, wants and makes available exactly spec.replicas. */
function isSaturated(plan: SyncPlan, rs: ReplicaSet | undefined): boolean {
  if (rs === undefined) return false;
  const replicas = plan.deployment.spec.replicas ?? 1;
  return specReplicas(rs) === replicas && desiredReplicasOf(rs) === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

export function isScalingEvent(plan: SyncPlan): boolean {
  const { newRS, oldRSs } = replicaSetsOf(plan, false);
  const replicas = plan.deployment.spec.replicas ?? 1;
  return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = desiredReplicasOf(rs);
    return desired !== undefined && desired !== replicas;
  });
}

export function checkPausedConditions(plan: SyncPlan): void {
  const d = plan.deployment;
  if (!hasProgressDeadline(d)) return;
  const c = getCondition(d.status, 'Progressing');
  // A rollout reported as stuck stays reported: pausing does not hide it.
  if (c?.reason === TIMED_OUT_REASON) return;
  const pausedShown = c?.reason === PAUSED_REASON;
  if (d.spec.paused && !pausedShown) setCondition(d.status!, newCondition('Progressing', 'Unknown', PAUSED_REASON, 'Deployment is paused', plan.now));
  else if (!d.spec.paused && pausedShown) setCondition(d.status!, newCondition('Progressing', 'Unknown', RESUMED_REASON, 'Deployment is resumed', plan.now));
}

export function cleanupDeployment(plan: SyncPlan, oldRSs: readonly ReplicaSet[]): void {
  const limit = plan.deployment.spec.revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = oldRSs.map((rs) => plan.cachedOf(rs)!).filter((rs) => rs.metadata.deletionTimestamp === undefined);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  for (const rs of [...cleanable].sort(byRevision).slice(0, diff)) {
    // Only a ReplicaSet that is at 0 and knows it (its status caught up with its spec).
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    plan.deletes.push(rs.metadata.name!);
  }
}

/** syncRolloutStatus: the status and the Progressing condition; unchanged, maybe a check later. */
export function syncRolloutStatus(plan: SyncPlan, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): void {
  const r = rolloutStatus(plan.deployment, [...oldRSs, newRS].map((rs) => plan.cachedOf(rs)), plan.cachedOf(newRS), plan.now);
  if (r.unchanged) plan.checkAgain = r.checkAgain;
  else plan.deployment.status = r.status;
}
