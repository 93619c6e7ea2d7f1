import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import type { KubeEvent, PersistentVolume, PersistentVolumeClaim, Pod } from '../../api/types';
import { createCluster, type Cluster } from '../../cluster/cluster';

const TASK_PV = fs.readFileSync(path.join(__dirname, '../../api/testdata/task-pv.yaml'), 'utf8');
// https://kubernetes.io/docs/tasks/configure-pod-container/configure-persistent-volume-storage/ (pods/storage/pv-pod.yaml)
const TASK_PV_POD = `apiVersion: v1
kind: Pod
metadata:
  name: task-pv-pod
spec:
  volumes:
    - name: task-pv-storage
      persistentVolumeClaim:
        claimName: task-pv-claim
  containers:
    - name: task-pv-container
      image: nginx
      ports:
        - containerPort: 80
          name: "http-server"
      volumeMounts:
        - mountPath: "/usr/share/nginx/html"
          name: task-pv-storage
`;
const claimYaml = (name: string, extra = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name} }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
${extra}`;
const podUsing = (name: string, claim: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  volumes: [{ name: data, persistentVolumeClaim: { claimName: ${claim} } }]
  containers: [{ name: app, image: nginx:1.27, volumeMounts: [{ name: data, mountPath: /data }] }]
`;

const claim = (c: Cluster, name: string) => c.apiServer.cache.get('persistentvolumeclaims', 'default', name) as PersistentVolumeClaim | undefined;
const volume = (c: Cluster, name: string) => c.apiServer.cache.get('persistentvolumes', undefined, name) as PersistentVolume | undefined;
const pod = (c: Cluster, name: string) => c.apiServer.cache.get('pods', 'default', name) as Pod | undefined;
const eventsOf = (c: Cluster, kind: string, name: string) =>
  (c.apiServer.cache.list('events', 'default') as KubeEvent[]).filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name).map((e) => `${e.type} ${e.reason}: ${e.message}`);

describe('the PersistentVolume controller on a whole cluster', () => {
  it("binds the docs' task-pv-claim (3Gi) to task-pv-volume (10Gi, manual) both ways, and task-pv-pod runs", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(TASK_PV);
    cluster.apply(TASK_PV_POD);
    expect(cluster.runUntil(() => pod(cluster, 'task-pv-pod')?.status?.phase === 'Running', 60_000)).toBe(true);
    const pv = volume(cluster, 'task-pv-volume')!;
    const pvc = claim(cluster, 'task-pv-claim')!;
    expect(pv.spec.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'task-pv-claim', uid: pvc.metadata.uid });
    expect(pv.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    expect(pvc.spec.volumeName).toBe('task-pv-volume');
    expect(pvc.metadata.annotations).toMatchObject({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(pvc.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' } });
    const get = (resource: string) => cluster.kubectl.get(resource).toString().split('\n').map((l) => l.replace(/\s+\S+$/, '').trimEnd());
    expect(get('pv')).toEqual([
      'NAME             CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM                   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON',
      'task-pv-volume   10Gi       RWO            Retain           Bound    default/task-pv-claim   manual         <unset>',
    ]);
    expect(get('pvc')).toEqual([
      'NAME            STATUS   VOLUME           CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS',
      'task-pv-claim   Bound    task-pv-volume   10Gi       RWO            manual         <unset>',
    ]);
  });

  it('keeps a Retain volume, Released, when its claim is deleted', () => {
    const cluster = createCluster({ seed: 2 });
    cluster.apply(TASK_PV);
    expect(cluster.runUntil(() => claim(cluster, 'task-pv-claim')?.status?.phase === 'Bound', 30_000)).toBe(true);
    cluster.kubectl.delete('pvc', 'task-pv-claim');
    expect(cluster.runUntil(() => volume(cluster, 'task-pv-volume')?.status?.phase === 'Released', 30_000)).toBe(true);
    cluster.runFor(30_000);
    expect(volume(cluster, 'task-pv-volume')?.status?.phase).toBe('Released');
    expect(volume(cluster, 'task-pv-volume')?.spec.claimRef?.name).toBe('task-pv-claim');
  });

  it('leaves a claim with no class and no volume Pending: FailedBinding, "no storage class is set"', () => {
    const cluster = createCluster({ seed: 3 });
    cluster.apply(claimYaml('lonely', '  storageClassName: ""\n'));
    cluster.runFor(20_000);
    expect(claim(cluster, 'lonely')?.status?.phase).toBe('Pending');
    expect(eventsOf(cluster, 'PersistentVolumeClaim', 'lonely')).toEqual(['Normal FailedBinding: no persistent volumes available for this claim and no storage class is set']);
  });

  it('provisions a claim of the default class only once its pod is scheduled (WaitForFirstConsumer), on that node, and deletes the volume with the claim', () => {
    const cluster = createCluster({ seed: 4 });
    expect(cluster.kubectl.get('storageclass').records().map((r) => [r.NAME, r.PROVISIONER, r.RECLAIMPOLICY, r.VOLUMEBINDINGMODE])).toEqual([['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer']]);
    cluster.apply(claimYaml('www'));
    expect(claim(cluster, 'www')?.spec.storageClassName).toBe('standard');
    cluster.runFor(20_000);
    expect(claim(cluster, 'www')?.status?.phase).toBe('Pending');
    expect(eventsOf(cluster, 'PersistentVolumeClaim', 'www')).toEqual(['Normal WaitForFirstConsumer: waiting for first consumer to be created before binding']);
    expect(cluster.apiServer.cache.list('persistentvolumes')).toEqual([]);

    cluster.apply(podUsing('web', 'www'));
    expect(cluster.runUntil(() => pod(cluster, 'web')?.status?.phase === 'Running', 60_000)).toBe(true);
    const node = pod(cluster, 'web')!.spec.nodeName!;
    const pvc = claim(cluster, 'www')!;
    const pvName = `pvc-${pvc.metadata.uid}`;
    expect(pvc.metadata.annotations).toMatchObject({
      'volume.kubernetes.io/selected-node': node,
      'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
      'volume.beta.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
      'pv.kubernetes.io/bind-completed': 'yes',
    });
    expect(pvc.spec.volumeName).toBe(pvName);
    const pv = volume(cluster, pvName)!;
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' });
    expect(pv.spec).toMatchObject({ capacity: { storage: '1Gi' }, persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard', hostPath: { path: `/var/local-path-provisioner/${pvName}_default_www` } });
    expect(pv.spec.nodeAffinity?.required?.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }]);
    const reasons = eventsOf(cluster, 'PersistentVolumeClaim', 'www').map((e) => e.split(':')[0]);
    // The PV controller's ExternalProvisioning and the provisioner's Provisioning come from two processes at about the same time: either may be first.
    expect([reasons[0], [...reasons.slice(1, 3)].sort(), reasons[3], reasons.length]).toEqual(['Normal WaitForFirstConsumer', ['Normal ExternalProvisioning', 'Normal Provisioning'], 'Normal ProvisioningSucceeded', 4]);
    expect(eventsOf(cluster, 'PersistentVolumeClaim', 'www')).toContain(`Normal ProvisioningSucceeded: Successfully provisioned volume ${pvName}`);

    cluster.kubectl.delete('pod', 'web');
    cluster.kubectl.delete('pvc', 'www');
    expect(cluster.runUntil(() => volume(cluster, pvName) === undefined, 60_000)).toBe(true);
  });

  it('gives a claim created before any default class the default once one exists (retroactive assignment, within a resync)', () => {
    const cluster = createCluster({ seed: 5 });
    cluster.kubectl.delete('storageclass', 'standard');
    cluster.runFor(1_000);
    cluster.apply(claimYaml('early'));
    expect(claim(cluster, 'early')?.spec.storageClassName).toBeUndefined();
    cluster.apply(`apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
  annotations: { storageclass.kubernetes.io/is-default-class: "true" }
provisioner: rancher.io/local-path
volumeBindingMode: Immediate
`);
    const t = cluster.now();
    expect(cluster.runUntil(() => claim(cluster, 'early')?.spec.storageClassName === 'fast', 20_000)).toBe(true);
    expect(cluster.now() - t).toBeLessThanOrEqual(15_000 + 1_000);
    // Immediate: provisioned without waiting for a pod.
    expect(cluster.runUntil(() => claim(cluster, 'early')?.status?.phase === 'Bound', 30_000)).toBe(true);
  });
});
