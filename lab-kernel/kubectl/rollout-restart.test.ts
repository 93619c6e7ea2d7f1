import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { deploymentNamed, podsOf, rolledOut } from '../controllers/deployment/rollout-watch.fixture';
import { ONE_REPLICA, thrown } from './two-revisions.fixture';

describe('kubectl rollout restart', () => {
  it('stamps the pod template with kubectl.kubernetes.io/restartedAt from the virtual clock, and every pod is replaced', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(ONE_REPLICA);
    cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 30_000);
    const before = podsOf(cluster, 'nginx').map((p) => p.metadata.name);
    cluster.runFor(60_000 - (cluster.now() % 60_000));
    expect(cluster.kubectl.rolloutRestart('deployment', 'nginx-deployment')).toBe('deployment.apps/nginx-deployment restarted');
    const stamped = deploymentNamed(cluster, 'nginx-deployment')!.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
    expect(stamped).toMatch(/^2025-01-01T00:0\d:00Z$/);
    expect(cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2') && podsOf(cluster, 'nginx').every((p) => !before.includes(p.metadata.name)), 30_000)).toBe(true);
  });

  it("refuses a paused Deployment: can't restart paused deployment (run rollout resume first)", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(ONE_REPLICA);
    cluster.kubectl.rolloutPause('deployment', 'nginx-deployment');
    expect(thrown(() => cluster.kubectl.rolloutRestart('deployment', 'nginx-deployment'))).toBe('error: deployments.apps "nginx-deployment" can\'t restart paused deployment (run rollout resume first)');
  });
});
