import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../api/types';
import type { CoreEvent } from '../../client/core-event';
import { createCluster, type Cluster } from '../../cluster/cluster';
import { availablePods, deploymentNamed, NGINX_DEPLOYMENT, podsOf, replicaSetsOf, rolledOut } from './rollout-watch.fixture';

/**
 * The Deployment controller on a whole cluster, beyond the rolling update itself
 * (rolling-update.test.ts): the Recreate strategy, pausing, the progress deadline, the
 * revision history, minReadySeconds.
 */
function withSpec(extra: string, image = 'nginx:1.14.2'): string {
  return NGINX_DEPLOYMENT.replace('  replicas: 3\n', `  replicas: 3\n${extra}`).replace('nginx:1.14.2', image);
}

function started(manifest: string, seed = 1): Cluster {
  const cluster = createCluster({ seed });
  cluster.apply(manifest);
  if (!cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 30_000)) throw new Error('the Deployment did not roll out');
  return cluster;
}

const progressing = (cluster: Cluster) => deploymentNamed(cluster, 'nginx-deployment')?.status?.conditions?.find((c) => c.type === 'Progressing');
const imageOf = (cluster: Cluster, uid: string | undefined) => replicaSetsOf(cluster, 'nginx-deployment').find((rs) => rs.metadata.uid === uid)?.spec.template.spec.containers[0].image;

describe('the Recreate strategy', () => {
  const recreate = '  strategy:\n    type: Recreate\n';

  it('never runs old and new pods together: every old pod is gone before the first new one exists', () => {
    const cluster = started(withSpec(recreate));
    cluster.apply(withSpec(recreate, 'nginx:1.16.1'));
    let together: string | undefined;
    let sawNone = false;
    const done = cluster.runUntil(() => {
      const images = podsOf(cluster, 'nginx').map((p) => imageOf(cluster, p.metadata.ownerReferences?.[0].uid) ?? p.spec.containers[0].image);
      if (images.length === 0) sawNone = true;
      if (together === undefined && images.includes('nginx:1.14.2') && images.includes('nginx:1.16.1')) together = `at ${cluster.now()} ms: ${images.join(', ')}`;
      return rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1');
    }, 60_000);
    expect(done, 'rolled out within 60 s of virtual time').toBe(true);
    expect(together).toBeUndefined();
    expect(sawNone, 'there is a moment with no pod at all').toBe(true);
  });

  it('creates the new ReplicaSet at full size: one event each way', () => {
    const cluster = started(withSpec(recreate));
    const [old] = replicaSetsOf(cluster, 'nginx-deployment');
    cluster.apply(withSpec(recreate, 'nginx:1.16.1'));
    cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'), 60_000);
    const fresh = replicaSetsOf(cluster, 'nginx-deployment').find((rs) => rs.metadata.uid !== old.metadata.uid)!;
    const messages = cluster.kubectl
      .getObjects<CoreEvent>('events')
      .filter((e) => e.involvedObject.kind === 'Deployment')
      .map((e) => e.message);
    expect(messages).toEqual([
      `Scaled up replica set ${old.metadata.name} from 0 to 3`,
      `Scaled down replica set ${old.metadata.name} from 3 to 0`,
      `Scaled up replica set ${fresh.metadata.name} from 0 to 3`,
    ]);
  });
});

describe('a paused Deployment', () => {
  it('makes no progress while paused: no new ReplicaSet, the old pods untouched; resumed, it rolls out', () => {
    const cluster = started(NGINX_DEPLOYMENT);
    cluster.kubectl.patch('deployment', 'nginx-deployment', { spec: { paused: true } });
    cluster.apply(NGINX_DEPLOYMENT.replace('nginx:1.14.2', 'nginx:1.16.1').replace('  replicas: 3\n', '  replicas: 3\n  paused: true\n'));
    const before = podsOf(cluster, 'nginx').map((p) => p.metadata.name).sort();
    cluster.runFor(30_000);
    expect(replicaSetsOf(cluster, 'nginx-deployment')).toHaveLength(1);
    expect(podsOf(cluster, 'nginx').map((p) => p.metadata.name).sort()).toEqual(before);
    expect(progressing(cluster)).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    expect(deploymentNamed(cluster, 'nginx-deployment')!.status?.observedGeneration, 'the new template is seen, just not rolled out').toBe(3);

    cluster.kubectl.patch('deployment', 'nginx-deployment', { spec: { paused: false } });
    expect(cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'), 60_000)).toBe(true);
    expect(progressing(cluster)?.reason).toBe('NewReplicaSetAvailable');
  });
});

describe('the progress deadline', () => {
  it('reports ProgressDeadlineExceeded when the new pods never come up, and keeps the old ones available', () => {
    const cluster = started(withSpec('  progressDeadlineSeconds: 20\n'));
    cluster.apply(withSpec('  progressDeadlineSeconds: 20\n', 'nginx:9.9'));
    cluster.runFor(10_000);
    // Still within the deadline: progressing since the new ReplicaSet was made (or last moved).
    expect(progressing(cluster)?.status).toBe('True');
    expect(['NewReplicaSetCreated', 'ReplicaSetUpdated']).toContain(progressing(cluster)?.reason);
    const deadlinePassed = cluster.runUntil(() => progressing(cluster)?.reason === 'ProgressDeadlineExceeded', 60_000);
    expect(deadlinePassed, 'the Progressing condition turned').toBe(true);
    const d = deploymentNamed(cluster, 'nginx-deployment')!;
    const fresh = replicaSetsOf(cluster, 'nginx-deployment').find((rs) => rs.spec.template.spec.containers[0].image === 'nginx:9.9')!;
    expect(progressing(cluster)).toMatchObject({ status: 'False', message: `ReplicaSet "${fresh.metadata.name}" has timed out progressing.` });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(availablePods(podsOf(cluster, 'nginx'))).toHaveLength(3);
    expect(fresh.spec.replicas, 'one surge pod, stuck pulling').toBe(1);
  });
});

describe('the revision history', () => {
  it('keeps revisionHistoryLimit old ReplicaSets at 0 and deletes the older ones', () => {
    const limit = '  revisionHistoryLimit: 1\n';
    const cluster = started(withSpec(limit));
    for (const image of ['nginx:1.16.1', 'nginx:1.25', 'nginx:1.26']) {
      cluster.apply(withSpec(limit, image));
      expect(cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', image), 60_000), image).toBe(true);
    }
    cluster.runFor(5_000);
    const images = replicaSetsOf(cluster, 'nginx-deployment').map((rs) => `${rs.spec.template.spec.containers[0].image}=${rs.spec.replicas}`);
    expect(images.sort()).toEqual(['nginx:1.25=0', 'nginx:1.26=3']);
  });
});

describe('minReadySeconds', () => {
  it('counts a pod as available only once it has been Ready that long, so the rollout waits for it', () => {
    const manifest = withSpec('  minReadySeconds: 10\n');
    const cluster = createCluster({ seed: 1 });
    cluster.apply(manifest);
    const readyAt = cluster.runUntil(() => podsOf(cluster, 'nginx').filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === 3, 30_000);
    expect(readyAt).toBe(true);
    const ready = cluster.now();
    expect(deploymentNamed(cluster, 'nginx-deployment')!.status?.availableReplicas ?? 0).toBe(0);
    expect(cluster.runUntil(() => deploymentNamed(cluster, 'nginx-deployment')!.status?.availableReplicas === 3, 30_000)).toBe(true);
    expect(cluster.now() - ready, 'about 10 s after the pods became Ready').toBeGreaterThanOrEqual(8_000);
    expect(replicaSetsOf(cluster, 'nginx-deployment')[0].spec.minReadySeconds, 'passed on to the ReplicaSet').toBe(10);
  });
});

describe('the Deployment controller claims ReplicaSets (ControllerRefManager.ClaimReplicaSets)', () => {
  it('adopts the ReplicaSet a deleted Deployment orphaned when the Deployment comes back: no new ReplicaSet, the same pods', () => {
    const cluster = started(NGINX_DEPLOYMENT);
    const [before] = replicaSetsOf(cluster, 'nginx-deployment');
    const pods = podsOf(cluster, 'nginx').map((p) => p.metadata.name).sort();
    cluster.kubectl.delete('deployment', 'nginx-deployment', { cascade: 'orphan' });
    const orphaned = () => cluster.apiServer.cache.get('replicasets', 'default', before.metadata.name!) as ReplicaSet;
    expect(cluster.runUntil(() => (orphaned().metadata.ownerReferences ?? []).length === 0, 30_000)).toBe(true);
    cluster.apply(NGINX_DEPLOYMENT);
    const uid = () => deploymentNamed(cluster, 'nginx-deployment')?.metadata.uid;
    expect(cluster.runUntil(() => orphaned().metadata.ownerReferences?.[0]?.uid === uid(), 30_000)).toBe(true);
    expect(orphaned().metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx-deployment', uid: uid(), controller: true, blockOwnerDeletion: true }]);
    expect(cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 30_000)).toBe(true);
    const all = cluster.apiServer.cache.list('replicasets', 'default') as ReplicaSet[];
    expect(all.map((rs) => rs.metadata.name)).toEqual([before.metadata.name]);
    expect(podsOf(cluster, 'nginx').map((p) => p.metadata.name).sort()).toEqual(pods);
  });
});
