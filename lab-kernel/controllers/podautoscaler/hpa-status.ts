import { milliValue, parseQuantity } from '../../api/quantity';
import { timestamp, virtualMs } from '../../api/time';
import type { Condition, HorizontalPodAutoscaler, Pod } from '../../api/types';
import type { HpaPod, HpaReplicasDecision } from './hpa-replicas-contract';

/**
 * The HPA controller's two translations around exercise hpa-replicas: the pods and their
 * PodMetrics into the contract's HpaPod, and a decision into the HPA's next status (what
 * reconcileAutoscaler and setStatus in pkg/controller/podautoscaler/horizontal.go write).
 *
 *   hpaPod(pod web-1 (Running, Ready since 10 s after start, 100m request), its PodMetrics (151m, window 15s))
 *   // => { name: 'web-1', phase: 'Running', deleting: false, startMs, ready: { status: true, lastTransitionMs },
 *   //      containers: [{ name: 'consumer', requestMilli: 100 }], metric: { usageMilli: 151, timestampMs, windowMs: 15_000 } }
 *   nextStatus(hpa, { current: 1, decision: 4 wanted, utilization 250 }, now, rescaled)
 *   // => { currentReplicas: 1, desiredReplicas: 4, currentMetrics: [cpu 250%, 251m], conditions, lastScaleTime: now }
 */

/** A PodMetrics of metrics.k8s.io/v1beta1, as metrics-server serves it. */
export interface PodMetrics {
  metadata: { name: string; namespace: string };
  timestamp: string;
  window: string;
  containers: { name: string; usage: { cpu: string; memory: string } }[];
}

export function hpaPod(pod: Readonly<Pod>, metrics: PodMetrics | undefined): HpaPod {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const startTime = pod.status?.startTime;
  return {
    name: pod.metadata.name!,
    phase: pod.status?.phase ?? 'Pending',
    deleting: pod.metadata.deletionTimestamp !== undefined,
    ...(startTime !== undefined ? { startMs: virtualMs(startTime) } : {}),
    ...(ready !== undefined ? { ready: { status: ready.status === 'True', lastTransitionMs: virtualMs(ready.lastTransitionTime ?? startTime ?? '') } } : {}),
    containers: pod.spec.containers.map((c) => {
      const request = c.resources?.requests?.cpu;
      const limit = c.resources?.limits?.cpu;
      return { name: c.name, ...(request !== undefined ? { requestMilli: milliValue(parseQuantity(request)) } : {}), ...(limit !== undefined ? { limitMilli: milliValue(parseQuantity(limit)) } : {}) };
    }),
    ...(metrics !== undefined
      ? { metric: { usageMilli: metrics.containers.reduce((sum, c) => sum + milliValue(parseQuantity(c.usage.cpu)), 0), timestampMs: virtualMs(metrics.timestamp), windowMs: durationMs(metrics.window) } }
      : {}),
  };
}

/** A Go duration as metrics-server writes a window: '15s', '14.998s', '1m0s' => ms. */
export function durationMs(text: string): number {
  const m = /^(?:(\d+)m)?(?:([\d.]+)s)?$/.exec(text);
  return m === null ? 0 : Math.round((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 1000);
}

/**
 * The status a sync leaves: the replicas it saw and wants, the metric it computed, its
 * conditions (a condition keeps its lastTransitionTime while its status stays), and
 * lastScaleTime when it rescaled.
 */
export function nextStatus(hpa: Readonly<HorizontalPodAutoscaler>, currentReplicas: number, decision: HpaReplicasDecision, nowMs: number, rescaled: boolean): NonNullable<HorizontalPodAutoscaler['status']> {
  const old = hpa.status ?? {};
  const conditions: Condition[] = (old.conditions ?? []).map((c) => ({ ...c }));
  for (const c of decision.conditions) setCondition(conditions, c, nowMs);
  const measured = decision.currentUtilization !== undefined && decision.currentAverageMilli !== undefined;
  const currentMetrics = measured
    ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: decision.currentUtilization, averageValue: `${decision.currentAverageMilli}m` } } }]
    : decision.error !== undefined
      ? old.currentMetrics
      : undefined;
  const lastScaleTime = rescaled ? timestamp(nowMs) : old.lastScaleTime;
  return Object.assign({}, currentMetrics !== undefined ? { currentMetrics } : {}, {
    currentReplicas,
    desiredReplicas: decision.error !== undefined ? (old.desiredReplicas ?? currentReplicas) : decision.desiredReplicas,
    ...(lastScaleTime !== undefined ? { lastScaleTime } : {}),
    conditions,
  });
}

/** setCondition in horizontal.go: replaced in place, a new lastTransitionTime only when the status changes. */
export function setCondition(conditions: Condition[], c: { type: string; status: 'True' | 'False'; reason: string; message: string }, nowMs: number): void {
  const existing = conditions.find((x) => x.type === c.type);
  const lastTransitionTime = existing !== undefined && existing.status === c.status ? existing.lastTransitionTime : timestamp(nowMs);
  const next: Condition = { type: c.type, status: c.status, lastTransitionTime, reason: c.reason, message: c.message };
  if (existing === undefined) conditions.push(next);
  else conditions.splice(conditions.indexOf(existing), 1, next);
}
