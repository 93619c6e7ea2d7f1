import type { HttpAnswer, HttpRequest } from '../runtime/resource-consumer';
import type { Pod } from '../api/types';
import { formatIp } from '../net/ipv4';
import type { NetNamespace } from '../net/namespace';
import type { ExchangeResult } from '../net/sockets';
import type { Cluster } from './cluster';
import { networkLabels } from './pod-network-view';
import { LAN_ROUTER, UNDERLAY } from './pod-network';

/**
 * Requests to a Service as a client sees them, for the notebooks: from a pod, from a node, or
 * from a machine off the cluster (the LAN's router, 192.168.1.1, which is on the nodes' LAN but
 * runs no kube-proxy and has no route to the pods), and which pod answered and what it saw.
 *
 *   serviceRequest(cluster, 'client', '10.96.0.20')        // a pod: => { outcome: 'response', trace, ... }
 *   serviceRequest(cluster, OFF_CLUSTER, '192.168.1.11', 31234)   // the LAN's router to node-1's NodePort
 *   whoAnswered(cluster, result)   // => { pod: 'default/web-2', client: '192.168.1.11:51234' }: the source the pod saw
 *   answerCounts(cluster, 'client', '10.96.0.20', 60)   // => [{ pod: 'default/web-1', answers: 21 }, ...]
 *   httpAnswer(result)   // => { code: 200, body: '<title>Welcome to nginx!</title>' }, or { error: 'ETIMEDOUT' }
 *
 * A request is one TCP exchange (the SYN, the answer), run in virtual time until it is answered
 * or given up (after 3 s); the trace (net/packet-trace.ts) is the one the datapath recorded.
 */
export const OFF_CLUSTER = 'off-cluster';

/** The network namespace `from` sends from: a pod of the default namespace, a node, or OFF_CLUSTER (the LAN's router). */
export function clientNamespace(cluster: Cluster, from: string): NetNamespace {
  if (from === OFF_CLUSTER) return cluster.network.underlay;
  if (cluster.kubelets.some((k) => k.node.name === from)) return cluster.network.net.namespace(from);
  const labels = networkLabels(cluster);
  const ns = Object.keys(labels).find((n) => labels[n] === `default/${from}`);
  if (ns === undefined) throw new Error(`${from} is neither a node, a running pod of the default namespace, nor OFF_CLUSTER`);
  return cluster.network.net.namespace(ns);
}

/** One TCP request from a pod of the default namespace, a node, or OFF_CLUSTER to dst:port, carrying an HTTP GET of / (or `request`). */
export function serviceRequest(cluster: Cluster, from: string, dst: string, port = 80, request: HttpRequest = { method: 'GET', path: '/' }): ExchangeResult {
  let result: ExchangeResult | undefined;
  cluster.network.net.request(clientNamespace(cluster, from), { proto: 'tcp', dst, port, timeoutMs: 3_000, payload: request }, (r) => (result = r));
  cluster.runUntil(() => result !== undefined, 10_000);
  return result!;
}

/**
 * The pod whose listener got the request (the last one it reached: in userspace mode kube-proxy's
 * own listener comes first), and the client address it saw: the request's source as it arrived.
 * undefined when no pod's listener got it.
 */
export function whoAnswered(cluster: Cluster, result: ExchangeResult): { pod: string; client: string } | undefined {
  const labels = networkLabels(cluster);
  const hops = result.trace.hops;
  for (let i = hops.length - 1; i >= 0; i--) {
    const h = hops[i];
    if (h.kind !== 'deliver' || !h.to.startsWith('tcp listener') || labels[h.ns] === undefined || h.ns === labels[h.ns]) continue;
    const rx = hops.slice(0, i).reverse().find((r) => r.kind === 'rx' && r.ns === h.ns && r.packet.id === h.packetId);
    if (rx === undefined || rx.kind !== 'rx') continue;
    return { pod: labels[h.ns], client: `${formatIp(rx.packet.src)}:${rx.packet.sport}` };
  }
  return undefined;
}

/** `count` requests from the same client: how many each pod answered (the pods that answered, by name), and how many failed. */
export function answerCounts(cluster: Cluster, from: string, dst: string, count: number, port = 80): { pod: string; podIP: string; answers: number }[] {
  const answers = new Map<string, number>();
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const r = serviceRequest(cluster, from, dst, port);
    const pod = r.outcome === 'response' ? whoAnswered(cluster, r)?.pod : undefined;
    if (pod === undefined) failed++;
    else answers.set(pod, (answers.get(pod) ?? 0) + 1);
  }
  const ips = new Map(cluster.kubectl.getObjects<Pod>('pods').map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p.status?.podIP ?? '']));
  const rows = [...answers].sort(([a], [b]) => a.localeCompare(b)).map(([pod, n]) => ({ pod, podIP: ips.get(pod) ?? '', answers: n }));
  return failed === 0 ? rows : [...rows, { pod: '(no answer)', podIP: '', answers: failed }];
}

/** What came back for an HTTP request: the status code and body, or the socket's error ('ETIMEDOUT', ...). */
export function httpAnswer(result: ExchangeResult): { code: number; body: string } | { error: string } {
  if (result.outcome !== 'response') return { error: result.error };
  const answer = result.response.payload as HttpAnswer;
  return { code: answer.code, body: answer.body };
}

/** networkLabels, with the LAN's namespace named for its part here: the client off the cluster. */
export function serviceLabels(cluster: Cluster): Record<string, string> {
  return Object.assign({}, networkLabels(cluster), { [UNDERLAY]: `off-cluster client ${LAN_ROUTER}` });
}
