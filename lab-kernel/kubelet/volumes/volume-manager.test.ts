import { describe, expect, it } from 'vitest';
import type { KubeEvent, Pod } from '../../api/types';
import { createCluster, type Cluster } from '../../cluster/cluster';
import { HOSTPATH_DRIVER } from '../../runtime/csi-hostpath-driver';
import { traceQuery } from '../../viz/trace-query';

const pod = (cluster: Cluster, name = 'p') => cluster.apiServer.cache.get('pods', 'default', name) as Pod | undefined;
const running = (cluster: Cluster, name = 'p') => pod(cluster, name)?.status?.phase === 'Running';
const events = (cluster: Cluster, name = 'p') =>
  (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);
const podYaml = (name: string, spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: default }\nspec:\n${spec}`;
const configMap = (color: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app, namespace: default }\ndata: { color: ${color} }\n`;

const CONFIG_POD = podYaml('p', `  nodeName: node-1
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, infinity]
    env: [{ name: COLOR, valueFrom: { configMapKeyRef: { name: app, key: color } } }]
    volumeMounts: [{ name: config, mountPath: /etc/config }]
  volumes: [{ name: config, configMap: { name: app } }]
`);

describe("the kubelet mounts the pod's volumes before its containers start", () => {
  it("shares an emptyDir between the pod's containers: what one writes the other reads", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(podYaml('p', `  nodeName: node-1
  containers:
  - { name: writer, image: busybox:1.36, command: [sh, -c, 'touch /shared/hello; sleep 3600'], volumeMounts: [{ name: shared, mountPath: /shared }] }
  - { name: reader, image: busybox:1.36, command: [sleep, infinity], volumeMounts: [{ name: shared, mountPath: /data }] }
  volumes: [{ name: shared, emptyDir: {} }]
`));
    expect(cluster.runUntil(() => running(cluster), 20_000)).toBe(true);
    cluster.runFor(1_000);
    expect(cluster.kubectl.exec('p', ['sh', '-c', 'cat /data/hello && echo found'], { container: 'reader' })).toBe('found\n');
    // The reader's own /shared is not the volume: it has no file there.
    expect(cluster.kubectl.exec('p', ['cat', '/shared/hello'], { container: 'reader' })).toContain("can't open '/shared/hello'");
  });

  it("shows a ConfigMap's keys as files, and its update after the next sync, while an env var from it keeps its old value", () => {
    const cluster = createCluster({ seed: 2 });
    cluster.apply(configMap('blue'));
    cluster.apply(CONFIG_POD);
    expect(cluster.runUntil(() => running(cluster), 20_000)).toBe(true);
    expect(cluster.kubectl.exec('p', ['cat', '/etc/config/color'])).toBe('blue\n');
    cluster.runFor(10_000); // the syncs that follow the start (its status coming back) are over
    cluster.apply(configMap('red'));
    cluster.runFor(1_000);
    expect(cluster.kubectl.exec('p', ['cat', '/etc/config/color'])).toBe('blue\n');
    // The watch has the new object at once; the files change at the pod's next sync (syncFrequency 1 min).
    cluster.runFor(60_000);
    expect(cluster.kubectl.exec('p', ['cat', '/etc/config/color'])).toBe('red\n');
    expect(cluster.kubectl.exec('p', ['sh', '-c', 'echo $COLOR'])).toBe('blue\n');
  });

  it('keeps a pod whose ConfigMap is missing ContainerCreating, with FailedMount, until the ConfigMap is created', () => {
    const cluster = createCluster({ seed: 3 });
    const applied = cluster.now(); // after boot: the node's kube-proxy pod has been started already
    cluster.apply(CONFIG_POD);
    cluster.runFor(30_000);
    expect(pod(cluster)!.status!.phase).toBe('Pending');
    expect(pod(cluster)!.status!.containerStatuses![0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(events(cluster)).toContain('FailedMount: MountVolume.SetUp failed for volume "config" : configmap "app" not found');
    expect(traceQuery(cluster.trace, { since: applied, actor: 'kubelet/node-1', to: 'containerd/node-1' })).toEqual([]);
    cluster.apply(configMap('green'));
    expect(cluster.runUntil(() => running(cluster), 180_000)).toBe(true);
    expect(cluster.kubectl.exec('p', ['cat', '/etc/config/color'])).toBe('green\n');
  });

  it('mounts an optional ConfigMap that is missing as an empty volume', () => {
    const cluster = createCluster({ seed: 4 });
    cluster.apply(CONFIG_POD.replace('configMap: { name: app }', 'configMap: { name: app, optional: true }').replace('key: color }', 'key: color, optional: true }'));
    expect(cluster.runUntil(() => running(cluster), 20_000)).toBe(true);
    expect(events(cluster).filter((e) => e.startsWith('FailedMount'))).toEqual([]);
  });

  it('fails a container whose env var names a missing key with CreateContainerConfigError', () => {
    const cluster = createCluster({ seed: 5 });
    cluster.apply(configMap('blue'));
    cluster.apply(CONFIG_POD.replace('key: color', 'key: size'));
    cluster.runFor(20_000);
    expect(pod(cluster)!.status!.containerStatuses![0].state).toEqual({ waiting: { reason: 'CreateContainerConfigError', message: "couldn't find key size in ConfigMap default/app" } });
    expect(events(cluster)).toContain("Failed: Error: couldn't find key size in ConfigMap default/app");
  });

  it('decodes a Secret into files and env vars: secretKeyRef, and envFrom with a prefix', () => {
    const cluster = createCluster({ seed: 8 });
    cluster.apply(`apiVersion: v1\nkind: Secret\nmetadata: { name: db, namespace: default }\nstringData: { user: admin, password: s3cret }\n`);
    cluster.apply(podYaml('p', `  nodeName: node-1
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, infinity]
    env: [{ name: DB_USER, valueFrom: { secretKeyRef: { name: db, key: user } } }]
    envFrom: [{ prefix: DB_, secretRef: { name: db } }]
    volumeMounts: [{ name: creds, mountPath: /etc/db }]
  volumes: [{ name: creds, secret: { secretName: db } }]
`));
    expect(cluster.runUntil(() => running(cluster), 20_000)).toBe(true);
    expect(cluster.kubectl.exec('p', ['cat', '/etc/db/password'])).toBe('s3cret\n');
    expect(cluster.kubectl.exec('p', ['sh', '-c', 'echo $DB_USER $DB_password'])).toBe('admin s3cret\n');
  });

  it("keeps a claim's data on the node: a pod re-created on the default StorageClass's volume reads what the first one wrote", () => {
    const cluster = createCluster({ seed: 6 });
    cluster.apply(`apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: data, namespace: default }\nspec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }\n`);
    const withData = (name: string, command: string) => podYaml(name, `  containers:
  - { name: app, image: busybox:1.36, command: [sh, -c, '${command}'], volumeMounts: [{ name: data, mountPath: /data }] }
  volumes: [{ name: data, persistentVolumeClaim: { claimName: data } }]
`);
    cluster.apply(withData('first', 'touch /data/kept; sleep 3600'));
    expect(cluster.runUntil(() => running(cluster, 'first'), 60_000)).toBe(true);
    cluster.runFor(1_000);
    const node = pod(cluster, 'first')!.spec.nodeName;
    cluster.kubectl.delete('pod', 'first');
    expect(cluster.runUntil(() => pod(cluster, 'first') === undefined, 60_000)).toBe(true);
    cluster.apply(withData('second', 'sleep 3600'));
    expect(cluster.runUntil(() => running(cluster, 'second'), 60_000)).toBe(true);
    expect(pod(cluster, 'second')!.spec.nodeName).toBe(node);
    expect(cluster.kubectl.exec('second', ['sh', '-c', 'cat /data/kept && echo kept'])).toBe('kept\n');
  });

  it('stages a CSI volume before publishing it, and unpublishes it before unstaging it when the pod is gone', () => {
    const cluster = createCluster({ seed: 7 });
    const kubelet = cluster.kubelets.find((k) => k.node.name === 'node-1')!;
    let volumeId = '';
    kubelet.csiDriver.createVolume({ name: 'disk-1', capacityBytes: 1 << 30 }, (_e, res) => (volumeId = res!.volume.volumeId));
    cluster.runFor(100);
    cluster.apply(`apiVersion: v1\nkind: PersistentVolume\nmetadata: { name: disk-1 }\nspec: { capacity: { storage: 1Gi }, accessModes: [ReadWriteOnce], storageClassName: '', csi: { driver: ${HOSTPATH_DRIVER}, volumeHandle: ${volumeId} } }\n`);
    cluster.apply(`apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: disk, namespace: default }\nspec: { accessModes: [ReadWriteOnce], storageClassName: '', volumeName: disk-1, resources: { requests: { storage: 1Gi } } }\n`);
    cluster.apply(podYaml('p', `  nodeName: node-1
  containers: [{ name: app, image: busybox:1.36, command: [sh, -c, 'touch /disk/written; sleep 3600'], volumeMounts: [{ name: disk, mountPath: /disk }] }]
  volumes: [{ name: disk, persistentVolumeClaim: { claimName: disk } }]
`));
    expect(cluster.runUntil(() => running(cluster), 60_000)).toBe(true);
    cluster.runFor(1_000);
    const csi = () => traceQuery(cluster.trace, { actor: 'kubelet/node-1', to: `${HOSTPATH_DRIVER}/node-1` }).map((e) => e.summary.split(' ')[0]);
    expect(csi()).toEqual(['NodeStageVolume', 'NodePublishVolume']);
    expect(kubelet.hostFs.read(`/csi-data-dir/${volumeId}/written`)).toBe('');
    cluster.kubectl.delete('pod', 'p');
    expect(cluster.runUntil(() => pod(cluster) === undefined, 60_000)).toBe(true);
    expect(csi()).toEqual(['NodeStageVolume', 'NodePublishVolume', 'NodeUnpublishVolume', 'NodeUnstageVolume']);
    expect(kubelet.hostFs.read(`/csi-data-dir/${volumeId}/written`)).toBe('');
  });
});
