/**
 * Exercise `statefulset-ordinals` — which ordinal to create, wait for, or delete next. (chapter 07)
 *
 * A StatefulSet "maintains a sticky identity for each of its Pods": for N replicas, "each Pod
 * in the StatefulSet will be assigned an integer ordinal, that is unique over the Set", named
 * <statefulset name>-<ordinal>, with one PersistentVolumeClaim per volumeClaimTemplate named
 * <template>-<statefulset name>-<ordinal> that outlives the pod. With the default
 * podManagementPolicy OrderedReady, "Pods are created sequentially, in order from {0..N-1}",
 * "before a scaling operation is applied to a Pod, all of its predecessors must be Running and
 * Ready", and "when Pods are being deleted, they are terminated in reverse order, from
 * {N-1..0}" (the docs). Each time something changes, kube-controller-manager's StatefulSet
 * controller (pkg/controller/statefulset/stateful_set_control.go, updateStatefulSet) decides,
 * for one StatefulSet:
 *
 *   the ordinals start .. start+replicas-1: create the first missing one, or replace a failed
 *   pod, or wait for one not Ready yet                                     (processReplicas)
 *   the pods beyond them: delete the highest first                         (processCondemned)
 *   then, with RollingUpdate: replace the highest old pod at or above the partition
 *                                                                          (rollingUpdate)
 *
 *   replicas 3, no pods                         => create web-0 (and claim www-web-0)
 *   web-0 Running, not Ready                    => wait on web-0
 *   web-0, web-1, web-2 Ready, replicas now 1   => delete web-2 ('scale-down'), then web-1
 *   web-1 Failed                                => delete web-1 ('failed'); once gone, create
 *                                                  web-1 again (its claim www-web-1 is still there)
 *   new template, partition 0, all Ready        => delete web-2 ('update'), then web-1, web-0
 *   podManagementPolicy Parallel, no pods       => create web-0, web-1 and web-2 at once
 *
 * You write four parts (planStatefulSet, which calls them in turn, is given):
 *   1. statefulPodName and claimNamesFor: a pod's and its claims' names
 *   2. processReplicas: create, replace and wait, ordinal by ordinal
 *   3. processCondemned: the scale-down, highest ordinal first
 *   4. rollingUpdate: the next old pod to replace
 *
 * Run a cluster on your code with
 *   createCluster({ use: { 'statefulset-ordinals': 'exercise' } })
 * and grade it with
 *   npm run grade -- statefulset-ordinals
 */
import type { StatefulPod, StatefulSetAction, StatefulSetPlanInput } from '../../lab-kernel/controllers/statefulset/statefulset-plan-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/** What a part decided: its actions, and whether the plan stops there (OrderedReady waits, or acted once). */
export interface Step {
  actions: StatefulSetAction[];
  blocked: boolean;
}

/** Given: the parts in updateStatefulSet's order. OnDelete stops before the rolling update: pods change only when someone deletes them. */
export function planStatefulSet(input: StatefulSetPlanInput): StatefulSetAction[] {
  const monotonic = input.podManagementPolicy === 'OrderedReady';
  const replicas = processReplicas(input, monotonic);
  if (replicas.blocked) return replicas.actions;
  const condemned = processCondemned(input, monotonic);
  const actions = [...replicas.actions, ...condemned.actions];
  if (condemned.blocked || input.updateStrategy.type === 'OnDelete') return actions;
  return [...actions, ...rollingUpdate(input)];
}

/** Given: the pod of an ordinal, if the set has one. */
export function podAt(input: StatefulSetPlanInput, ordinal: number): StatefulPod | undefined {
  return input.pods.find((p) => p.ordinal === ordinal);
}

/** Given: Running with its Ready condition True (isRunningAndReady). */
export function isRunningAndReady(pod: StatefulPod): boolean {
  return pod.phase === 'Running' && pod.ready;
}

/** Given: Running and Ready, and not terminating (isHealthy). A missing pod is not healthy. */
export function isHealthy(pod: StatefulPod | undefined): boolean {
  return pod !== undefined && isRunningAndReady(pod) && !pod.deleting;
}

/**
 * TODO(1) The names that make a StatefulSet's identities stable (getPodName,
 * getPersistentVolumeClaimName): the pod of an ordinal is <set>-<ordinal>; its claims, one per
 * volumeClaimTemplate, are <template>-<set>-<ordinal>, in template order.
 *
 *   statefulPodName('web', 0)                 => 'web-0'
 *   claimNamesFor(['www'], 'web', 2)          => ['www-web-2']
 *   claimNamesFor(['data', 'logs'], 'db', 0)  => ['data-db-0', 'logs-db-0']
 */
export function statefulPodName(setName: string, ordinal: number): string {
  throw notImplemented('statefulset-ordinals');
}

export function claimNamesFor(templates: readonly string[], setName: string, ordinal: number): string[] {
  throw notImplemented('statefulset-ordinals');
}

/**
 * TODO(2) The ordinals the set should have, input.startOrdinal up to startOrdinal + replicas - 1,
 * lowest first (processReplica, for each):
 *   - its pod Failed or Succeeded: delete it ('failed') unless it is already terminating; with
 *     OrderedReady (monotonic) stop there (a terminating one: nothing to do but stop). The new
 *     pod of that name comes on a later sync, once the old one is gone.
 *   - no pod: create it ('create', its name, the claims of claimNamesFor that are not in
 *     input.claims, and the revision: 'current' if the strategy is RollingUpdate and the
 *     ordinal is below startOrdinal + partition, else 'update'); monotonic: stop there.
 *   - monotonic only, a pod there: terminating => wait ('terminating'); not Running and Ready
 *     => wait ('not-ready'); not available => wait ('not-available'); each stops the plan.
 * With Parallel nothing stops here: every missing pod is created and every failed one deleted.
 *
 *   OrderedReady, replicas 2, no pods              => [create web-0], blocked
 *   OrderedReady, web-0 Ready, no web-1            => [create web-1], blocked
 *   OrderedReady, web-0 Pending                    => [wait web-0 'not-ready'], blocked
 *   Parallel, replicas 2, no pods                  => [create web-0, create web-1], not blocked
 *   OrderedReady, all there and available          => [], not blocked
 */
export function processReplicas(input: StatefulSetPlanInput, monotonic: boolean): Step {
  throw notImplemented('statefulset-ordinals');
}

/**
 * TODO(3) The scale-down: the pods whose ordinal is outside the range (condemned), highest
 * ordinal first (processCondemned):
 *   - terminating: monotonic => wait ('terminating') and stop; Parallel => skip it
 *   - monotonic, and the pod is not the first unhealthy pod of the set: not Running and Ready
 *     => wait on that first unhealthy pod ('not-ready') and stop; not available => wait on it
 *     ('not-available') and stop (no unhealthy pod at all: wait on this one). The first
 *     unhealthy pod: the lowest ordinal in the range that is missing or not healthy
 *     (isHealthy), else the lowest condemned one not healthy.
 *   - otherwise delete it ('scale-down'); monotonic: one deletion, then stop.
 *
 *   OrderedReady, replicas 1, web-0 web-1 web-2 Ready      => [delete web-2], blocked
 *   OrderedReady, replicas 1, web-2 terminating           => [wait web-2 'terminating'], blocked
 *   Parallel, replicas 1, web-0 web-1 web-2 Ready          => [delete web-2, delete web-1], not blocked
 *   no pod beyond the range                               => [], not blocked
 */
export function processCondemned(input: StatefulSetPlanInput, monotonic: boolean): Step {
  throw notImplemented('statefulset-ordinals');
}

/**
 * TODO(4) The rolling update (RollingUpdate only; the given planStatefulSet skips it for
 * OnDelete), one pod at a time whatever the policy: from the highest ordinal of the range down
 * to startOrdinal + partition (included):
 *   - the pod runs an old revision and is not terminating => delete it ('update'), and stop
 *   - the pod is missing or not healthy (isHealthy)       => wait on it ('terminating' if it
 *     is, else 'not-ready'), and stop
 * Ordinals below startOrdinal + partition keep their revision.
 *
 *   web-0..2 Ready, all old, partition 0     => [delete web-2]
 *   web-2 updated and Ready, web-0..1 old    => [delete web-1]
 *   web-2 updated, not Ready yet             => [wait web-2 'not-ready']
 *   partition 2, web-2 updated and Ready     => []: web-0 and web-1 stay on the old revision
 */
export function rollingUpdate(input: StatefulSetPlanInput): StatefulSetAction[] {
  throw notImplemented('statefulset-ordinals');
}
