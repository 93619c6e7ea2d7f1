/**
 * Exercise `deployment-rollout` — the Deployment controller's rolling-update step. (chapter 07)
 *
 * A Deployment does not run pods itself: it keeps one ReplicaSet per version of its pod
 * template. Change the template (a new image) and the controller makes a new ReplicaSet, then
 * moves replicas over from the old ones a few at a time, so that the application stays up:
 *
 *   maxSurge        how many pods may exist above spec.replicas during the update
 *   maxUnavailable  how many of spec.replicas may be unavailable during the update
 *
 * Both are a number of pods or a percentage of spec.replicas (25% each by default). Each time
 * something changes (a pod becomes available, a ReplicaSet is scaled), the controller takes
 * one step: scale the new ReplicaSet up as far as the surge allows; if there was nothing to
 * scale up, scale old ReplicaSets down as far as availability allows. Step after step, the new
 * ReplicaSet reaches spec.replicas and the old ones 0.
 *
 * You write the step as a pure function of numbers (rolloutStep's input is in
 * lab-kernel/controllers/deployment/rollout-contract.ts); the controller runtime reads the
 * ReplicaSets, calls it, and writes the new spec.replicas. Run a cluster on your code with
 *   createCluster({ use: { 'deployment-rollout': 'exercise' } })
 * and grade it with
 *   npm run grade -- deployment-rollout
 *
 * Input => output, by example (replicas 3, maxSurge 25%, maxUnavailable 25%: surge 1, unavailable 0):
 *
 *   new 0/0, old 3 (3 available)                => newReplicas 1, scaleDown []           (4 pods at most)
 *   new 1 (0 available), old 3 (3 available)    => newReplicas 1, scaleDown []           (wait: 3 must stay available)
 *   new 1 (1 available), old 3 (3 available)    => newReplicas 1, scaleDown [old -1]     (4 available, 3 needed)
 *   new 1 (1 available), old 2 (2 available)    => newReplicas 2, scaleDown []           (room for one more)
 *   new 3 (3 available), old 0                  => newReplicas 3, scaleDown []           (done)
 */
import type { IntOrString } from '../../lab-kernel/api/types';
import type { RolloutInput, RolloutStep, ScaleDown } from '../../lab-kernel/controllers/deployment/rollout-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/**
 * The step, in the order of rolling.go's rolloutRolling (given): scale the new ReplicaSet up
 * (or down to spec.replicas); if that changed it, stop there — the next step comes when the
 * change has been seen. Otherwise scale old ReplicaSets down.
 */
export function rolloutStep(input: RolloutInput): RolloutStep {
  const newReplicas = newReplicaSetReplicas(input);
  if (newReplicas !== input.newRS.replicas) return { newReplicas, scaleDown: [] };
  return { newReplicas, scaleDown: oldReplicaSetScaleDowns(input) };
}

/**
 * TODO(1) How many pods are maxSurge and maxUnavailable, for this many replicas?
 * A number is a number of pods. A percentage ('25%') is that share of `replicas`, rounded UP
 * for maxSurge and DOWN for maxUnavailable (so a small Deployment may surge, and is never left
 * short). If both come out 0, maxUnavailable becomes 1: otherwise the update could never move.
 * A string without '%' is not a valid value: throw an Error.
 *
 *   replicas 10, '25%', '25%'   => { maxSurge: 3, maxUnavailable: 2 }    (2.5 up, 2.5 down)
 *   replicas 1,  '25%', '25%'   => { maxSurge: 1, maxUnavailable: 0 }
 *   replicas 3,  1, 0           => { maxSurge: 1, maxUnavailable: 0 }
 *   replicas 3,  '0%', '10%'    => { maxSurge: 0, maxUnavailable: 1 }    (both 0: unavailable 1)
 */
export function resolveFenceposts(replicas: number, maxSurge: IntOrString, maxUnavailable: IntOrString): { maxSurge: number; maxUnavailable: number } {
  throw notImplemented('deployment-rollout');
}

/**
 * TODO(2) How many replicas should the new ReplicaSet have now?
 *   - already spec.replicas or more: exactly spec.replicas (a scale-down of the Deployment);
 *   - else as many more as the surge allows: all ReplicaSets together (new and old, by their
 *     replicas) may have at most replicas + maxSurge; never more than spec.replicas for the new one.
 *
 *   replicas 10, maxSurge 2, new 0, old 10    => 2      (12 at most, 10 there)
 *   replicas 10, maxSurge 2, new 0, old 5     => 7      (room for 7)
 *   replicas 10, maxSurge 2, new 2, old 10    => 2      (already 12: no room)
 *   replicas 10, maxSurge 0, new 0, old 10    => 0
 *   replicas 10, maxSurge 2, new 11, old 2    => 10     (scale the new one down to replicas)
 *   replicas 3,  maxSurge 5, new 1, old 0     => 3      (never above replicas)
 */
export function newReplicaSetReplicas(input: RolloutInput): number {
  throw notImplemented('deployment-rollout');
}

/**
 * TODO(3) Which old ReplicaSets to scale down, and by how much? Only old ReplicaSets that
 * still have replicas count here, oldest first. maxUnavailable is resolveFenceposts' value,
 * but never more than spec.replicas (0 when spec.replicas is 0); minAvailable = replicas - maxUnavailable.
 *
 *   1. How far may the old ones go down at all? maxScaledDown = (replicas of all ReplicaSets,
 *      new and old) - minAvailable - (the new ReplicaSet's replicas that are not available yet).
 *      At 0 or below: nothing.
 *   2. Unhealthy first: an old ReplicaSet with fewer available pods than replicas gives up its
 *      unavailable ones (replicas - available), while the total stays within maxScaledDown.
 *      Removing them costs no availability. If an old ReplicaSet reports MORE available pods
 *      than replicas (its status has not caught up with an earlier scale-down), the controller
 *      refuses ("invalid request to scale down") and stops: keep what was decided before it,
 *      and scale nothing more down.
 *   3. Then by availability: count the available pods of the new ReplicaSet and of those old
 *      ones; whatever is above minAvailable may go, taken from the old ReplicaSets in order.
 *
 *   replicas 10, maxUnavailable 2, new 0, old 10 (10 available)   => [{ old, remove: 2 }]
 *   replicas 10, maxUnavailable 2, new 0, old 10 (9 available)    => [{ old, remove: 1 }, { old, remove: 1 }]
 *   replicas 10, maxUnavailable 2, new 0, old 10 (8 available)    => [{ old, remove: 2 }]        (both unhealthy)
 *   replicas 10, maxUnavailable 2, new 2 (0 available), old 8     => []    (10 - 8 - 2 = 0: wait for the new pods)
 */
export function oldReplicaSetScaleDowns(input: RolloutInput): ScaleDown[] {
  throw notImplemented('deployment-rollout');
}
