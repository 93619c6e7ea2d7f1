import { describe, expect, it } from 'vitest';
import { hpaReplicas } from '../../../solutions/podautoscaler/hpa-replicas';
import { ago, hpaInput, hpaPod, hpaPods, limited } from './hpa-replicas.fixture';

/** The reference decision (exercise hpa-replicas) on the cases the fidelity table names; the grader's suite has the rest. */
describe("the HPA's replica calculation", () => {
  it('truncates the utilization to a whole percentage (3 pods at 101m, 101m and 100m => 100%, not 101%)', () => {
    expect(hpaReplicas(hpaInput({ pods: [hpaPod('a', 101), hpaPod('b', 101), hpaPod('c', 100)], targetUtilization: 100 })).currentUtilization).toBe(100);
  });

  it('reports the utilization of the pods that count (200%) and their average (200m), and the reason of a scale-up', () => {
    const d = hpaReplicas(hpaInput({ pods: [...hpaPods(3, 200), hpaPod('pending', undefined, { phase: 'Pending', startMs: undefined, ready: undefined })] }));
    expect({ utilization: d.currentUtilization, average: d.currentAverageMilli, reason: d.rescaleReason }).toEqual({
      utilization: 200,
      average: 200,
      reason: 'cpu resource utilization (percentage of request) above target',
    });
  });

  it('still counts a recommendation exactly 300 s old', () => {
    expect(hpaReplicas(hpaInput({ pods: hpaPods(8, 10), recommendations: [ago(8, 300)] })).desiredReplicas).toBe(8);
  });

  it('limits a scale-up to twice the current replicas (6 pods at 120m, target 50%: 15 wanted, max 20 => 12, ScaleUpLimit)', () => {
    const d = hpaReplicas(hpaInput({ pods: hpaPods(6, 120), maxReplicas: 20 }));
    expect({ desired: d.desiredReplicas, reason: limited(d)?.reason }).toEqual({ desired: 12, reason: 'ScaleUpLimit' });
  });

  it('lets a small target grow to 4 at once (1 pod at 500m: 10 wanted => 4)', () => {
    expect(hpaReplicas(hpaInput({ pods: hpaPods(1, 500) })).desiredReplicas).toBe(4);
  });
});
