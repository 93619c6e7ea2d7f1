/**
 * Whole-cluster scheduling scenarios shared by the scheduler exercises' grader suites:
 * whether the lab's cluster runs the scheduling framework yet, and small helpers to label
 * and taint nodes and to read FailedScheduling events.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { KubeObject, Node, Pod } from '../lab-kernel/api/types';
import type { Cluster } from '../lab-kernel/cluster/cluster';
import { repoRoot } from '../lab-kernel/slots/manifest';

/**
 * True once lab-kernel/scheduler/scheduler.ts exports a Scheduler class and createCluster
 * builds one; until then the whole-cluster tests are skipped (the placeholder scheduler
 * runs no plugins).
 */
export function schedulerRuntimeReady(): boolean {
  const root = repoRoot();
  const read = (file: string) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8') : '');
  return /export class Scheduler\b/.test(read('lab-kernel/scheduler/scheduler.ts')) && /new Scheduler\(/.test(read('lab-kernel/cluster/cluster.ts'));
}

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
