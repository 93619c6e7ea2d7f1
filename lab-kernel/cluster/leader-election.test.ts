import { describe, expect, it } from 'vitest';
import type { Lease, Pod } from '../api/types';
import { createCluster, type Cluster } from './cluster';

const WEB = `
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: nginx:1.27 }] }
`;

const running = (cluster: Cluster) => cluster.kubectl.getObjects<Pod>('pods').filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const lease = (cluster: Cluster) => cluster.apiServer.cache.get('leases', 'kube-system', 'kube-controller-manager') as Lease;
/** Messages `actor` sent from `since` on. */
const sentBy = (cluster: Cluster, actor: string, since: number) => cluster.trace.all().filter((e) => e.kind === 'message' && e.actor === actor && e.time >= since);

describe('kube-controller-manager with leader election', () => {
  it('does the first of two instances lead from boot while the second stands by, listing and watching nothing?', () => {
    const cluster = createCluster({ seed: 4, controllerManagers: 2 });
    cluster.runFor(10_000);
    const [first, second] = cluster.controllerManagers;
    expect(first.isLeader()).toBe(true);
    expect(second.isLeader()).toBe(false);
    expect(cluster.controllerManager).toBe(first);
    expect(lease(cluster).spec).toMatchObject({ holderIdentity: first.elector!.identity, leaseDurationSeconds: 15, leaseTransitions: 0 });
    const asked = new Set(sentBy(cluster, 'kube-controller-manager-2', 0).map((e) => e.summary));
    expect([...asked]).toEqual(['get leases kube-system/kube-controller-manager']);
    expect(second.hasSynced()).toBe(false);
  });

  it('does the second take over 15 to 19.4 s after it last saw the first renew, once the first is stopped, and reconcile what changes afterwards?', () => {
    const cluster = createCluster({ seed: 4, controllerManagers: 2 });
    cluster.apply(WEB);
    cluster.runUntil(() => running(cluster).length === 3, 10_000);
    const [first, second] = cluster.controllerManagers;
    const stoppedAt = cluster.now();
    first.stop();

    let lastChangeSeen = second.elector!.observation().at;
    expect(
      cluster.runUntil(() => {
        if (!second.isLeader()) lastChangeSeen = second.elector!.observation().at;
        return second.isLeader();
      }, 30_000),
    ).toBe(true);
    const tookOver = cluster.now() - lastChangeSeen;
    expect(tookOver).toBeGreaterThanOrEqual(15_000);
    expect(tookOver).toBeLessThanOrEqual(15_000 + 4_400 + 100);
    expect(lease(cluster).spec).toMatchObject({ holderIdentity: second.elector!.identity, leaseTransitions: 1 });
    expect(cluster.controllerManager).toBe(second);
    expect(sentBy(cluster, 'kube-controller-manager', stoppedAt), 'a stopped process sends nothing').toEqual([]);

    cluster.kubectl.scale('rs', 'web', 5);
    expect(cluster.runUntil(() => running(cluster).length === 5, 20_000), 'the new leader reconciles the ReplicaSet').toBe(true);

    const rows = cluster.kubectl.get('events', undefined, { namespace: 'kube-system' }).records().filter((r) => r.REASON === 'LeaderElection' && r.OBJECT === 'lease/kube-controller-manager');
    expect(rows.map((r) => `${r.TYPE} ${r.MESSAGE}`)).toEqual([`Normal ${first.elector!.identity} became leader`, `Normal ${second.elector!.identity} became leader`]);
  });

  it('does the only instance, cut off from the API server for 10 s, exit ("leaderelection lost") and send nothing once reconnected?', () => {
    const cluster = createCluster({ seed: 4 });
    cluster.runFor(3_000);
    cluster.net.isolate('kube-controller-manager');
    cluster.runFor(15_000);
    const says = (text: string) => cluster.trace.all().find((e) => e.actor === 'kube-controller-manager' && e.summary === text);
    const gaveUp = says('failed to renew lease kube-system/kube-controller-manager: context deadline exceeded');
    expect(gaveUp).toBeDefined();
    expect(says('leaderelection lost')?.time).toBe(gaveUp!.time);
    expect(cluster.controllerManager.isLeader()).toBe(false);

    cluster.net.reconnect('kube-controller-manager');
    const back = cluster.now();
    cluster.apply(WEB);
    cluster.runFor(10_000);
    expect(sentBy(cluster, 'kube-controller-manager', back)).toEqual([]);
    expect(cluster.kubectl.getObjects<Pod>('pods'), 'nobody reconciles the ReplicaSet').toEqual([]);
  });

  it('does a controller manager run without an election (leaderElect: false) touch no Lease, keep going through a 30 s cut, and reconcile once back?', () => {
    const cluster = createCluster({ seed: 4, leaderElect: false });
    cluster.runFor(3_000);
    expect(cluster.apiServer.cache.list('leases', 'kube-system')).toEqual([]);
    cluster.net.isolate('kube-controller-manager');
    cluster.runFor(30_000);
    cluster.net.reconnect('kube-controller-manager');
    cluster.apply(WEB);
    expect(cluster.runUntil(() => running(cluster).length === 3, 60_000)).toBe(true);
    expect(cluster.controllerManager.isLeader()).toBe(true);
  });
});
