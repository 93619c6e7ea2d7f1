import * as fs from 'fs';
import * as path from 'path';
import type { DaemonSet, Pod } from '../../api/types';
import type { Cluster } from '../../cluster/cluster';

/**
 * The Kubernetes docs' example DaemonSet (concepts/workloads/controllers/daemonset,
 * controllers/daemonset.yaml): fluentd-elasticsearch in kube-system, tolerating the control
 * plane's NoSchedule taint, so it runs on every node.
 */
export const FLUENTD_DAEMONSET = fs.readFileSync(path.join(__dirname, '../../api/testdata/fluentd-elasticsearch-daemonset.yaml'), 'utf8');

/** The DaemonSet as the API server's cache has it. */
export const daemonSetNamed = (cluster: Cluster, name: string, namespace = 'kube-system') => cluster.apiServer.cache.get('daemonsets', namespace, name) as DaemonSet | undefined;

/** Its pods that are not being deleted, by the node they are bound to (or meant for). */
export function daemonPodsByNode(cluster: Cluster, name: string, namespace = 'kube-system'): Record<string, Pod[]> {
  const ds = daemonSetNamed(cluster, name, namespace);
  const out: Record<string, Pod[]> = {};
  for (const pod of cluster.apiServer.cache.list('pods', namespace) as Pod[]) {
    if (pod.metadata.deletionTimestamp !== undefined || !pod.metadata.ownerReferences?.some((r) => r.uid === ds?.metadata.uid)) continue;
    const node = pod.spec.nodeName ?? pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0] ?? '?';
    (out[node] ??= []).push(pod);
  }
  return out;
}

/** Whether every node of `nodes` runs one Running pod of the DaemonSet, and no other node runs any. */
export function runsExactlyOn(cluster: Cluster, name: string, nodes: string[], namespace = 'kube-system'): boolean {
  const byNode = daemonPodsByNode(cluster, name, namespace);
  return JSON.stringify(Object.keys(byNode).sort()) === JSON.stringify([...nodes].sort()) && nodes.every((n) => byNode[n].length === 1 && byNode[n][0].status?.phase === 'Running');
}
