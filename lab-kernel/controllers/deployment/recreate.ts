import type { ReplicaSet } from '../../api/types';
import { deploymentComplete } from './deployment-status';
import { activeReplicaSets, actualReplicaCount } from './replica-set-lists';
import { cleanupDeployment, replicaSetsOf, syncRolloutStatus } from './sync';
import type { SyncPlan } from './sync-plan';

/**
 * The Recreate strategy (recreate.go rolloutRecreate): every old pod goes before any new one
 * starts.
 *
 *   1. scale every old ReplicaSet to 0; if that changed anything, stop (status only)
 *   2. old pods still there (an old ReplicaSet still counts some, or a pod of one is not yet
 *      gone, Terminating ones included): wait; the last pod's deletion syncs the Deployment again
 *   3. create the new ReplicaSet at full size (a sync that creates it ends there), or scale it up
 *   4. once complete, clean up old revisions; the status
 *
 *   rolloutRecreate(plan)   // old web-6b7f6bb8d9 3 -> 0 ... then web-7c5ddbdf54 created with 3
 */
export function rolloutRecreate(plan: SyncPlan): void {
  const d = plan.deployment;
  const replicas = d.spec.replicas ?? 1;
  const { newRS, oldRSs } = replicaSetsOf(plan, false);
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) if (plan.scaleAndRecord(rs, 0)) scaledDown = true;
  if (scaledDown || oldPodsRunning(plan, newRS, oldRSs)) return syncRolloutStatus(plan, newRS, oldRSs);
  if (newRS === undefined) {
    replicaSetsOf(plan, true, () => replicas);
    return;
  }
  plan.scaleAndRecord(newRS, replicas);
  if (deploymentComplete(d, d.status)) cleanupDeployment(plan, oldRSs);
  syncRolloutStatus(plan, newRS, oldRSs);
}

/** oldPodsRunning: an old ReplicaSet still reports pods, or a pod of one is there and not finished. */
function oldPodsRunning(plan: SyncPlan, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): boolean {
  if (actualReplicaCount(oldRSs.map((rs) => plan.cachedOf(rs))) > 0) return true;
  const newUid = newRS?.metadata.uid;
  return plan.pods.some((pod) => {
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (owner === undefined || owner.uid === newUid) return false;
    // A pod in phase Unknown may still run: it counts, as upstream counts it.
    return pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded';
  });
}
