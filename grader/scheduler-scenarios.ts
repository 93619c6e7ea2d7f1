/**
 * Whole-cluster scheduling scenarios shared by the scheduler exercises' grader suites: small
 * helpers to label and taint nodes and to read FailedScheduling events.
 */
import type { KubeObject, Node, Pod } from '../lab-kernel/api/types';
import type { Cluster } from '../lab-kernel/cluster/cluster';

/** The worker nodes (those without the control-plane role), by name. */
export function workerNames(cluster: Cluster): string[] {
  return cluster.kubectl
    .getObjects<Node>('nodes')
    .filter((n) => !('node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {})))
    .map((n) => n.metadata.name!)
    .sort();
}

export function labelNode(cluster: Cluster, name: string, labels: Record<string, string>): void {
  cluster.kubectl.patch('nodes', name, { metadata: { labels } }, { type: 'merge' });
}

export function taintNode(cluster: Cluster, name: string, taints: Node['spec']['taints']): void {
  cluster.kubectl.patch('nodes', name, { spec: { taints } }, { type: 'merge' });
}

export function podsNamed(cluster: Cluster, prefix: string): Pod[] {
  return cluster.kubectl.getObjects<Pod>('pods').filter((p) => p.metadata.name!.startsWith(prefix));
}

/** The messages of the FailedScheduling events about a pod. */
export function failedSchedulingMessages(cluster: Cluster, podName: string): string[] {
  type Event = KubeObject & { reason?: string; message?: string; involvedObject?: { name?: string } };
  return cluster.kubectl
    .getObjects<Event>('events')
    .filter((e) => e.reason === 'FailedScheduling' && e.involvedObject?.name === podName)
    .map((e) => e.message ?? '');
}
