import type { HpaPod, HpaReplicasDecision, HpaReplicasInput, Recommendation } from './hpa-replicas-contract';

/**
 * The HPA decision's test pods, shared by its kernel test and the grader's suite: every pod
 * requests 100m of CPU (and is limited to 500m); now is one hour in.
 */
export const NOW = 3_600_000;
const S = 1000;

/** A pod started 10 minutes ago, Ready 20 s after, using `usage` millicores, sampled 5 s ago over 15 s. */
export function hpaPod(name: string, usage: number | undefined, over: Partial<HpaPod> = {}): HpaPod {
  const startMs = NOW - 600 * S;
  return {
    name,
    phase: 'Running',
    deleting: false,
    startMs,
    ready: { status: true, lastTransitionMs: startMs + 20 * S },
    containers: [{ name: 'app', requestMilli: 100, limitMilli: 500 }],
    ...(usage === undefined ? {} : { metric: { usageMilli: usage, timestampMs: NOW - 5 * S, windowMs: 15 * S } }),
    ...over,
  };
}

export const hpaPods = (n: number, usage: number | undefined, prefix = 'web') => Array.from({ length: n }, (_, i) => hpaPod(`${prefix}-${i}`, usage));

/** The input of one HPA sync: these pods, min 1, max 10, a 50% target, no recommendations yet. */
export function hpaInput(over: Partial<HpaReplicasInput> & { pods: HpaPod[] }): HpaReplicasInput {
  return { nowMs: NOW, currentReplicas: over.pods.length, minReplicas: 1, maxReplicas: 10, targetUtilization: 50, recommendations: [], ...over };
}

/** A recommendation of `replicas` made `seconds` ago. */
export const ago = (replicas: number, seconds: number): Recommendation => ({ replicas, timeMs: NOW - seconds * S });

export const limited = (d: HpaReplicasDecision) => d.conditions.filter((c) => c.type === 'ScalingLimited').at(-1);
