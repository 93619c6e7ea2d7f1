import { describe, expect, it } from 'vitest';
import type { Deployment, HorizontalPodAutoscaler } from '../../api/types';
import { createCluster } from '../../cluster/cluster';
import { CONSUMER, WEB_HPA } from '../../cluster/resource-consumer.fixture';

describe('the HorizontalPodAutoscaler controller', () => {
  it('scales a busy Deployment up within the max(2x, 4) limit per sync, then down only after the 300 s stabilization window', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.installMetricsServer();
    cluster.apply(CONSUMER.replace('replicas: 2', 'replicas: 1'));
    cluster.apply(WEB_HPA);
    cluster.runFor(60_000);
    const replicas = () => cluster.kubectl.getObjects<Deployment>('deployments', 'web')[0].spec.replicas;
    const hpa = () => cluster.kubectl.getObjects<HorizontalPodAutoscaler>('hpa', 'web')[0];
    expect(replicas()).toBe(1);
    expect(hpa().status?.conditions?.find((c) => c.type === 'ScalingActive')?.reason).toBe('ValidMetricFound');
    const load = cluster.cpuConsumer({ selector: 'app=web' });
    load.consumeCpu(250);
    cluster.runUntil(() => replicas() !== 1, 120_000);
    expect(replicas(), 'one pod at 250%: 5 wanted, limited to 4').toBe(4);
    const rescales = () => cluster.kubectl.getObjects('events').filter((e) => (e as unknown as { reason: string }).reason === 'SuccessfulRescale').map((e) => (e as unknown as { message: string }).message);
    expect(rescales()).toEqual(['New size: 4; reason: cpu resource utilization (percentage of request) above target']);
    cluster.runFor(120_000);
    const utilization = hpa().status?.currentMetrics?.[0].resource?.current.averageUtilization;
    // 250m over 6 pods of 100m is 42%, plus each pod's idle millicore or two (how much shifts with the run's timing): 42 or 43%, and ceil(6 × 43/50) = 6 still.
    expect(replicas(), 'settled at 6').toBe(6);
    expect([42, 43], `settled: 250m over 6 pods of 100m with their idle use is 42-43%, got ${utilization}`).toContain(utilization);
    load.consumeCpu(0);
    cluster.runFor(200_000);
    expect(replicas(), 'still up within the stabilization window').toBeGreaterThan(4);
    cluster.runFor(200_000);
    expect(replicas(), 'down to the minimum once the window has passed').toBe(1);
    expect(rescales().at(-1)).toBe('New size: 1; reason: All metrics below target');
  });
});
