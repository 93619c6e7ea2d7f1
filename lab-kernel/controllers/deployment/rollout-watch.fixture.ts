import * as fs from 'fs';
import * as path from 'path';
import type { Cluster } from '../../cluster/cluster';
import type { Deployment, Pod, ReplicaSet } from '../../api/types';

/**
 * For tests of a Deployment on a whole cluster (the kernel's and the grader's): the docs'
 * nginx Deployment, and a watch that checks the pod counts after every event of the
 * simulation while a rollout runs.
 *
 *   const w = watchRollout(cluster, 'nginx', { minAvailable: 3, maxPods: 4 }, () => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'));
 *   // => { done: true, minAvailableSeen: 3, maxPodsSeen: 4, breach: undefined }
 *
 * Pods are read from the API server's cache (what etcd holds). A pod counts while it exists and
 * has not finished, Terminating ones excepted (a ReplicaSet no longer counts them); it is
 * available when it also is Ready (the Deployments here have minReadySeconds 0).
 */
export const NGINX_DEPLOYMENT = fs.readFileSync(path.join(__dirname, '../../api/testdata/nginx-deployment.yaml'), 'utf8');

export interface RolloutWatch {
  /** Whether `done` came true within the time limit. */
  done: boolean;
  minAvailableSeen: number;
  maxPodsSeen: number;
  /** The first moment a bound was broken, in words; undefined if never. */
  breach: string | undefined;
}

export function podsOf(cluster: Cluster, app: string): Readonly<Pod>[] {
  return (cluster.apiServer.cache.list('pods', 'default') as Pod[]).filter((p) => p.metadata.labels?.app === app);
}

const finished = (p: Readonly<Pod>) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
export const activePods = (pods: readonly Readonly<Pod>[]) => pods.filter((p) => p.metadata.deletionTimestamp === undefined && !finished(p));
export const availablePods = (pods: readonly Readonly<Pod>[]) => activePods(pods).filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));

export function watchRollout(cluster: Cluster, app: string, bounds: { minAvailable: number; maxPods: number }, done: () => boolean, limitMs = 60_000): RolloutWatch {
  const w: RolloutWatch = { done: false, minAvailableSeen: Infinity, maxPodsSeen: 0, breach: undefined };
  w.done = cluster.runUntil(() => {
    const pods = podsOf(cluster, app);
    const active = activePods(pods).length;
    const available = availablePods(pods).length;
    w.minAvailableSeen = Math.min(w.minAvailableSeen, available);
    w.maxPodsSeen = Math.max(w.maxPodsSeen, active);
    if (w.breach === undefined && (available < bounds.minAvailable || active > bounds.maxPods)) {
      w.breach = `at ${cluster.now()} ms of virtual time: ${available} available pods (at least ${bounds.minAvailable} expected), ${active} pods (at most ${bounds.maxPods} expected)`;
    }
    return done();
  }, limitMs);
  return w;
}

export function replicaSetsOf(cluster: Cluster, deployment: string): Readonly<ReplicaSet>[] {
  return (cluster.apiServer.cache.list('replicasets', 'default') as ReplicaSet[]).filter((rs) => rs.metadata.ownerReferences?.some((r) => r.kind === 'Deployment' && r.name === deployment));
}

export function deploymentNamed(cluster: Cluster, name: string): Readonly<Deployment> | undefined {
  return cluster.apiServer.cache.get('deployments', 'default', name) as Deployment | undefined;
}

/**
 * The rollout to `image` is over: its ReplicaSet has every replica available, every other one
 * is at 0 and has no pods left, and the Deployment's status says so.
 */
export function rolledOut(cluster: Cluster, deployment: string, image: string, app = 'nginx'): boolean {
  const d = deploymentNamed(cluster, deployment);
  if (d === undefined) return false;
  const replicas = d.spec.replicas ?? 1;
  const rss = replicaSetsOf(cluster, deployment);
  const isNew = (rs: Readonly<ReplicaSet>) => rs.spec.template.spec.containers[0].image === image;
  const pods = podsOf(cluster, app);
  return (
    rss.some((rs) => isNew(rs) && rs.spec.replicas === replicas && rs.status?.availableReplicas === replicas) &&
    rss.filter((rs) => !isNew(rs)).every((rs) => rs.spec.replicas === 0) &&
    pods.length === replicas &&
    availablePods(pods).length === replicas &&
    (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    [d.status?.replicas, d.status?.updatedReplicas, d.status?.availableReplicas].every((n) => n === replicas)
  );
}
