/**
 * The StatefulSet controller's decision, as plain data: the set's replicas, policy and update
 * strategy, its pods by ordinal and the claims that exist, in; what to do next, out: create
 * ordinal N (its pod, and the claims it lacks), delete the pod of ordinal N (and why), or wait
 * on ordinal N (and why). statefulset-controller.ts gathers the input from its caches and
 * carries the plan out. The decision itself is exercise `statefulset-ordinals`
 * (solutions/statefulset/statefulset-plan.ts).
 *
 *   planStatefulSet({ setName: 'web', replicas: 3, podManagementPolicy: 'OrderedReady', pods: [], claims: [], claimTemplates: ['www'], ... })
 *   // => [{ type: 'create', ordinal: 0, pod: 'web-0', claims: ['www-web-0'], revision: 'update' }]
 *   planStatefulSet({ ...the same, pods: [web-0 Running, not Ready] })
 *   // => [{ type: 'wait', ordinal: 0, pod: 'web-0', reason: 'not-ready' }]
 *
 * What the controller works out for you: each pod's ordinal (from its name, <set>-<ordinal>;
 * pods whose name has none are left out), whether it runs the update revision (its
 * controller-revision-hash label names it), whether it is Ready (its Ready condition) and
 * available (Ready for minReadySeconds), and which claims of the namespace exist.
 */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface StatefulPod {
  /** <set>-<ordinal>. */
  name: string;
  ordinal: number;
  phase: PodPhase;
  /** Its Ready condition is True. */
  ready: boolean;
  /** Ready for at least spec.minReadySeconds (true with Ready when minReadySeconds is 0). */
  available: boolean;
  /** Has a deletionTimestamp: terminating, and not to be deleted again. */
  deleting: boolean;
  /** Runs the update revision (the current template). */
  updated: boolean;
}

export type StatefulSetUpdateStrategy = { type: 'RollingUpdate'; partition: number } | { type: 'OnDelete' };

export interface StatefulSetPlanInput {
  setName: string;
  /** spec.replicas. */
  replicas: number;
  /** spec.ordinals.start (0 unless set): the ordinals run from here to start + replicas - 1. */
  startOrdinal: number;
  podManagementPolicy: 'OrderedReady' | 'Parallel';
  updateStrategy: StatefulSetUpdateStrategy;
  /** The names of spec.volumeClaimTemplates, in order. */
  claimTemplates: readonly string[];
  /** The names of the PersistentVolumeClaims of the namespace that exist (and are not being deleted). */
  claims: readonly string[];
  /** The set's pods that have an ordinal, in no particular order. */
  pods: readonly StatefulPod[];
}

/** Why a pod is deleted. */
export type DeleteReason =
  /** it failed or exited: a new pod of the same name replaces it once it is gone */
  | 'failed'
  /** its ordinal is at or beyond start + replicas */
  | 'scale-down'
  /** it runs an old revision, and the rolling update has reached its ordinal */
  | 'update';

/** Why the plan goes no further (OrderedReady, and the rolling update whatever the policy). */
export type WaitReason =
  /** the pod is terminating: its successor (or the next step) waits until it is gone */
  | 'terminating'
  /** the pod is not Running and Ready */
  | 'not-ready'
  /** the pod is Ready but not for minReadySeconds yet */
  | 'not-available';

export type StatefulSetAction =
  /** Create the pod of this ordinal from the revision named, first the claims it lacks (names, in template order). */
  | { type: 'create'; ordinal: number; pod: string; claims: string[]; revision: 'current' | 'update' }
  | { type: 'delete'; ordinal: number; pod: string; reason: DeleteReason }
  | { type: 'wait'; ordinal: number; pod: string; reason: WaitReason };

/** The actions in the order they are taken; with OrderedReady at most one, which may be a wait. */
export type PlanStatefulSet = (input: StatefulSetPlanInput) => StatefulSetAction[];
