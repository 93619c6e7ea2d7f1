import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { autoscalingV1Hpa } from './autoscale';
import { ONE_REPLICA, thrown } from './two-revisions.fixture';

describe('kubectl autoscale', () => {
  it('builds an autoscaling/v1 HorizontalPodAutoscaler named after its target, as kubectl 1.32 does', () => {
    expect(autoscalingV1Hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, { min: 2, max: 10, cpuPercent: 80 })).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10, minReplicas: 2, targetCPUUtilizationPercentage: 80 },
    });
    expect(autoscalingV1Hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, { max: 3, name: 'web-hpa' }), 'no --min, no --cpu-percent: neither is set').toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web-hpa' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3 },
    });
  });

  it('creates the HPA for a Deployment: horizontalpodautoscaler.autoscaling/nginx-deployment autoscaled, a CPU utilization target of 80%', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(ONE_REPLICA);
    expect(cluster.kubectl.autoscale('deployment', 'nginx-deployment', { min: 2, max: 10, cpuPercent: 80 })).toBe('horizontalpodautoscaler.autoscaling/nginx-deployment autoscaled');
    const [hpa] = cluster.kubectl.getObjects<HorizontalPodAutoscaler>('hpa', 'nginx-deployment');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx-deployment' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
  });

  it('checks --max before sending anything, and refuses a kind without a scale subresource', () => {
    const cluster = createCluster({ seed: 1 });
    expect(thrown(() => cluster.kubectl.autoscale('deployment', 'web', { max: 0 }))).toBe('error: --max=MAXPODS is required and must be at least 1, max: 0');
    expect(thrown(() => cluster.kubectl.autoscale('deployment', 'web', { min: 5, max: 2 }))).toBe('error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 5');
    cluster.apply('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\n');
    expect(thrown(() => cluster.kubectl.autoscale('configmap', 'settings', { max: 2 }))).toBe('error: cannot autoscale a ConfigMap: could not find scale subresource for /v1, Resource=configmaps in discovery information');
  });
});
