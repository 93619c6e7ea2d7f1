import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import type { KubeEvent, Pod, ReplicationController } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';

/** The documentation's RC (concepts/workloads/controllers/replicationcontroller), unchanged. */
const NGINX_RC = fs.readFileSync(path.join(__dirname, '../api/testdata/nginx-replicationcontroller.yaml'), 'utf8');

const rc = (cluster: Cluster) => cluster.apiServer.cache.get('replicationcontrollers', 'default', 'nginx') as ReplicationController;
const activePods = (cluster: Cluster) =>
  (cluster.apiServer.cache.list('pods', 'default') as Pod[]).filter((p) => p.metadata.ownerReferences?.some((r) => r.kind === 'ReplicationController' && r.name === 'nginx') && p.metadata.deletionTimestamp === undefined);
const running = (cluster: Cluster, n: number) => () => activePods(cluster).filter((p) => p.status?.phase === 'Running').length === n && activePods(cluster).length === n;

describe('the ReplicationController, run by the ReplicaSet controller code', () => {
  it("runs the docs' nginx RC: 3 pods owned by the RC, and kubectl get rc shows DESIRED CURRENT READY", () => {
    const cluster = createCluster({ seed: 1 });
    expect(cluster.apply(NGINX_RC)).toBe('replicationcontroller/nginx created');
    expect(cluster.runUntil(running(cluster, 3), 60_000)).toBe(true);
    for (const pod of activePods(cluster)) {
      expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'nginx', uid: rc(cluster).metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect(pod.metadata.labels).toEqual({ app: 'nginx' });
      expect(pod.metadata.name).toMatch(/^nginx-[a-z0-9]{5}$/);
    }
    cluster.runUntil(() => rc(cluster).status?.readyReplicas === 3, 30_000);
    const table = cluster.kubectl.get('rc');
    expect(table.columns).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(table.rows[0].slice(0, 4)).toEqual(['nginx', '3', '3', '3']);
  });

  it("records its Events as replication-controller, as kube-controller-manager's replication manager does", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(NGINX_RC);
    cluster.runUntil(running(cluster, 3), 60_000);
    cluster.runFor(1_000);
    const events = (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.kind === 'ReplicationController');
    expect(events.map((e) => e.reason)).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
    expect(new Set(events.map((e) => e.source?.component))).toEqual(new Set(['replication-controller']));
    expect(events[0].message).toMatch(/^Created pod: nginx-[a-z0-9]{5}$/);
  });

  it('replaces a pod that is deleted', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(NGINX_RC);
    cluster.runUntil(running(cluster, 3), 60_000);
    const victim = activePods(cluster)[0].metadata.name!;
    cluster.kubectl.delete('pod', victim);
    expect(cluster.runUntil(running(cluster, 3), 60_000)).toBe(true);
    expect(activePods(cluster).map((p) => p.metadata.name)).not.toContain(victim);
  });

  it('scales down with kubectl scale rc nginx --replicas=1', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(NGINX_RC);
    cluster.runUntil(running(cluster, 3), 60_000);
    expect(cluster.kubectl.scale('rc', 'nginx', 1)).toBe('replicationcontroller/nginx scaled');
    expect(cluster.runUntil(() => activePods(cluster).length === 1 && rc(cluster).status?.replicas === 1, 60_000)).toBe(true);
    expect(cluster.kubectl.get('rc').rows[0].slice(0, 3)).toEqual(['nginx', '1', '1']);
  });

  it('adopts a bare pod its selector matches, with a v1 ReplicationController controller reference, and creates one pod fewer', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: { name: loner, labels: { app: nginx } }\nspec:\n  containers: [{ name: nginx, image: nginx }]\n');
    cluster.runFor(2_000);
    cluster.apply(NGINX_RC);
    expect(cluster.runUntil(running(cluster, 3), 60_000)).toBe(true);
    const loner = cluster.apiServer.cache.get('pods', 'default', 'loner') as Pod;
    expect(loner.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'nginx', uid: rc(cluster).metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const created = (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.kind === 'ReplicationController' && e.reason === 'SuccessfulCreate');
    expect(created).toHaveLength(2);
  });
});
