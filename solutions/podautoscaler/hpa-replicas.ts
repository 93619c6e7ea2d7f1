/**
 * Exercise `hpa-replicas` — how many replicas a HorizontalPodAutoscaler asks for. (chapter 07)
 *
 * Every 15 s the HPA controller reads its target's pods and their CPU use (metrics-server's
 * Metrics API) and works out how many replicas would bring the average utilization, as a
 * percentage of the pods' CPU requests, to its target. The docs' formula:
 *
 *   desiredReplicas = ceil[currentReplicas × (currentMetricValue / desiredMetricValue)]
 *
 *   4 pods at 200m each, requests 100m, target 50%  => utilization 200%, ratio 4, 16 pods wanted
 *   4 pods at 52m each, target 50%                  => ratio 1.04, within the 0.1 tolerance: stay at 4
 *   4 pods at 10m each, target 50%, 5 minutes ago 3 => ratio 0.2, 1 wanted, but the highest
 *                                                      recommendation of the last 5 minutes is 3
 *
 * Around that formula, kube-controller-manager (pkg/controller/podautoscaler) is careful:
 *   - pods still starting are not trusted (a pod's CPU while it warms up says little), pods
 *     without metrics are counted the way that makes the change smallest, and a change that
 *     this caution would reverse is not made;
 *   - a scale-down waits: the controller takes the highest recommendation of the last 5 minutes;
 *   - a scale-up is limited to max(2 × current, 4) per sync, and the result to min/maxReplicas.
 *
 * You write five parts of it:
 *   1. groupPods: which pods count, which are unready, which have no metrics
 *   2. resourceReplicas: the replicas the metrics ask for, with tolerance and the re-check
 *   3. stabilize: the highest recommendation within the window, and the history to keep
 *   4. limitReplicas: the scale-up limit and min/maxReplicas, with the condition that says why
 *   5. hpaReplicas: the controller's branches around them, and the conditions it sets
 *
 * Grade it with
 *   npm run grade -- hpa-replicas
 * (the cluster's HPA controller, which will run on your code, comes later).
 */
import {
  CPU_INITIALIZATION_PERIOD_MS,
  CPU_METRIC_NAME,
  DOWNSCALE_STABILIZATION_MS,
  INITIAL_READINESS_DELAY_MS,
  SCALE_UP_LIMIT_FACTOR,
  SCALE_UP_LIMIT_MINIMUM,
  TOLERANCE,
  type HpaCondition,
  type HpaPod,
  type HpaReplicasDecision,
  type HpaReplicasInput,
  type Recommendation,
} from '../../lab-kernel/controllers/podautoscaler/hpa-replicas-contract';

/**
 * TODO(5) Put it together, as reconcileAutoscaler does (write it last):
 *   - current 0          => keep 0; ScalingActive False 'ScalingDisabled' 'scaling is disabled
 *                           since the replica count of the target is zero'
 *   - current > max      => max, rescaleReason 'Current number of replicas above Spec.MaxReplicas', no condition
 *   - current < min      => min, 'Current number of replicas below Spec.MinReplicas', no condition
 *   - resourceReplicas errs => keep current and the recommendations, `error`, ScalingActive False
 *                           'FailedGetResourceMetric' `the HPA was unable to compute the replica count: ${error}`
 *   - otherwise: ScalingActive True 'ValidMetricFound' `the HPA was able to successfully
 *     calculate a replica count from ${CPU_METRIC_NAME}`; the reason from the proposal against
 *     current (`${CPU_METRIC_NAME} above target`, or 'All metrics below target'), kept only if
 *     the final count differs; stabilize => AbleToScale True 'ScaleDownStabilized' ('recent
 *     recommendations were higher than current one, applying the highest recent
 *     recommendation') if it changed the proposal, else 'ReadyForNewScale' ('recommended size
 *     matches current size'); limitReplicas => ScalingLimited, True if it changed the count
 *   4 ready pods at 90m of 100m, target 50%, min 1, max 10 => 8, utilization 90, reason
 *     'cpu resource utilization (percentage of request) above target'
 */
export function hpaReplicas(input: HpaReplicasInput): HpaReplicasDecision {
  // BEGIN SOLUTION
  const { currentReplicas, minReplicas, maxReplicas } = input;
  const kept = { desiredReplicas: currentReplicas, recommendations: input.recommendations };
  if (currentReplicas === 0) {
    return { ...kept, conditions: [condition('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero')] };
  }
  if (currentReplicas > maxReplicas) return { ...kept, desiredReplicas: maxReplicas, rescaleReason: 'Current number of replicas above Spec.MaxReplicas', conditions: [] };
  if (currentReplicas < minReplicas) return { ...kept, desiredReplicas: minReplicas, rescaleReason: 'Current number of replicas below Spec.MinReplicas', conditions: [] };

  const computed = resourceReplicas(input);
  if ('error' in computed) {
    return { ...kept, error: computed.error, conditions: [condition('ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${computed.error}`)] };
  }
  const conditions: HpaCondition[] = [condition('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${CPU_METRIC_NAME}`)];
  const proposed = computed.replicas;
  const rescaleReason = proposed > currentReplicas ? `${CPU_METRIC_NAME} above target` : proposed < currentReplicas ? 'All metrics below target' : undefined;

  const stable = stabilize(input.recommendations, proposed, input.nowMs);
  conditions.push(
    stable.replicas !== proposed
      ? condition('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation')
      : condition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size'),
  );
  const limited = limitReplicas(currentReplicas, stable.replicas, minReplicas, maxReplicas);
  conditions.push(condition('ScalingLimited', limited.replicas === stable.replicas ? 'False' : 'True', limited.reason, limited.message));
  const desiredReplicas = limited.replicas;
  return {
    desiredReplicas,
    ...(desiredReplicas !== currentReplicas && rescaleReason !== undefined ? { rescaleReason } : {}),
    currentUtilization: computed.utilization,
    currentAverageMilli: computed.averageMilli,
    conditions,
    recommendations: stable.recommendations,
  };
  // END SOLUTION
}

/** Given: a condition. */
export function condition(type: HpaCondition['type'], status: HpaCondition['status'], reason: string, message: string): HpaCondition {
  return { type, status, reason, message };
}

/** The pods in their groups; a pod in none of the three sets is ready and has its metric. */
export interface PodGroups {
  readyCount: number;
  /** Pending, or (for CPU) not ready or still warming up: their samples are not trusted. */
  unready: Set<string>;
  /** No metric at all. */
  missing: Set<string>;
  /** Being deleted, or Failed: left out entirely. */
  ignored: Set<string>;
}

/**
 * TODO(1) Put each pod in its group (groupPods in replica_calculator.go), in this order:
 *   - deleting, or phase Failed              => ignored
 *   - phase Pending                          => unready
 *   - no metric                              => missing
 *   - no Ready condition, or no startMs      => unready
 *   - within CPU_INITIALIZATION_PERIOD_MS of its start (startMs + period after now):
 *       unready if Ready is False, or if the sample is not a full window newer than Ready's
 *       last transition (metric.timestampMs before lastTransitionMs + windowMs)
 *   - later: unready only if Ready is False AND it has never been ready: Ready's last
 *       transition came within INITIAL_READINESS_DELAY_MS of its start
 *       (startMs + delay after lastTransitionMs)
 *   - otherwise ready (readyCount + 1)
 *   a Running pod started 10 min ago, Ready since 9 min, sampled now  => ready
 *   a Running pod started 1 min ago, Ready since 50 s ago, window 15 s, sampled 40 s ago => unready
 *   a Running pod started 10 min ago, Ready False since 9 min 50 s    => unready (never was ready)
 */
export function groupPods(pods: readonly HpaPod[], nowMs: number): PodGroups {
  // BEGIN SOLUTION
  const groups: PodGroups = { readyCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed') {
      groups.ignored.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      groups.unready.add(pod.name);
      continue;
    }
    const metric = pod.metric;
    if (metric === undefined) {
      groups.missing.add(pod.name);
      continue;
    }
    const ready = pod.ready;
    let unready: boolean;
    if (ready === undefined || pod.startMs === undefined) unready = true;
    else if (pod.startMs + CPU_INITIALIZATION_PERIOD_MS > nowMs) unready = !ready.status || metric.timestampMs < ready.lastTransitionMs + metric.windowMs;
    else unready = !ready.status && pod.startMs + INITIAL_READINESS_DELAY_MS > ready.lastTransitionMs;
    if (unready) groups.unready.add(pod.name);
    else groups.readyCount++;
  }
  return groups;
  // END SOLUTION
}

/**
 * TODO(2) The replicas the CPU metric asks for (GetResourceReplicas), or the error that
 * stops the controller from computing them:
 *   - no pods                          => error 'no pods returned by selector while calculating replica count'
 *   - no pod has a metric              => error 'unable to get metrics for resource cpu: no metrics returned from resource metrics API'
 *   - group the pods (TODO 1); the samples that count are the metrics of the pods neither
 *     ignored nor unready; none left    => error 'did not receive metrics for targeted pods (pods might be unready)'
 *   - a pod's request is the sum of its containers' requestMilli; a container without one
 *                                      => error `missing request for cpu in container ${name} of Pod ${pod}`
 *   - utilization = trunc(100 × Σ usage / Σ request) over the samples that count (integers);
 *     averageMilli = trunc(Σ usage / number of samples); ratio = utilization / target
 *   - no missing pods, and no unready pods unless ratio > 1 (they matter only on a scale-up):
 *       |1 − ratio| ≤ TOLERANCE => currentReplicas, else ceil(ratio × readyCount)
 *   - otherwise count them the way that makes the change smallest, and compute again:
 *       missing pods, ratio < 1: at max(100, target)% of their request; ratio > 1: at 0
 *       unready pods, ratio > 1: at 0
 *     newRatio from all those samples; keep currentReplicas if |1 − newRatio| ≤ TOLERANCE or if
 *     the direction flipped (ratio < 1 < newRatio, or ratio > 1 > newRatio); else
 *     ceil(newRatio × number of samples), unless that goes against newRatio's direction
 *     (newRatio < 1 yet more than current, or newRatio > 1 yet fewer): then currentReplicas
 *   4 ready pods at 200m of 100m, target 50%                       => 16, utilization 200
 *   3 ready pods at 20m of 100m and one without metrics, target 50% => ratio 0.4; the missing one
 *     at 100m: 160 / 400 = 40%, ratio 0.8 => ceil(0.8 × 4) = 4: no change
 */
export function resourceReplicas(input: HpaReplicasInput): { replicas: number; utilization: number; averageMilli: number } | { error: string } {
  // BEGIN SOLUTION
  const { pods, currentReplicas, targetUtilization: target } = input;
  if (pods.length === 0) return { error: 'no pods returned by selector while calculating replica count' };
  if (!pods.some((p) => p.metric !== undefined)) return { error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' };
  const groups = groupPods(pods, input.nowMs);
  const samples = new Map<string, number>();
  for (const p of pods) {
    if (p.metric !== undefined && !groups.ignored.has(p.name) && !groups.unready.has(p.name)) samples.set(p.name, p.metric.usageMilli);
  }
  if (samples.size === 0) return { error: 'did not receive metrics for targeted pods (pods might be unready)' };
  const requests = new Map<string, number>();
  for (const p of pods) {
    let sum = 0;
    for (const c of p.containers) {
      if (c.requestMilli === undefined) return { error: `missing request for cpu in container ${c.name} of Pod ${p.name}` };
      sum += c.requestMilli;
    }
    requests.set(p.name, sum);
  }
  const ratioOf = (metrics: Map<string, number>) => {
    let usage = 0;
    let request = 0;
    for (const [name, milli] of metrics) {
      usage += milli;
      request += requests.get(name)!;
    }
    const utilization = request === 0 ? 0 : Math.trunc((usage * 100) / request);
    return { ratio: utilization / target, utilization, averageMilli: Math.trunc(usage / metrics.size) };
  };
  const { ratio, utilization, averageMilli } = ratioOf(samples);
  const keep = { replicas: currentReplicas, utilization, averageMilli };
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - ratio) <= TOLERANCE) return keep;
    return { replicas: Math.ceil(ratio * groups.readyCount), utilization, averageMilli };
  }
  if (ratio < 1) for (const name of groups.missing) samples.set(name, Math.trunc((requests.get(name)! * Math.max(100, target)) / 100));
  else if (ratio > 1) for (const name of groups.missing) samples.set(name, 0);
  if (scaleUpWithUnready) for (const name of groups.unready) samples.set(name, 0);
  const newRatio = ratioOf(samples).ratio;
  if (Math.abs(1 - newRatio) <= TOLERANCE || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return keep;
  const replicas = Math.ceil(newRatio * samples.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return keep;
  return { replicas, utilization, averageMilli };
  // END SOLUTION
}

/**
 * TODO(3) Scale-down stabilization (stabilizeRecommendation): the highest of the proposed
 * replicas and every remembered recommendation within DOWNSCALE_STABILIZATION_MS. A
 * recommendation is out of the window only when it is older than that (timeMs before
 * nowMs − window; one exactly at the edge still counts). Remember the proposal at nowMs: in
 * place of an old recommendation if there is one (the last old one found), else added at the end.
 *   remembered [{4 at 0}, {3 at 100 s}], proposed 1 at 200 s  => 4; [{4, 0}, {3, 100 s}, {1, 200 s}]
 *   the same at 301 s                                           => 3; [{1, 301 s}, {3, 100 s}]
 */
export function stabilize(recommendations: readonly Recommendation[], proposed: number, nowMs: number): { replicas: number; recommendations: Recommendation[] } {
  // BEGIN SOLUTION
  const cutoff = nowMs - DOWNSCALE_STABILIZATION_MS;
  let replicas = proposed;
  let oldIndex = -1;
  recommendations.forEach((r, i) => {
    if (r.timeMs < cutoff) oldIndex = i;
    else if (r.replicas > replicas) replicas = r.replicas;
  });
  const kept = recommendations.map((r) => ({ ...r }));
  const fresh = { replicas: proposed, timeMs: nowMs };
  if (oldIndex >= 0) kept[oldIndex] = fresh;
  else kept.push(fresh);
  return { replicas, recommendations: kept };
  // END SOLUTION
}

/**
 * TODO(4) The limits (convertDesiredReplicasWithRules): at most max(SCALE_UP_LIMIT_FACTOR ×
 * current, SCALE_UP_LIMIT_MINIMUM) and at most maxReplicas, at least minReplicas; the reason
 * and message of the ScalingLimited condition:
 *   below minReplicas         => minReplicas, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'
 *   above the scale-up limit, when that limit is below maxReplicas
 *                             => the limit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'
 *   above maxReplicas (the lower of the two)
 *                             => maxReplicas, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'
 *   otherwise                 => as desired, 'DesiredWithinRange', 'the desired count is within the acceptable range'
 *   current 2, desired 9, min 1, max 10 => 4, ScaleUpLimit
 *   current 6, desired 14, min 1, max 10 => 10, TooManyReplicas
 */
export function limitReplicas(current: number, desired: number, minReplicas: number, maxReplicas: number): { replicas: number; reason: string; message: string } {
  // BEGIN SOLUTION
  const scaleUpLimit = Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM));
  const [maximum, reason, message] =
    maxReplicas > scaleUpLimit
      ? [scaleUpLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
      : [maxReplicas, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
  if (desired < minReplicas) return { replicas: minReplicas, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  if (desired > maximum) return { replicas: maximum, reason, message };
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
  // END SOLUTION
}
