/**
 * The HorizontalPodAutoscaler controller's decision, as data: how many replicas a target should
 * have, from its pods' CPU use against their requests. The controller gathers the input (the
 * target's scale subresource, its pods from the informer, their PodMetrics from the Metrics
 * API) every 15 s, asks this question, and writes the answer (the scale, the HPA's status, its
 * events). The answer is exercise `hpa-replicas` (solutions/podautoscaler/hpa-replicas.ts).
 *
 * The controller is hpa-controller.ts (in kube-controller-manager); it writes through the
 * scale subresource (apiserver/subresources/scale.ts).
 *
 * It is kube-controller-manager 1.32's reconcileAutoscaler for one Resource metric, cpu, with
 * a Utilization target (pkg/controller/podautoscaler: horizontal.go, replica_calculator.go),
 * for an HPA without spec.behavior (normalizeDesiredReplicas: scale-down stabilization over
 * --horizontal-pod-autoscaler-downscale-stabilization, and a scale-up limit of max(2 ×
 * current, 4) per sync).
 *
 *   hpaReplicas({ nowMs, currentReplicas: 4, minReplicas: 1, maxReplicas: 10, targetUtilization: 50,
 *                 pods: four ready pods each using 200m of a 100m request, recommendations: [] })
 *   // => { desiredReplicas: 8 (ceil(4 × 200 / 50) = 16, limited to 2 × 4), currentUtilization: 200,
 *   //      rescaleReason: 'cpu resource utilization (percentage of request) above target',
 *   //      conditions: AbleToScale ReadyForNewScale, ScalingActive ValidMetricFound, ScalingLimited ScaleUpLimit,
 *   //      recommendations: [{ replicas: 16, timeMs: nowMs }] }
 *
 * Times are the lab's virtual ms.
 */

/** --horizontal-pod-autoscaler-tolerance: a usage ratio within 1 ± 0.1 changes nothing. */
export const TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period: a pod younger than this may still be warming up. */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay: a pod not ready this soon after starting has never been ready. */
export const INITIAL_READINESS_DELAY_MS = 30_000;
/** --horizontal-pod-autoscaler-downscale-stabilization: scale down to the highest recommendation of this long. */
export const DOWNSCALE_STABILIZATION_MS = 5 * 60_000;
/** horizontal.go's scaleUpLimitFactor and scaleUpLimitMinimum: one sync grows a target to at most max(2 × current, 4). */
export const SCALE_UP_LIMIT_FACTOR = 2;
export const SCALE_UP_LIMIT_MINIMUM = 4;
/** The metric's name in reasons and messages (horizontal.go, for a Resource metric with a Utilization target). */
export const CPU_METRIC_NAME = 'cpu resource utilization (percentage of request)';

/** One pod the HPA's selector picks, as the controller reads it (the informer's Pod, and its PodMetrics). */
export interface HpaPod {
  name: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** It has a deletionTimestamp. */
  deleting: boolean;
  /** status.startTime (virtual ms); absent before the kubelet has started it. */
  startMs?: number;
  /** Its Ready condition; absent when it has none yet. */
  ready?: { status: boolean; lastTransitionMs: number };
  /** Its containers' CPU requests and limits in millicores; absent when a container sets none. */
  containers: { name: string; requestMilli?: number; limitMilli?: number }[];
  /**
   * Its PodMetrics from metrics.k8s.io: the containers' usage summed, in millicores (each
   * container's rounded up, as Quantity.MilliValue does), with the sample's timestamp and
   * window. Absent when metrics-server has no sample for it (a pod just started, or gone).
   */
  metric?: { usageMilli: number; timestampMs: number; windowMs: number };
}

/** A recommendation the controller remembers for the HPA: the replicas computed from metrics at a time. */
export interface Recommendation {
  replicas: number;
  timeMs: number;
}

export interface HpaReplicasInput {
  nowMs: number;
  /** The target's scale: spec.replicas of its scale subresource. */
  currentReplicas: number;
  /** spec.minReplicas (defaulted to 1) and spec.maxReplicas. */
  minReplicas: number;
  maxReplicas: number;
  /** spec.metrics[0].resource.target.averageUtilization, a percentage of the pods' requests. */
  targetUtilization: number;
  pods: HpaPod[];
  /** What the controller remembered from earlier syncs of this HPA (empty at first). */
  recommendations: Recommendation[];
}

export type HpaConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

export interface HpaCondition {
  type: HpaConditionType;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface HpaReplicasDecision {
  /** The replicas the target should have now (its current count when nothing changes). */
  desiredReplicas: number;
  /**
   * Why it changes, when it does ('cpu resource utilization (percentage of request) above
   * target', 'All metrics below target', 'Current number of replicas above Spec.MaxReplicas',
   * 'Current number of replicas below Spec.MinReplicas'); absent when it does not.
   */
  rescaleReason?: string;
  /** The pods' utilization, percent of request (integer, truncated), when it was computed. */
  currentUtilization?: number;
  /** Their average usage in millicores (integer, truncated), when it was computed. */
  currentAverageMilli?: number;
  /** The conditions this sync sets, in the order it sets them (a later one of a type replaces an earlier). */
  conditions: HpaCondition[];
  /** The recommendations to remember for the next sync. */
  recommendations: Recommendation[];
  /**
   * The replica count could not be computed (no metrics, no pods, a missing request): the
   * error replica_calculator.go returns; the controller records FailedGetResourceMetric with it,
   * sets ScalingActive False, and changes nothing.
   */
  error?: string;
}

export type HpaReplicasFn = (input: HpaReplicasInput) => HpaReplicasDecision;
