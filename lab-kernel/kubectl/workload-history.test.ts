import { describe, expect, it } from 'vitest';
import type { ControllerRevision, DaemonSet } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';
import { daemonSetNamed, FLUENTD_DAEMONSET } from '../controllers/daemonset/fluentd-daemonset.fixture';
import { MY_STORAGE_CLASS, statefulSetNamed, WEB_STATEFULSET } from '../controllers/statefulset/web-statefulset.fixture';
import { thrown } from './two-revisions.fixture';

const revisionsOf = (cluster: Cluster, namespace: string) => cluster.apiServer.cache.list('controllerrevisions', namespace) as ControllerRevision[];

/** The docs' fluentd DaemonSet, then its image moved to v2.6.0: two ControllerRevisions. */
function daemonSetWithTwoRevisions(): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(FLUENTD_DAEMONSET);
  cluster.runUntil(() => revisionsOf(cluster, 'kube-system').length === 1, 10_000);
  cluster.apply(FLUENTD_DAEMONSET.replace('fluentd:v2.5.2', 'fluentd:v2.6.0'));
  if (!cluster.runUntil(() => revisionsOf(cluster, 'kube-system').length === 2, 10_000)) throw new Error('no second revision');
  return cluster;
}

describe('kubectl rollout history and undo of a DaemonSet or a StatefulSet (ControllerRevisions)', () => {
  it("lists a DaemonSet's revisions with their change-cause, and shows one revision's template", () => {
    const cluster = daemonSetWithTwoRevisions();
    const ns = { namespace: 'kube-system' };
    expect(cluster.kubectl.rolloutHistory('daemonset', 'fluentd-elasticsearch', ns)).toBe('daemonset.apps/fluentd-elasticsearch \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>');
    const one = cluster.kubectl.rolloutHistory('daemonset', 'fluentd-elasticsearch', { ...ns, revision: 1 }).split('\n');
    expect(one[0]).toBe('daemonset.apps/fluentd-elasticsearch with revision #1');
    expect(one).toContain('    Image:\tquay.io/fluentd_elasticsearch/fluentd:v2.5.2');
    expect(one.slice(-2)).toEqual(['  Tolerations:\tnode-role.kubernetes.io/control-plane:NoSchedule op=Exists', '\tnode-role.kubernetes.io/master:NoSchedule op=Exists']);
  });

  it("rolls a DaemonSet back by patching in its revision's data: the old template returns, and the same revision comes back as 3", () => {
    const cluster = daemonSetWithTwoRevisions();
    const ns = { namespace: 'kube-system' };
    expect(cluster.kubectl.rolloutUndo('daemonset', 'fluentd-elasticsearch', { ...ns, toRevision: 2 })).toBe('daemonset.apps/fluentd-elasticsearch skipped rollback (current template already matches revision 2)');
    expect(cluster.kubectl.rolloutUndo('daemonset', 'fluentd-elasticsearch', ns)).toBe('daemonset.apps/fluentd-elasticsearch rolled back');
    expect((daemonSetNamed(cluster, 'fluentd-elasticsearch') as DaemonSet).spec.template.spec.containers[0].image).toBe('quay.io/fluentd_elasticsearch/fluentd:v2.5.2');
    expect(cluster.runUntil(() => revisionsOf(cluster, 'kube-system').some((r) => r.revision === 3), 10_000)).toBe(true);
    expect(cluster.kubectl.rolloutHistory('daemonset', 'fluentd-elasticsearch', ns)).toBe('daemonset.apps/fluentd-elasticsearch \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>');
  });

  it('lists a StatefulSet\'s revisions without a CHANGE-CAUSE column, and has no last revision to roll back to with only one', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(MY_STORAGE_CLASS);
    cluster.apply(WEB_STATEFULSET.replace('replicas: 3', 'replicas: 1'));
    cluster.runUntil(() => revisionsOf(cluster, 'default').length === 1, 10_000);
    expect(thrown(() => cluster.kubectl.rolloutUndo('statefulset', 'web'))).toBe('error: no last revision to roll back to');
    cluster.apply(WEB_STATEFULSET.replace('replicas: 3', 'replicas: 1').replace('terminationGracePeriodSeconds: 10', 'terminationGracePeriodSeconds: 5'));
    cluster.runUntil(() => revisionsOf(cluster, 'default').length === 2, 10_000);
    expect(cluster.kubectl.rolloutHistory('statefulset', 'web')).toBe('statefulset.apps/web \nREVISION\n1\n2');
    expect(cluster.kubectl.rolloutUndo('statefulset', 'web', { toRevision: 1 })).toBe('statefulset.apps/web rolled back');
    expect(statefulSetNamed(cluster, 'web')!.spec.template.spec.terminationGracePeriodSeconds).toBe(10);
  });

  it('has no history for a ReplicaSet: no history viewer has been implemented for "ReplicaSet.apps"', () => {
    const cluster = createCluster({ seed: 1 });
    expect(thrown(() => cluster.kubectl.rolloutHistory('rs', 'web'))).toBe('error: no history viewer has been implemented for "ReplicaSet.apps"');
  });
});
