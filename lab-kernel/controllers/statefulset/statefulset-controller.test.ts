import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import { createCluster, type Cluster } from '../../cluster/cluster';
import { claimNamed, MY_STORAGE_CLASS, readyExactly, setEvents, statefulPods, statefulSetNamed, WEB_STATEFULSET } from './web-statefulset.fixture';

const WEB = ['web-0', 'web-1', 'web-2'];

function webCluster(): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(MY_STORAGE_CLASS);
  cluster.apply(WEB_STATEFULSET);
  return cluster;
}
const created = (pods: Record<string, Pod>) => Object.values(pods).sort((a, b) => a.metadata.creationTimestamp!.localeCompare(b.metadata.creationTimestamp!)).map((p) => p.metadata.name);

describe('the StatefulSet controller', () => {
  it("runs the docs' web StatefulSet unchanged: web-0, web-1, web-2 created in order, each once the one before is ready, each with its claim www-web-N bound", () => {
    const cluster = webCluster();
    expect(cluster.runUntil(() => readyExactly(cluster, 'web', WEB), 120_000)).toBe(true);
    cluster.runFor(12_000);
    expect(setEvents(cluster, 'SuccessfulCreate')).toEqual([
      'create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'create Pod web-0 in StatefulSet web successful',
      'create Claim www-web-1 Pod web-1 in StatefulSet web success',
      'create Pod web-1 in StatefulSet web successful',
      'create Claim www-web-2 Pod web-2 in StatefulSet web success',
      'create Pod web-2 in StatefulSet web successful',
    ]);
    const pods = statefulPods(cluster, 'web');
    expect(created(pods)).toEqual(WEB);
    // minReadySeconds 10: each pod is created once the one before has been Ready 10 s.
    const readyAt = (p: Pod) => Date.parse(p.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime!);
    expect(Date.parse(pods['web-1'].metadata.creationTimestamp!) - readyAt(pods['web-0'])).toBeGreaterThanOrEqual(10_000);
    expect(Date.parse(pods['web-2'].metadata.creationTimestamp!) - readyAt(pods['web-1'])).toBeGreaterThanOrEqual(10_000);
    for (const name of WEB) expect(claimNamed(cluster, `www-${name}`)?.status?.phase, `www-${name}`).toBe('Bound');
    expect(statefulSetNamed(cluster, 'web')!.status).toMatchObject({ observedGeneration: 1, replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
    const table = cluster.kubectl.get('statefulsets');
    expect(table.toString().split('\n')[0]).toBe('NAME   READY   AGE');
    expect(table.rows[0].slice(0, 2)).toEqual(['web', '3/3']);
  });

  it('names each pod <set>-<ordinal> with its hostname, the Service as its subdomain, and labels for its name, index and revision', () => {
    const cluster = webCluster();
    cluster.runUntil(() => readyExactly(cluster, 'web', WEB), 120_000);
    const set = statefulSetNamed(cluster, 'web')!;
    const pod = statefulPods(cluster, 'web')['web-1'];
    expect(pod.spec).toMatchObject({ hostname: 'web-1', subdomain: 'nginx' });
    expect(pod.spec.volumes?.[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } });
    expect(pod.metadata.labels).toEqual({ app: 'nginx', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': set.status!.updateRevision });
    expect(set.status!.updateRevision).toMatch(/^web-[a-z0-9]+$/);
    // Retain (the default): the claims have no owner, so nothing deletes them with the pods.
    expect(claimNamed(cluster, 'www-web-1')!.metadata.ownerReferences).toBeUndefined();
    expect(claimNamed(cluster, 'www-web-1')!.metadata.labels).toEqual({ app: 'nginx' });
  });

  it('re-creates a deleted pod under the same name, with the same claim', () => {
    const cluster = webCluster();
    cluster.runUntil(() => readyExactly(cluster, 'web', WEB), 120_000);
    const before = statefulPods(cluster, 'web')['web-1'];
    const volume = claimNamed(cluster, 'www-web-1')!.spec.volumeName;
    cluster.kubectl.delete('pod', 'web-1');
    expect(cluster.runUntil(() => readyExactly(cluster, 'web', WEB) && statefulPods(cluster, 'web')['web-1'].metadata.uid !== before.metadata.uid, 60_000)).toBe(true);
    expect(statefulPods(cluster, 'web')['web-1'].spec.volumes?.[0].persistentVolumeClaim?.claimName).toBe('www-web-1');
    expect(claimNamed(cluster, 'www-web-1')!.spec.volumeName).toBe(volume);
    expect(setEvents(cluster, 'SuccessfulCreate').filter((m) => m.includes('Claim'))).toHaveLength(3);
  });

  it('scales down from the highest ordinal, one pod at a time, and keeps the claims', () => {
    const cluster = webCluster();
    cluster.runUntil(() => readyExactly(cluster, 'web', WEB), 120_000);
    cluster.kubectl.scale('statefulset', 'web', 1);
    expect(cluster.runUntil(() => readyExactly(cluster, 'web', ['web-0']), 60_000)).toBe(true);
    cluster.runFor(2_000);
    expect(setEvents(cluster, 'SuccessfulDelete')).toEqual(['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful']);
    expect(claimNamed(cluster, 'www-web-2')?.status?.phase).toBe('Bound');
  });

  it('rolls a new image out from the highest ordinal down, and only at or above the partition', () => {
    const cluster = webCluster();
    cluster.runUntil(() => readyExactly(cluster, 'web', WEB), 120_000);
    cluster.kubectl.patch('statefulsets', 'web', { spec: { updateStrategy: { rollingUpdate: { partition: 1 } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } });
    const image = (name: string) => statefulPods(cluster, 'web')[name]?.spec.containers[0].image;
    expect(cluster.runUntil(() => image('web-1') === 'nginx:1.27' && readyExactly(cluster, 'web', WEB), 120_000)).toBe(true);
    expect(setEvents(cluster, 'SuccessfulDelete')).toEqual(['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful']);
    cluster.runFor(15_000);
    expect(image('web-0')).toBe('registry.k8s.io/nginx-slim:0.24');
    const st = statefulSetNamed(cluster, 'web')!.status!;
    expect(st).toMatchObject({ currentReplicas: 1, updatedReplicas: 2 });
    expect(st.currentRevision).not.toBe(st.updateRevision);
  });
});

describe('the StatefulSet controller claims pods (ControllerRefManager, with the isMemberOf filter)', () => {
  const DB = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 2
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: nginx:1.27 }]
`;
  const orphan = (name: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: { app: db } }
spec:
  containers: [{ name: db, image: nginx:1.27 }]
`;

  it('adopts a matching orphan named <set>-<ordinal> instead of creating it, and leaves a matching pod with another name alone', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(orphan('db-0'));
    cluster.apply(orphan('db-extra'));
    cluster.runFor(3_000);
    cluster.apply(DB);
    expect(cluster.runUntil(() => readyExactly(cluster, 'db', ['db-0', 'db-1']), 120_000)).toBe(true);
    const uid = statefulSetNamed(cluster, 'db')!.metadata.uid;
    const pod = (name: string) => cluster.apiServer.cache.get('pods', 'default', name) as Pod;
    expect(pod('db-0').metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid, controller: true, blockOwnerDeletion: true }]);
    expect(pod('db-extra').metadata.ownerReferences).toBeUndefined();
    expect(setEvents(cluster, 'SuccessfulCreate')).toEqual(['create Pod db-1 in StatefulSet db successful']);
  });
});
