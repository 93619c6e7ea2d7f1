/**
 * Grader suite for exercise `hpa-replicas` (exercises/podautoscaler/hpa-replicas.ts).
 *
 * Cases from the Kubernetes docs' Horizontal Pod Autoscaling page ("Algorithm details": the
 * formula, the tolerance, missing metrics, not-yet-ready pods, the stabilization window) and
 * from kube-controller-manager's replica_calculator.go and horizontal.go, then a whole cluster
 * whose HPA controller runs the learner's decision.
 * Every pod requests 100m of CPU (and is limited to 500m); now is one hour in.
 */
import { describe, expect, it } from 'vitest';
import type { Deployment, HorizontalPodAutoscaler, KubeEvent } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import { CONSUMER, WEB_HPA } from '../../lab-kernel/cluster/resource-consumer.fixture';
import type { HpaPod, HpaReplicasDecision, HpaReplicasInput } from '../../lab-kernel/controllers/podautoscaler/hpa-replicas-contract';
import { ago, hpaInput, hpaPod, hpaPods, limited, NOW } from '../../lab-kernel/controllers/podautoscaler/hpa-replicas.fixture';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const hpaReplicas = slotUnderTest('hpa-replicas');
function decide(over: Partial<HpaReplicasInput> & { pods: HpaPod[] }): HpaReplicasDecision {
  return hpaReplicas(hpaInput(over));
}
const pod = hpaPod;
const pods = hpaPods;
const S = 1000;
const ableToScale = (d: HpaReplicasDecision) => d.conditions.filter((c) => c.type === 'AbleToScale').at(-1);

describe('Part 1 and 2: the replicas the metrics ask for', () => {
  it.each<[string, Partial<HpaReplicasInput> & { pods: HpaPod[] }, number]>([
    ['4 pods at 90m of 100m, target 50%: is it ceil(4 × 90 / 50) = 8?', { pods: pods(4, 90) }, 8],
    ['3 pods at 60m, target 50%: does a ratio of 1.2 round up to 4, not down to 3?', { pods: pods(3, 60) }, 4],
    ['4 pods at 52m, target 50%: is a ratio of 1.04 within the tolerance (stay at 4)?', { pods: pods(4, 52) }, 4],
    ['20 pods at 47m, target 50%, max 30: is a ratio of 0.94 within the tolerance (stay at 20)?', { pods: pods(20, 47), maxReplicas: 30 }, 20],
    ['4 pods at 56m, target 50%: is a ratio of 1.12 outside it (5)?', { pods: pods(4, 56) }, 5],
    ['10 pods at 40m, target 50%: is a ratio of 0.8 outside it (8)?', { pods: pods(10, 40) }, 8],
    ['6 pods at 10m and 2 without metrics, target 50%: do the missing ones count at 100% of their request on a scale-down (6)?', { pods: [...pods(6, 10), ...pods(2, undefined, 'new')] }, 6],
    ['the same with target 150%: do the missing ones count at the target when it is above 100% (3)?', { pods: [...pods(6, 10), ...pods(2, undefined, 'new')], targetUtilization: 150 }, 3],
    ['2 pods at 70m and 2 without metrics, target 50%: counted at 0 on a scale-up they flip the direction: no change (4)?', { pods: [...pods(2, 70), ...pods(2, undefined, 'new')] }, 4],
    [
      '3 pods at 100m and one not ready yet using 100m, target 50%: does the unready one count as 0 on a scale-up (6)?',
      { pods: [...pods(3, 100), pod('warming', 100, { startMs: NOW - 60 * S, ready: { status: false, lastTransitionMs: NOW - 60 * S } })] },
      6,
    ],
    [
      '3 pods at 100m and one Pending, target 50%: does the Pending one count as 0 on a scale-up (6)?',
      { pods: [...pods(3, 100), pod('pending', undefined, { phase: 'Pending', startMs: undefined, ready: undefined })] },
      6,
    ],
    [
      '3 pods at 100m and one within its first 5 minutes whose sample is older than a window after it became Ready: is that sample distrusted (6)?',
      { pods: [...pods(3, 100), pod('fresh', 100, { startMs: NOW - 60 * S, ready: { status: true, lastTransitionMs: NOW - 15 * S } })] },
      6,
    ],
    [
      '4 pods at 100m, one of them Ready False since long after it started: is a pod that has been ready trusted after 5 minutes (8)?',
      { pods: [...pods(3, 100), pod('flaky', 100, { ready: { status: false, lastTransitionMs: NOW - 60 * S } })] },
      8,
    ],
    [
      '4 pods at 10m and one being deleted without metrics: is the deleted one left out rather than counted as missing (1)?',
      { pods: [...pods(4, 10), pod('going', undefined, { deleting: true })], currentReplicas: 5 },
      1,
    ],
    [
      '4 pods at 10m and a Failed one without metrics: is the Failed one left out (1)?',
      { pods: [...pods(4, 10), pod('failed', undefined, { phase: 'Failed' })], currentReplicas: 5 },
      1,
    ],
  ])('%s', (_name, input, replicas) => {
    expect(decide(input).desiredReplicas).toBe(replicas);
  });

  it('reports the utilization of the pods that count (200%) and their average (200m), and the reason of a scale-up', () => {
    const d = decide({ pods: [...pods(3, 200), pod('pending', undefined, { phase: 'Pending', startMs: undefined, ready: undefined })] });
    expect({ utilization: d.currentUtilization, average: d.currentAverageMilli, reason: d.rescaleReason }).toEqual({
      utilization: 200,
      average: 200,
      reason: 'cpu resource utilization (percentage of request) above target',
    });
  });

  it('truncates the utilization to a whole percentage (3 pods at 101m, 101m and 100m => 100%, not 101%)', () => {
    expect(decide({ pods: [pod('a', 101), pod('b', 101), pod('c', 100)], targetUtilization: 100 }).currentUtilization).toBe(100);
  });

  it('computes the utilization from requests, not limits (4 pods at 90m: 90%, not 18%)', () => {
    expect(decide({ pods: pods(4, 90) }).currentUtilization).toBe(90);
  });

  it.each<[string, HpaPod[], string]>([
    ['no pods at all', [], 'no pods returned by selector while calculating replica count'],
    ['no pod has metrics yet', pods(2, undefined), 'unable to get metrics for resource cpu: no metrics returned from resource metrics API'],
    [
      'the only pod with metrics is unready',
      [pod('warming', 100, { startMs: NOW - 60 * S, ready: { status: false, lastTransitionMs: NOW - 60 * S } }), pod('other', undefined)],
      'did not receive metrics for targeted pods (pods might be unready)',
    ],
    ['a container sets no CPU request', [pod('web-0', 50, { containers: [{ name: 'app', requestMilli: 100 }, { name: 'sidecar' }] })], 'missing request for cpu in container sidecar of Pod web-0'],
  ])('when %s, does it change nothing and say why (ScalingActive False, FailedGetResourceMetric)?', (_name, list, error) => {
    const d = decide({ pods: list, currentReplicas: 2 });
    expect({ desired: d.desiredReplicas, error: d.error, active: d.conditions.find((c) => c.type === 'ScalingActive') }).toEqual({
      desired: 2,
      error,
      active: { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${error}` },
    });
  });
});

describe('Part 3: scale-down stabilization', () => {

  it('keeps the highest recommendation of the last 300 s on a scale-down (8 pods at 10m, 8 recommended 200 s ago: stay at 8)', () => {
    const d = decide({ pods: pods(8, 10), recommendations: [ago(8, 200)] });
    expect({ desired: d.desiredReplicas, able: ableToScale(d)?.reason }).toEqual({ desired: 8, able: 'ScaleDownStabilized' });
  });

  it('takes the highest of several, not the lowest nor the latest (5 among 8 old, 5 and 3 recent => 5)', () => {
    expect(decide({ pods: pods(8, 10), recommendations: [ago(8, 310), ago(5, 200), ago(3, 100)] }).desiredReplicas).toBe(5);
  });

  it('still counts a recommendation exactly 300 s old', () => {
    expect(decide({ pods: pods(8, 10), recommendations: [ago(8, 300)] }).desiredReplicas).toBe(8);
  });

  it('scales down once the higher recommendation is older than 300 s, and remembers the new one in its place', () => {
    const d = decide({ pods: pods(8, 10), recommendations: [ago(8, 301)] });
    expect({ desired: d.desiredReplicas, recommendations: d.recommendations, reason: d.rescaleReason }).toEqual({
      desired: 2,
      recommendations: [{ replicas: 2, timeMs: NOW }],
      reason: 'All metrics below target',
    });
  });

  it('remembers each proposal at the end while none is old (the unlimited 16, not the 8 it scales to)', () => {
    const d = decide({ pods: pods(4, 200), recommendations: [ago(4, 15)] });
    expect(d.recommendations).toEqual([ago(4, 15), { replicas: 16, timeMs: NOW }]);
  });

  it('does not hold a scale-up back (2 recommended 100 s ago, 4 pods at 90m => 8)', () => {
    const d = decide({ pods: pods(4, 90), recommendations: [ago(2, 100)] });
    expect({ desired: d.desiredReplicas, able: ableToScale(d)?.reason }).toEqual({ desired: 8, able: 'ReadyForNewScale' });
  });
});

describe('Part 4: the limits', () => {
  it('limits a scale-up to twice the current replicas (6 pods at 120m, target 50%: 15 wanted, max 20 => 12, ScaleUpLimit)', () => {
    const d = decide({ pods: pods(6, 120), maxReplicas: 20 });
    expect({ desired: d.desiredReplicas, limited: limited(d) }).toEqual({
      desired: 12,
      limited: { type: 'ScalingLimited', status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' },
    });
  });

  it('lets a small target grow to 4 at once (1 pod at 500m: 10 wanted => 4)', () => {
    expect(decide({ pods: pods(1, 500) }).desiredReplicas).toBe(4);
  });

  it('stops at maxReplicas when that is lower than the scale-up limit (6 pods at 200m: 24 wanted, limit 12, max 10 => 10, TooManyReplicas)', () => {
    const d = decide({ pods: pods(6, 200) });
    expect({ desired: d.desiredReplicas, reason: limited(d)?.reason }).toEqual({ desired: 10, reason: 'TooManyReplicas' });
  });

  it('stops at minReplicas (3 pods at 5m, min 2 => 2, TooFewReplicas)', () => {
    const d = decide({ pods: pods(3, 5), minReplicas: 2 });
    expect({ desired: d.desiredReplicas, limited: limited(d) }).toEqual({
      desired: 2,
      limited: { type: 'ScalingLimited', status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' },
    });
  });

  it('sets the three conditions of an unlimited change (4 pods at 90m => 8)', () => {
    expect(decide({ pods: pods(4, 90) }).conditions).toEqual([
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' },
      { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
      { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' },
    ]);
  });

  it('brings a target above maxReplicas back to it, whatever the metrics say', () => {
    const d = decide({ pods: pods(12, 90), currentReplicas: 12 });
    expect({ desired: d.desiredReplicas, reason: d.rescaleReason }).toEqual({ desired: 10, reason: 'Current number of replicas above Spec.MaxReplicas' });
  });

  it('leaves a target scaled to 0 alone (ScalingDisabled)', () => {
    const d = decide({ pods: [], currentReplicas: 0 });
    expect({ desired: d.desiredReplicas, active: d.conditions[0]?.reason }).toEqual({ desired: 0, active: 'ScalingDisabled' });
  });
});

describe(`Part 6: a whole cluster whose HPA controller runs your decision (seed ${SEED})`, () => {
  const run = () => {
    const cluster = createCluster({ seed: SEED, use: { 'hpa-replicas': SOURCE } });
    cluster.installMetricsServer();
    cluster.apply(CONSUMER.replace('replicas: 2', 'replicas: 1'));
    cluster.apply(WEB_HPA);
    cluster.runFor(60_000);
    const replicas = () => cluster.kubectl.getObjects<Deployment>('deployments', 'web')[0].spec.replicas;
    const hpa = () => cluster.kubectl.getObjects<HorizontalPodAutoscaler>('hpa', 'web')[0];
    const said = () => {
      const last = [...cluster.trace.all()].reverse().find((e) => e.kind === 'error' && e.actor === 'kube-controller-manager');
      return `; conditions ${JSON.stringify(hpa().status?.conditions?.map((c) => `${c.type}=${c.status} ${c.reason}`))}${last ? `; the controller last said: ${last.summary}` : ''}`;
    };
    const rescales = () => (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.reason === 'SuccessfulRescale').map((e) => e.message);
    return { cluster, replicas, hpa, said, rescales, load: cluster.cpuConsumer({ selector: 'app=web' }) };
  };

  it('does a busy Deployment grow within max(2x, 4) per sync, and settle where its pods use about 50% of their request?', () => {
    const { cluster, replicas, hpa, said, rescales, load } = run();
    expect(replicas(), `one idle pod stays one${said()}`).toBe(1);
    load.consumeCpu(250);
    cluster.runUntil(() => replicas() !== 1, 120_000);
    expect(replicas(), `one pod at 250%: 5 wanted, limited to 4${said()}`).toBe(4);
    expect(rescales()).toEqual(['New size: 4; reason: cpu resource utilization (percentage of request) above target']);
    cluster.runFor(120_000);
    const utilization = hpa().status?.currentMetrics?.[0].resource?.current.averageUtilization;
    // 250m over 6 pods of 100m is 42%, plus each pod's idle millicore or two: 42 or 43%, and ceil(6 × 43/50) = 6 still.
    expect(replicas(), `settled at ceil(6 × 42/50) = 6${said()}`).toBe(6);
    expect([42, 43], `settled: 250m over 6 pods of 100m with their idle use is 42-43%, got ${utilization}${said()}`).toContain(utilization);
  });

  it('once the load is gone, does it stay up for the 300 s stabilization window, then scale down to its minimum?', () => {
    const { cluster, replicas, said, rescales, load } = run();
    load.consumeCpu(250);
    cluster.runFor(240_000);
    load.consumeCpu(0);
    cluster.runFor(200_000);
    expect(replicas(), `still up within the stabilization window${said()}`).toBeGreaterThan(4);
    cluster.runFor(200_000);
    expect(replicas(), `down to the minimum once the window has passed${said()}`).toBe(1);
    expect(rescales().at(-1)).toBe('New size: 1; reason: All metrics below target');
  });
});
