import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { deploymentNamed, replicaSetsOf, rolledOut } from '../controllers/deployment/rollout-watch.fixture';
import { ONE_REPLICA, thrown, twoRevisions } from './two-revisions.fixture';

describe('kubectl rollout undo', () => {
  it("rolls back to the previous revision: revision 1's template returns, its ReplicaSet becomes revision 3", () => {
    const cluster = twoRevisions();
    const [first] = replicaSetsOf(cluster, 'nginx-deployment').filter((rs) => rs.spec.template.spec.containers[0].image === 'nginx:1.14.2');
    expect(cluster.kubectl.rolloutUndo('deployment', 'nginx-deployment')).toBe('deployment.apps/nginx-deployment rolled back');
    const d = deploymentNamed(cluster, 'nginx-deployment')!;
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.14.2');
    expect(d.spec.template.metadata?.labels, 'the pod-template-hash label is not copied back').toEqual({ app: 'nginx' });
    expect(d.metadata.annotations?.['kubernetes.io/change-cause'], "the Deployment's annotations are revision 1's").toBeUndefined();
    expect(cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 30_000)).toBe(true);
    const again = replicaSetsOf(cluster, 'nginx-deployment').find((rs) => rs.metadata.uid === first.metadata.uid)!;
    expect(again.metadata.annotations?.['deployment.kubernetes.io/revision'], 'the same ReplicaSet, brought back').toBe('3');
    expect(again.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(cluster.kubectl.rolloutHistory('deployment', 'nginx-deployment').split('\n').slice(1)).toEqual(['REVISION  CHANGE-CAUSE', '2         image updated to 1.16.1', '3         <none>']);
  });

  it('skips a rollback to the revision whose template the Deployment already has', () => {
    const cluster = twoRevisions();
    expect(cluster.kubectl.rolloutUndo('deployment', 'nginx-deployment', { toRevision: 2 })).toBe('deployment.apps/nginx-deployment skipped rollback (current template already matches revision 2)');
  });

  it('says error: unable to find specified revision N in history', () => {
    const cluster = twoRevisions();
    expect(thrown(() => cluster.kubectl.rolloutUndo('deployment', 'nginx-deployment', { toRevision: 5 }))).toBe('error: unable to find specified revision 5 in history');
  });

  it('refuses to roll back a paused Deployment until it is resumed', () => {
    const cluster = twoRevisions();
    cluster.kubectl.rolloutPause('deployment', 'nginx-deployment');
    expect(thrown(() => cluster.kubectl.rolloutUndo('deployment', 'nginx-deployment'))).toBe(
      "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/nginx-deployment' and try again",
    );
  });

  it('has nothing to go back to with a single revision: no rollout history found', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(ONE_REPLICA);
    cluster.runUntil(() => replicaSetsOf(cluster, 'nginx-deployment').length > 0, 10_000);
    expect(thrown(() => cluster.kubectl.rolloutUndo('deployment', 'nginx-deployment'))).toBe('error: no rollout history found for deployment "nginx-deployment"');
  });
});
