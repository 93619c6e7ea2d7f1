import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../client/core-event';
import { createCluster } from '../../cluster/cluster';
import { REVISION_ANNOTATION } from './annotations';
import { POD_TEMPLATE_HASH_LABEL } from './pod-template-hash';
import { availablePods, deploymentNamed, NGINX_DEPLOYMENT, podsOf, replicaSetsOf, rolledOut, watchRollout } from './rollout-watch.fixture';

/**
 * The docs' nginx Deployment ("Creating a Deployment", controllers/nginx-deployment.yaml) on a
 * whole cluster, then its rolling update to nginx:1.16.1, as the docs' "Updating a Deployment"
 * walks through it: 3 replicas, 25% / 25%, so at most 4 pods and at least 3 available.
 */
function started(seed = 1) {
  const cluster = createCluster({ seed });
  cluster.apply(NGINX_DEPLOYMENT);
  const up = cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 30_000);
  return { cluster, up };
}

const deploymentEvents = (cluster: ReturnType<typeof createCluster>) =>
  cluster.kubectl
    .getObjects<CoreEvent>('events')
    .filter((e) => e.involvedObject.kind === 'Deployment')
    .map((e) => `${e.type} ${e.reason} ${e.message}`);

describe('the docs’ nginx Deployment', () => {
  it('applies unchanged and reaches 3 available replicas', () => {
    const { cluster, up } = started();
    expect(up, 'rolled out within 30 s of virtual time').toBe(true);
    const d = deploymentNamed(cluster, 'nginx-deployment')!;
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status?.unavailableReplicas, 'a 0 count is left out, as the API omits it').toBeUndefined();
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('1');
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${replicaSetsOf(cluster, 'nginx-deployment')[0].metadata.name}" has successfully progressed.`],
    ]);
  });

  it('makes one ReplicaSet named after the template hash, which labels its selector, its template and its pods', () => {
    const { cluster } = started();
    const [rs, ...more] = replicaSetsOf(cluster, 'nginx-deployment');
    expect(more).toEqual([]);
    const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
    expect(hash).toMatch(/^[bcdf4-9]{1,10}$/);
    expect(rs.metadata.name).toBe(`nginx-deployment-${hash}`);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'nginx', [POD_TEMPLATE_HASH_LABEL]: hash });
    expect(rs.spec.template.metadata?.labels).toEqual({ app: 'nginx', [POD_TEMPLATE_HASH_LABEL]: hash });
    expect(rs.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx-deployment', uid: deploymentNamed(cluster, 'nginx-deployment')!.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(rs.metadata.annotations).toEqual({ [REVISION_ANNOTATION]: '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    for (const pod of podsOf(cluster, 'nginx')) expect(pod.metadata.labels).toEqual({ app: 'nginx', [POD_TEMPLATE_HASH_LABEL]: hash });
    expect(deploymentEvents(cluster)).toEqual([`Normal ScalingReplicaSet Scaled up replica set ${rs.metadata.name} from 0 to 3`]);
  });
});

describe('a rolling update from nginx:1.14.2 to nginx:1.16.1', () => {
  for (const seed of [1, 2, 3]) {
    it(`never has fewer than 3 available pods nor more than 4 pods, checked after every event (seed ${seed})`, () => {
      const { cluster } = started(seed);
      cluster.apply(NGINX_DEPLOYMENT.replace('nginx:1.14.2', 'nginx:1.16.1'));
      const w = watchRollout(cluster, 'nginx', { minAvailable: 3, maxPods: 4 }, () => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'));
      expect(w.done, 'rolled out within 60 s of virtual time').toBe(true);
      expect(w.breach).toBeUndefined();
      expect(w.maxPodsSeen, 'it does surge').toBe(4);
    });
  }

  it('ends with the new ReplicaSet at 3 and the old at 0, revision 2, and the events upstream records', () => {
    const { cluster } = started();
    const [old] = replicaSetsOf(cluster, 'nginx-deployment');
    cluster.apply(NGINX_DEPLOYMENT.replace('nginx:1.14.2', 'nginx:1.16.1'));
    cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'), 60_000);
    cluster.runFor(2_000);
    const rss = replicaSetsOf(cluster, 'nginx-deployment');
    const fresh = rss.find((rs) => rs.metadata.name !== old.metadata.name)!;
    expect(rss.map((rs) => [rs.metadata.name, rs.spec.replicas]).sort()).toEqual([[old.metadata.name, 0], [fresh.metadata.name, 3]].sort());
    expect(fresh.metadata.annotations?.[REVISION_ANNOTATION]).toBe('2');
    const d = deploymentNamed(cluster, 'nginx-deployment')!;
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('2');
    expect(d.metadata.generation, 'the revision annotation came through /status: no new generation').toBe(2);
    expect(d.status).toMatchObject({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    const [o, n] = [old.metadata.name, fresh.metadata.name];
    expect(deploymentEvents(cluster)).toEqual([
      `Normal ScalingReplicaSet Scaled up replica set ${o} from 0 to 3`,
      `Normal ScalingReplicaSet Scaled up replica set ${n} from 0 to 1`,
      `Normal ScalingReplicaSet Scaled down replica set ${o} from 3 to 2`,
      `Normal ScalingReplicaSet Scaled up replica set ${n} from 1 to 2`,
      `Normal ScalingReplicaSet Scaled down replica set ${o} from 2 to 1`,
      `Normal ScalingReplicaSet Scaled up replica set ${n} from 2 to 3`,
      `Normal ScalingReplicaSet Scaled down replica set ${o} from 1 to 0`,
    ]);
  });

  it('goes back to the old ReplicaSet when the template goes back: revision 3, revision-history 1', () => {
    const { cluster } = started();
    const [old] = replicaSetsOf(cluster, 'nginx-deployment');
    cluster.apply(NGINX_DEPLOYMENT.replace('nginx:1.14.2', 'nginx:1.16.1'));
    cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'), 60_000);
    cluster.apply(NGINX_DEPLOYMENT);
    expect(cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 60_000)).toBe(true);
    const back = replicaSetsOf(cluster, 'nginx-deployment').find((rs) => rs.metadata.name === old.metadata.name)!;
    expect(replicaSetsOf(cluster, 'nginx-deployment')).toHaveLength(2);
    expect(back.metadata.annotations).toMatchObject({ [REVISION_ANNOTATION]: '3', 'deployment.kubernetes.io/revision-history': '1' });
  });

  it('keeps to maxSurge 0 / maxUnavailable 1: one pod down at a time, never a fourth', () => {
    const { cluster } = started();
    cluster.apply(
      NGINX_DEPLOYMENT.replace('  replicas: 3\n', '  replicas: 3\n  strategy:\n    rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }\n').replace('nginx:1.14.2', 'nginx:1.16.1'),
    );
    const w = watchRollout(cluster, 'nginx', { minAvailable: 2, maxPods: 3 }, () => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'));
    expect(w.done).toBe(true);
    expect(w.breach).toBeUndefined();
    expect(w.minAvailableSeen, 'it does use its one unavailable pod').toBe(2);
  });
});

describe('scaling a Deployment', () => {
  it('scales its only ReplicaSet, with the event upstream records', () => {
    const { cluster } = started();
    cluster.kubectl.scale('deployment', 'nginx-deployment', 5);
    expect(cluster.runUntil(() => availablePods(podsOf(cluster, 'nginx')).length === 5, 30_000)).toBe(true);
    const [rs] = replicaSetsOf(cluster, 'nginx-deployment');
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '5', 'deployment.kubernetes.io/max-replicas': '7' });
    expect(deploymentEvents(cluster).at(-1)).toBe(`Normal ScalingReplicaSet Scaled up replica set ${rs.metadata.name} from 3 to 5`);
  });
});
