import type { IntOrString } from '../../api/types';

/**
 * The contract of the rolling-update step: the pure decision at the heart of the Deployment
 * controller's RollingUpdate strategy (kube-controller-manager's pkg/controller/deployment,
 * rolling.go with deployment_util.go's NewRSNewReplicas and ResolveFenceposts). The controller
 * runtime (deployment-controller.ts) finds the Deployment's ReplicaSets, creates the new one,
 * calls this function, and carries out what it returns through the API server.
 *
 * It sees only numbers: the Deployment's replicas and its maxSurge / maxUnavailable as the
 * spec has them, and for each ReplicaSet its spec.replicas and status.availableReplicas.
 *
 *   rolloutStep({ replicas: 3, maxSurge: '25%', maxUnavailable: '25%',
 *                 newRS: { name: 'web-7c5ddbdf54', replicas: 0, available: 0 },
 *                 oldRSs: [{ name: 'web-6b7f6bb8d9', replicas: 3, available: 3 }] })
 *   // => { newReplicas: 1, scaleDown: [] }              (surge 1: 4 pods at most)
 *
 *   ... later, the new pod available: newRS { replicas: 1, available: 1 }
 *   // => { newReplicas: 1, scaleDown: [{ name: 'web-6b7f6bb8d9', remove: 1 }] }
 *
 * Exercise `deployment-rollout` (exercises/deployment/rollout.ts) implements it; the reference
 * is in solutions/deployment/rollout.ts. Everything else the controller does (hashing the
 * template, naming and creating ReplicaSets, revisions, status, conditions, events, the
 * Recreate strategy) is the runtime's.
 */
export interface ReplicaSetCounts {
  /** The ReplicaSet's name (`<deployment>-<pod-template-hash>`). */
  readonly name: string;
  /** Its spec.replicas: how many pods it is asked to keep now. */
  readonly replicas: number;
  /** Its status.availableReplicas: how many of its pods have been Ready for minReadySeconds. */
  readonly available: number;
}

export interface RolloutInput {
  /** The Deployment's spec.replicas. */
  readonly replicas: number;
  /** spec.strategy.rollingUpdate.maxSurge as written: a number of pods (2) or a percentage ('25%'). */
  readonly maxSurge: IntOrString;
  /** spec.strategy.rollingUpdate.maxUnavailable, likewise. */
  readonly maxUnavailable: IntOrString;
  /** The ReplicaSet whose template is the Deployment's current one. */
  readonly newRS: ReplicaSetCounts;
  /**
   * Every other ReplicaSet of the Deployment, oldest first (by creationTimestamp, then name, as
   * the controller sorts them), those already at 0 replicas included.
   */
  readonly oldRSs: readonly ReplicaSetCounts[];
}

/** Take `remove` replicas off the old ReplicaSet `name` (its spec.replicas goes down by that much). */
export interface ScaleDown {
  name: string;
  remove: number;
}

export interface RolloutStep {
  /** What the new ReplicaSet's spec.replicas should be (its current value: leave it as it is). */
  newReplicas: number;
  /**
   * The old ReplicaSets to scale down, in the order the controller scales them; the same
   * ReplicaSet may come twice (once for its unhealthy pods, once more by availability).
   */
  scaleDown: ScaleDown[];
}

export type RolloutStepFn = (input: RolloutInput) => RolloutStep;
