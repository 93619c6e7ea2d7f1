import type { Deployment, ReplicaSet } from '../../api/types';
import { deploymentComplete } from './deployment-status';
import { specReplicas } from './replica-set-lists';
import type { ReplicaSetCounts, RolloutInput, RolloutStep, RolloutStepFn } from './rollout-contract';
import { cleanupDeployment, replicaSetsOf, syncRolloutStatus } from './sync';
import type { SyncPlan } from './sync-plan';

/**
 * The RollingUpdate strategy (rolling.go rolloutRolling) around the exercise's step:
 *
 *   1. find the new ReplicaSet, or create it with the replicas the step gives it (NewRSNewReplicas);
 *      a sync that creates it ends there, and the next one carries on
 *   2. ask the step: a new size for the new ReplicaSet, or old ReplicaSets to scale down
 *   3. neither: the rollout is done for now; once complete, clean up old revisions
 *   4. the status, with the Progressing and Available conditions
 *
 *   rolloutRolling(plan, rolloutStep)
 *   // plan: web-7c5ddbdf54 0 -> 1, event "Scaled up replica set web-7c5ddbdf54 from 0 to 1", status
 *
 * A step that throws, or returns something malformed, throws here: the sync fails and is retried.
 */
export function rolloutRolling(plan: SyncPlan, step: RolloutStepFn): void {
  const d = plan.deployment;
  const { newRS, oldRSs } = replicaSetsOf(plan, true, (rs, old) => {
    const out = callStep(step, rolloutInput(d, rs, old));
    return out.newReplicas;
  });
  if (plan.create !== undefined || newRS === undefined) return;

  const out = callStep(step, rolloutInput(d, newRS, oldRSs));
  if (out.newReplicas !== specReplicas(newRS)) {
    if (out.scaleDown.length > 0) throw new Error('the step scaled the new ReplicaSet and old ones at once: scale up first, and scale down only when there was nothing to scale up');
    plan.scaleAndRecord(newRS, out.newReplicas);
    return syncRolloutStatus(plan, newRS, oldRSs);
  }
  if (out.scaleDown.length > 0) {
    for (const { name, remove } of out.scaleDown) {
      const rs = oldRSs.find((r) => r.metadata.name === name)!;
      plan.scaleAndRecord(rs, specReplicas(rs) - remove);
    }
    return syncRolloutStatus(plan, newRS, oldRSs);
  }
  if (deploymentComplete(d, d.status)) cleanupDeployment(plan, oldRSs);
  syncRolloutStatus(plan, newRS, oldRSs);
}

/** The step's input: numbers only (the step runs in a sandbox: plain data across). */
export function rolloutInput(d: Readonly<Deployment>, newRS: Readonly<ReplicaSet>, oldRSs: readonly Readonly<ReplicaSet>[]): RolloutInput {
  const counts = (rs: Readonly<ReplicaSet>): ReplicaSetCounts => ({ name: rs.metadata.name!, replicas: specReplicas(rs), available: rs.status?.availableReplicas ?? 0 });
  const ru = d.spec.strategy?.rollingUpdate;
  return { replicas: d.spec.replicas ?? 1, maxSurge: ru?.maxSurge ?? 0, maxUnavailable: ru?.maxUnavailable ?? 0, newRS: counts(newRS), oldRSs: oldRSs.map(counts) };
}

/** Calls the step and checks what it returned; throws with what is wrong. */
function callStep(step: RolloutStepFn, input: RolloutInput): RolloutStep {
  const out = step(input);
  const problem = malformed(out, input);
  if (problem !== undefined) throw new Error(`rollout step returned ${problem}`);
  return out;
}

function malformed(out: RolloutStep, input: RolloutInput): string | undefined {
  if (out === null || typeof out !== 'object') return `${JSON.stringify(out)} instead of { newReplicas, scaleDown }`;
  if (!Number.isInteger(out.newReplicas) || out.newReplicas < 0) return `newReplicas ${JSON.stringify(out.newReplicas)}: not a whole number of replicas`;
  if (!Array.isArray(out.scaleDown)) return 'no scaleDown list';
  const left = new Map(input.oldRSs.map((rs) => [rs.name, rs.replicas]));
  for (const s of out.scaleDown) {
    if (s === null || typeof s !== 'object' || !left.has(s.name)) return `a scale-down of ${JSON.stringify(s?.name)}, which is not an old ReplicaSet of this Deployment`;
    if (!Number.isInteger(s.remove) || s.remove <= 0) return `a scale-down of ${s.name} by ${JSON.stringify(s.remove)}: not a positive whole number`;
    if (s.remove > left.get(s.name)!) return `a scale-down of ${s.name} by ${s.remove}, below 0 replicas`;
    left.set(s.name, left.get(s.name)! - s.remove);
  }
  return undefined;
}
