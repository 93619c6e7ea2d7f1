import { timestamp } from '../../api/time';
import type { DeploymentCondition, DeploymentStatus } from '../../api/types';

/**
 * A Deployment's conditions, with deployment_util.go's reasons and its rule for setting one:
 *
 *   Progressing  True  NewReplicaSetCreated    Created new replica set "web-7c5ddbdf54"
 *                True  FoundNewReplicaSet      Found new replica set "web-7c5ddbdf54"
 *                True  ReplicaSetUpdated       ReplicaSet "web-7c5ddbdf54" is progressing.
 *                True  NewReplicaSetAvailable  ReplicaSet "web-7c5ddbdf54" has successfully progressed.
 *                False ProgressDeadlineExceeded ReplicaSet "web-7c5ddbdf54" has timed out progressing.
 *                False ReplicaSetCreateError   Failed to create new replica set "web-...": <error>
 *                Unknown DeploymentPaused / DeploymentResumed
 *   Available    True  MinimumReplicasAvailable    Deployment has minimum availability.
 *                False MinimumReplicasUnavailable  Deployment does not have minimum availability.
 *
 *   setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', msg, now))
 *   // => replaces the Available condition; the same status and reason again: no change at all;
 *   //    the same status with another reason: lastTransitionTime kept
 */
export const NEW_RS_REASON = 'NewReplicaSetCreated';
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
export const RS_UPDATED_REASON = 'ReplicaSetUpdated';
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
export const FAILED_RS_CREATE_REASON = 'ReplicaSetCreateError';
export const PAUSED_REASON = 'DeploymentPaused';
export const RESUMED_REASON = 'DeploymentResumed';
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';

export type ConditionType = 'Progressing' | 'Available' | 'ReplicaFailure';

/** NewDeploymentCondition: both times now. */
export function newCondition(type: ConditionType, status: DeploymentCondition['status'], reason: string, message: string, nowMs: number): DeploymentCondition {
  const now = timestamp(nowMs);
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getCondition(status: Readonly<DeploymentStatus> | undefined, type: ConditionType): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** SetDeploymentCondition: nothing if status and reason are the same; lastTransitionTime kept if the status is. */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type as ConditionType);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) return;
  const next = current !== undefined && current.status === condition.status ? Object.assign({}, condition, { lastTransitionTime: current.lastTransitionTime }) : condition;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: DeploymentStatus, type: ConditionType): void {
  const kept = (status.conditions ?? []).filter((c) => c.type !== type);
  if (kept.length > 0) status.conditions = kept;
  else delete status.conditions;
}
