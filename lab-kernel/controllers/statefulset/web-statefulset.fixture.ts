import * as fs from 'fs';
import * as path from 'path';
import type { KubeEvent, PersistentVolumeClaim, Pod, StatefulSet } from '../../api/types';
import type { Cluster } from '../../cluster/cluster';

/**
 * The Kubernetes docs' example StatefulSet (concepts/workloads/controllers/statefulset,
 * "Components"): the headless Service nginx and the StatefulSet web, 3 replicas of
 * registry.k8s.io/nginx-slim:0.24, minReadySeconds 10, one claim www (1Gi ReadWriteOnce) per pod
 * of the StorageClass my-storage-class. The docs leave that class to the reader ("provisioned by
 * a PersistentVolume Provisioner"): MY_STORAGE_CLASS is one, served by the cluster's local-path
 * provisioner like kind's standard.
 */
export const WEB_STATEFULSET = fs.readFileSync(path.join(__dirname, '../../api/testdata/web-statefulset.yaml'), 'utf8');
export const MY_STORAGE_CLASS = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: my-storage-class
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
`;

export const statefulSetNamed = (cluster: Cluster, name: string, namespace = 'default') => cluster.apiServer.cache.get('statefulsets', namespace, name) as StatefulSet | undefined;

/** The set's pods that are not being deleted, by name. */
export function statefulPods(cluster: Cluster, name: string, namespace = 'default'): Record<string, Pod> {
  const set = statefulSetNamed(cluster, name, namespace);
  const out: Record<string, Pod> = {};
  for (const pod of cluster.apiServer.cache.list('pods', namespace) as Pod[]) {
    if (pod.metadata.deletionTimestamp === undefined && pod.metadata.ownerReferences?.some((r) => r.uid === set?.metadata.uid)) out[pod.metadata.name!] = pod;
  }
  return out;
}

/** Whether exactly these pods of the set exist, each Running and Ready. */
export function readyExactly(cluster: Cluster, name: string, pods: string[], namespace = 'default'): boolean {
  const now = statefulPods(cluster, name, namespace);
  return JSON.stringify(Object.keys(now).sort()) === JSON.stringify([...pods].sort()) && pods.every((p) => now[p].status?.phase === 'Running' && now[p].status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
}

export const claimNamed = (cluster: Cluster, name: string, namespace = 'default') => cluster.apiServer.cache.get('persistentvolumeclaims', namespace, name) as PersistentVolumeClaim | undefined;

/** The StatefulSet's events of one reason, oldest first, as "<message>". */
export function setEvents(cluster: Cluster, reason: string, namespace = 'default'): string[] {
  return (cluster.kubectl.getObjects('events', undefined, { namespace }) as KubeEvent[])
    .filter((e) => e.involvedObject.kind === 'StatefulSet' && e.reason === reason)
    .sort((a, b) => (a.firstTimestamp ?? a.eventTime ?? '').localeCompare(b.firstTimestamp ?? b.eventTime ?? ''))
    .map((e) => e.message ?? '');
}
