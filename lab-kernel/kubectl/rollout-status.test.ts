import { describe, expect, it } from 'vitest';
import type { Deployment } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { NGINX_DEPLOYMENT, rolledOut } from '../controllers/deployment/rollout-watch.fixture';
import { deploymentRolloutStatus } from './rollout-status';

function deployment(replicas: number, status: Deployment['status'], generation = 1): Deployment {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx-deployment', generation }, spec: { replicas, selector: { matchLabels: { app: 'nginx' } }, template: { spec: { containers: [] } } }, status: { observedGeneration: 1, ...status } };
}

describe('kubectl rollout status (DeploymentStatusViewer)', () => {
  it.each<[string, Deployment, string, boolean]>([
    ['a spec change not yet seen', deployment(3, {}, 2), 'Waiting for deployment spec update to be observed...', false],
    ['1 of 3 updated', deployment(3, { replicas: 4, updatedReplicas: 1 }), 'Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas have been updated...', false],
    ['old pods still going', deployment(3, { replicas: 4, updatedReplicas: 3 }), 'Waiting for deployment "nginx-deployment" rollout to finish: 1 old replicas are pending termination...', false],
    ['not all available', deployment(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 2 }), 'Waiting for deployment "nginx-deployment" rollout to finish: 2 of 3 updated replicas are available...', false],
    ['done', deployment(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'deployment "nginx-deployment" successfully rolled out', true],
  ])('%s', (_name, d, message, done) => {
    expect(deploymentRolloutStatus(d)).toEqual({ message, done });
  });

  it('says a Deployment past its progress deadline failed', () => {
    const d = deployment(3, { updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(deploymentRolloutStatus(d).error).toBe('deployment "nginx-deployment" exceeded its progress deadline');
  });

  it('follows a rollout to nginx:1.16.1 in a cluster, line by line, until it is done', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(NGINX_DEPLOYMENT);
    cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 30_000);
    cluster.apply(NGINX_DEPLOYMENT.replace('nginx:1.14.2', 'nginx:1.16.1'));
    const lines = cluster.kubectl.rolloutStatus('nginx-deployment').split('\n');
    expect(lines[lines.length - 1]).toBe('deployment "nginx-deployment" successfully rolled out');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^Waiting for deployment (spec update to be observed|"nginx-deployment" rollout to finish: .*)\.\.\.$/);
    expect(new Set(lines).size, 'each line says something new').toBe(lines.length);
    expect(rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1')).toBe(true);
  });
});
