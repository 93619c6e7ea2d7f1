import { describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse } from '../api/request';
import { createCluster } from '../cluster/cluster';
import { deploymentNamed, replicaSetsOf, rolledOut } from '../controllers/deployment/rollout-watch.fixture';
import { Simulation } from '../sim/simulation';
import { Kubectl } from './kubectl';
import { ONE_REPLICA, thrown } from './two-revisions.fixture';

describe('kubectl rollout pause and resume', () => {
  it('pause sends {"spec":{"paused":true}} and resume {"spec":{"paused":null}}, as strategic merge patches', () => {
    const sim = new Simulation({ seed: 1 });
    const sent: ApiRequest[] = [];
    let paused = false;
    const recording = {
      request: (req: ApiRequest, reply: (res: ApiResponse) => void) => {
        sent.push(req);
        reply({ code: 200, body: { kind: 'Deployment', metadata: { name: 'web' }, spec: { paused } } });
      },
      watch: () => () => undefined,
    };
    const kubectl = new Kubectl(sim, recording);
    expect(kubectl.rolloutPause('deployment', 'web')).toBe('deployment.apps/web paused');
    paused = true;
    expect(kubectl.rolloutResume('deployment', 'web')).toBe('deployment.apps/web resumed');
    expect(sent.filter((r) => r.verb === 'patch').map((r) => [r.patchType, r.body])).toEqual([
      ['application/strategic-merge-patch+json', { spec: { paused: true } }],
      ['application/strategic-merge-patch+json', { spec: { paused: null } }],
    ]);
  });

  it('says a Deployment is already paused, or is not paused', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(ONE_REPLICA);
    expect(thrown(() => cluster.kubectl.rolloutResume('deployment', 'nginx-deployment'))).toBe('error: deployments.apps "nginx-deployment" is not paused');
    cluster.kubectl.rolloutPause('deployment', 'nginx-deployment');
    expect(thrown(() => cluster.kubectl.rolloutPause('deployment', 'nginx-deployment'))).toBe('error: deployments.apps "nginx-deployment" is already paused');
  });

  it('holds a template change while paused: no new ReplicaSet until resumed, then the rollout', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(ONE_REPLICA);
    cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 30_000);
    cluster.kubectl.rolloutPause('deployment', 'nginx-deployment');
    cluster.apply(ONE_REPLICA.replace('nginx:1.14.2', 'nginx:1.16.1'));
    cluster.runFor(5_000);
    expect(replicaSetsOf(cluster, 'nginx-deployment')).toHaveLength(1);
    expect(deploymentNamed(cluster, 'nginx-deployment')!.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('DeploymentPaused');
    cluster.kubectl.rolloutResume('deployment', 'nginx-deployment');
    expect(cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'), 30_000)).toBe(true);
  });
});
