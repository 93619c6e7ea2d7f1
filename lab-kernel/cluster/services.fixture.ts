import type { Pod, Service } from '../api/types';
import { isPodReady } from '../controllers/replicaset-contract';
import { parseIp } from '../net/ipv4';
import type { NetNamespace } from '../net/namespace';
import type { ExchangeResult } from '../net/sockets';
import { createCluster, type Cluster, type ClusterOptions } from './cluster';
import type { ProxyMode } from './pod-network';

/**
 * A cluster with a Service in front of two nginx pods on two nodes, and a client pod, shared by
 * the tests of kube-proxy's modes on the packet network:
 *
 *   const cluster = servicesCluster('ipvs');   // web-1 on node-1, web-2 on node-2, client on node-1, all ready, kube-proxy synced
 *   servicesCluster(undefined, { use: { 'netfilter-eval': 'exercise' } })   // the same on other code
 *   request(cluster, 'client', clusterIP(cluster))   // => a TCP exchange to port 80: { outcome: 'response', trace, ... }
 */
const WEB = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
`;

const pod = (name: string, node: string, image: string, labels: Record<string, string>, command?: string[]) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: default, labels: ${JSON.stringify(labels)} }
spec:
  nodeName: ${node}
  containers: [{ name: main, image: ${image}${command === undefined ? '' : `, command: ${JSON.stringify(command)}`} }]
`;

/** nginx pods web-1 on node-1 and web-2 on node-2 behind the Service web; a busybox client on node-1. */
export function servicesCluster(proxyMode?: ProxyMode, options: ClusterOptions = {}): Cluster {
  const cluster = createCluster({ seed: 1, ...(proxyMode === undefined ? {} : { proxyMode }), ...options });
  cluster.apply(WEB);
  cluster.apply(pod('web-1', 'node-1', 'nginx:1.27', { app: 'web' }));
  cluster.apply(pod('web-2', 'node-2', 'nginx:1.27', { app: 'web' }));
  cluster.apply(pod('client', 'node-1', 'busybox:1.36', { app: 'client' }, ['sleep', '3600']));
  return untilServing(cluster, 3);
}

/**
 * Runs the cluster until `count` pods of the default namespace are Ready (a minute at most),
 * then 2 s more: the EndpointSlices follow, then each kube-proxy's sync. Returns the cluster.
 */
export function untilServing(cluster: Cluster, count: number): Cluster {
  const ready = () => cluster.kubectl.getObjects<Pod>('pods').filter(isPodReady).length === count;
  if (!cluster.runUntil(ready, 60_000)) throw new Error(`${count} pods did not get ready within a minute`);
  cluster.runFor(2_000);
  return cluster;
}

/** The pod's network namespace: the one (not a node's) that holds its IP. */
export function podNamespace(cluster: Cluster, name: string): NetNamespace {
  const ip = parseIp(cluster.kubectl.getObjects<Pod>('pods').find((p) => p.metadata.name === name)!.status!.podIP!);
  return [...cluster.network.net.namespaces.values()].find((ns) => !ns.root && ns.isLocal(ip))!;
}

/** A TCP request from the pod to port 80 of dst, given up after 3 s. */
export function request(cluster: Cluster, from: string, dst: string): ExchangeResult {
  let result: ExchangeResult | undefined;
  cluster.network.net.request(podNamespace(cluster, from), { proto: 'tcp', dst, port: 80, timeoutMs: 3_000, payload: { method: 'GET', path: '/' } }, (r) => (result = r));
  cluster.runUntil(() => result !== undefined, 10_000);
  return result!;
}

export const clusterIP = (cluster: Cluster) => cluster.kubectl.getObjects<Service>('services').find((s) => s.metadata.name === 'web')!.spec!.clusterIP!;
