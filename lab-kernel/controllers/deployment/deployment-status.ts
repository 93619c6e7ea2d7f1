import { virtualMs } from '../../api/time';
import type { Deployment, DeploymentStatus } from '../../api/types';
import {
  getCondition,
  MINIMUM_REPLICAS_AVAILABLE,
  MINIMUM_REPLICAS_UNAVAILABLE,
  NEW_RS_AVAILABLE_REASON,
  newCondition,
  removeCondition,
  RS_UPDATED_REASON,
  setCondition,
  TIMED_OUT_REASON,
} from './conditions';
import { maxUnavailable } from './fenceposts';
import { actualReplicaCount, availableCount, readyCount, replicaCount, type RS } from './replica-set-lists';
import { jsonEqual } from '../../api/json-equal';

/**
 * A Deployment's status, counted over its ReplicaSets (sync.go calculateStatus), and the
 * Progressing condition that says whether its rollout moves (progress.go syncRolloutStatus):
 *
 *   calculateStatus(allRSs, newRS, d, now)
 *   // => { observedGeneration, replicas: Σ status.replicas, updatedReplicas: the new RS's,
 *   //      readyReplicas, availableReplicas, unavailableReplicas: Σ spec.replicas - available (not below 0),
 *   //      conditions: Available True MinimumReplicasAvailable when available >= replicas - maxUnavailable }
 *   rolloutStatus(d, allRSs, newRS, now)
 *   // => that status with Progressing: NewReplicaSetAvailable once complete; ReplicaSetUpdated
 *   //    (lastUpdateTime now) whenever a count moved the right way; ProgressDeadlineExceeded when
 *   //    nothing moved for progressDeadlineSeconds since lastUpdateTime
 *
 * Counts that are 0 are left out, as the API's omitempty fields are.
 */
export function calculateStatus(allRSs: readonly (RS | undefined)[], newRS: RS | undefined, d: Readonly<Deployment>, nowMs: number): DeploymentStatus {
  const replicas = d.spec.replicas ?? 1;
  const available = availableCount(allRSs);
  const status: DeploymentStatus = omitZeros({
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicaCount(allRSs) - available),
  });
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions !== undefined) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (available >= replicas - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition('Available', 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** HasProgressDeadline: set, and not MaxInt32 (which means "never"). */
export function hasProgressDeadline(d: Readonly<Deployment>): boolean {
  return d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647;
}

/** DeploymentComplete: every replica updated, available, and nothing else left; the status current. */
export function deploymentComplete(d: Readonly<Deployment>, s: Readonly<DeploymentStatus> | undefined): boolean {
  const replicas = d.spec.replicas ?? 1;
  return (s?.updatedReplicas ?? 0) === replicas && (s?.replicas ?? 0) === replicas && (s?.availableReplicas ?? 0) === replicas && (s?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than the last status said. */
export function deploymentProgressing(d: Readonly<Deployment>, s: Readonly<DeploymentStatus>): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** DeploymentTimedOut: no progress since the Progressing condition's lastUpdateTime, for progressDeadlineSeconds. */
export function deploymentTimedOut(d: Readonly<Deployment>, s: Readonly<DeploymentStatus>, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (c === undefined || c.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (c.reason === TIMED_OUT_REASON) return true;
  if (c.lastUpdateTime === undefined) return false;
  return virtualMs(c.lastUpdateTime) + d.spec.progressDeadlineSeconds! * 1000 < nowMs;
}

export interface RolloutStatus {
  status: DeploymentStatus;
  /** True when it equals the Deployment's status now: nothing to write. */
  unchanged: boolean;
  /**
   * When unchanged and the rollout may be stuck, check again (requeueStuckDeployment):
   * 'now' (rate-limited) when the deadline is less than a second away, else in this many ms
   * (the time left plus a second).
   */
  checkAgain?: 'now' | number;
}

export function rolloutStatus(d: Readonly<Deployment>, allRSs: readonly (RS | undefined)[], newRS: RS | undefined, nowMs: number): RolloutStatus {
  const status = calculateStatus(allRSs, newRS, d, nowMs);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const isComplete = status.replicas === status.updatedReplicas && current?.reason === NEW_RS_AVAILABLE_REASON;
  const of = newRS !== undefined ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (hasProgressDeadline(d) && !isComplete) {
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, `${of} has successfully progressed.`, nowMs));
    } else if (deploymentProgressing(d, status)) {
      // The same reason again still counts as news here: lastUpdateTime moves on, lastTransitionTime stays.
      const c = newCondition('Progressing', 'True', RS_UPDATED_REASON, `${of} is progressing.`, nowMs);
      if (current?.status === 'True' && current.lastTransitionTime !== undefined) c.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, nowMs)) {
      setCondition(status, newCondition('Progressing', 'False', TIMED_OUT_REASON, `${of} has timed out progressing.`, nowMs));
    }
  }
  const unchanged = jsonEqual(status, d.status ?? {});
  return { status, unchanged, checkAgain: unchanged ? checkAgainIn(d, status, nowMs) : undefined };
}

function checkAgainIn(d: Readonly<Deployment>, status: Readonly<DeploymentStatus>, nowMs: number): 'now' | number | undefined {
  const c = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || c === undefined || c.lastUpdateTime === undefined) return undefined;
  if (deploymentComplete(d, status) || c.reason === TIMED_OUT_REASON) return undefined;
  const after = virtualMs(c.lastUpdateTime) + d.spec.progressDeadlineSeconds! * 1000 - nowMs;
  return after < 1000 ? 'now' : after + 1000;
}

function omitZeros(s: Required<Pick<DeploymentStatus, 'observedGeneration' | 'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas' | 'unavailableReplicas'>>): DeploymentStatus {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== 0)) as DeploymentStatus;
}
