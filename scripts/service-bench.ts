/**
 * Requests to a Service through kube-proxy's rules on the packet network, at scale (the issue's
 * target: 10,000 requests from pods to a Service with 10 endpoints across 3 nodes, each traced
 * end to end, in under 1 s wall):
 *
 *   npx ts-node --transpile-only scripts/service-bench.ts           # 10,000 requests
 *   npx ts-node --transpile-only scripts/service-bench.ts 2000
 *
 * A real cluster, 3 workers: a Deployment of 10 nginx pods spread over the workers behind the
 * ClusterIP Service web, and a busybox client pod on each worker. Once every node's kube-proxy
 * has written web's rules with all 10 endpoints, the clients send TCP requests to the ClusterIP
 * (through `cluster.network.net.request`, each with its packet trace, as kubectl exec's wget
 * does), taking turns; all are sent at once and the simulation runs until every one is
 * answered. An unmeasured first round of 1,000 warms the JIT up. Measured: wall-clock and CPU
 * seconds, requests per second, and which endpoints answered (the pod whose listener each
 * request was delivered to, from its trace), so that the number is one of 10,000 requests
 * spread over the Service's endpoints, not of refusals or of one pod.
 */
import { createCluster, type Cluster } from '../lab-kernel/cluster/cluster';
import type { Pod, Service } from '../lab-kernel/api/types';
import { iptablesSave } from '../lab-kernel/net/iptables-save';
import { parseIp } from '../lab-kernel/net/ipv4';
import type { NetNamespace } from '../lab-kernel/net/namespace';
import type { ExchangeResult } from '../lab-kernel/net/sockets';

export interface ServiceBenchResult {
  requests: number;
  answered: number;
  /** The Service's endpoints, and how many of them answered some request. */
  endpoints: number;
  endpointsAnswering: number;
  /** Endpoint pods per worker node. */
  endpointsPerNode: Record<string, number>;
  /** Wall-clock seconds from the first request sent to the last answer, and CPU seconds meanwhile. */
  seconds: number;
  cpuSeconds: number;
  virtualMs: number;
  /** Hops in the traces, per request (request, reply and what happened on the way). */
  hopsPerRequest: number;
}

const WORKERS = 3;
const ENDPOINTS = 10;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: ${ENDPOINTS}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: nginx:1.27, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
`;

const client = (node: string) => `apiVersion: v1
kind: Pod
metadata: { name: client-${node}, namespace: default, labels: { app: client } }
spec:
  nodeName: ${node}
  containers: [{ name: main, image: busybox:1.36, command: [sleep, '3600'] }]
`;

interface ServiceLab {
  cluster: Cluster;
  clusterIP: string;
  clients: NetNamespace[];
  endpointsPerNode: Record<string, number>;
}

const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** The cluster, its Service's rules on every node; throws when it does not get there. */
function serviceLab(): ServiceLab {
  const cluster = createCluster({ seed: 1, workers: WORKERS });
  const workers = Array.from({ length: WORKERS }, (_, i) => `node-${i + 1}`);
  cluster.apply(WEB);
  for (const node of workers) cluster.apply(client(node));
  const pods = () => cluster.kubectl.getObjects<Pod>('pods');
  if (!cluster.runUntil(() => pods().filter(ready).length === ENDPOINTS + WORKERS, 120_000)) throw new Error('the pods did not all get ready');
  const service = cluster.kubectl.getObjects<Service>('services').find((s) => s.metadata.name === 'web')!;
  const clusterIP = service.spec!.clusterIP!;
  const dnats = (node: string) => iptablesSave(cluster.network.net.namespace(node).netfilter, cluster.now(), ['nat']).split('\n').filter((l) => l.includes('-j DNAT') && l.includes('"default/web"')).length;
  const nodes = [...cluster.network.proxies.keys()];
  if (!cluster.runUntil(() => nodes.every((n) => dnats(n) === ENDPOINTS), 30_000)) throw new Error(`kube-proxy did not write web's ${ENDPOINTS} endpoints on every node: ${nodes.map((n) => `${n} ${dnats(n)}`).join(', ')}`);
  const endpointsPerNode: Record<string, number> = {};
  for (const p of pods().filter((p) => p.metadata.labels?.app === 'web')) endpointsPerNode[p.spec!.nodeName!] = (endpointsPerNode[p.spec!.nodeName!] ?? 0) + 1;
  if (Object.keys(endpointsPerNode).length !== WORKERS || workers.some((n) => endpointsPerNode[n] === undefined)) throw new Error(`the endpoints are not on the ${WORKERS} workers: ${JSON.stringify(endpointsPerNode)}`);
  const namespaces = [...cluster.network.net.namespaces.values()];
  const clients = workers.map((node) => {
    const ip = parseIp(pods().find((p) => p.metadata.name === `client-${node}`)!.status!.podIP!);
    return namespaces.find((ns) => !ns.root && ns.isLocal(ip))!;
  });
  return { cluster, clusterIP, clients, endpointsPerNode };
}

/** Sends n requests (the clients taking turns) and runs until all are answered; the answers' endpoints, by pod namespace. */
function round(lab: ServiceLab, n: number): { answered: number; answeredBy: Set<string>; hops: number; errors: string[] } {
  const answeredBy = new Set<string>();
  const errors: string[] = [];
  let finished = 0;
  let answered = 0;
  let hops = 0;
  const done = (r: ExchangeResult) => {
    finished++;
    hops += r.trace.hops.length;
    if (r.outcome !== 'response') return void errors.push(r.error);
    answered++;
    const delivered = r.trace.hops.find((h) => h.kind === 'deliver' && h.to === 'tcp listener :80');
    if (delivered !== undefined) answeredBy.add(delivered.ns);
  };
  for (let i = 0; i < n; i++) {
    lab.cluster.network.net.request(lab.clients[i % lab.clients.length], { proto: 'tcp', dst: lab.clusterIP, port: 80, timeoutMs: 3_000, payload: { method: 'GET', path: '/' } }, done);
  }
  lab.cluster.runUntil(() => finished === n, 10_000);
  return { answered, answeredBy, hops, errors };
}

export function serviceBench(requests = 10_000): ServiceBenchResult {
  const lab = serviceLab();
  round(lab, 1_000); // warm-up
  (globalThis as { gc?: () => void }).gc?.(); // under npm run bench (--expose-gc): the cluster's garbage is not collected on the clock
  const t0 = lab.cluster.now();
  const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
  const cpu = process.cpuUsage();
  const r = round(lab, requests);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  if (r.answered !== requests) throw new Error(`${requests - r.answered} of ${requests} requests not answered (${[...new Set(r.errors)].join(', ')})`);
  return {
    requests,
    answered: r.answered,
    endpoints: ENDPOINTS,
    endpointsAnswering: r.answeredBy.size,
    endpointsPerNode: lab.endpointsPerNode,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    virtualMs: lab.cluster.now() - t0,
    hopsPerRequest: r.hops / requests,
  };
}

export function describeServiceBench(r: ServiceBenchResult): string {
  const spread = Object.entries(r.endpointsPerNode).map(([n, k]) => `${k} on ${n}`).join(', ');
  return (
    `${r.requests.toLocaleString('en-US')} requests to a ClusterIP (${r.endpoints} endpoints: ${spread}), ${r.hopsPerRequest.toFixed(1)} traced hops each: ` +
    `${r.seconds.toFixed(3)} s wall, ${r.cpuSeconds.toFixed(3)} s CPU, ${Math.round(r.requests / r.seconds).toLocaleString('en-US')} requests/s; ` +
    `${r.answered.toLocaleString('en-US')} answered by ${r.endpointsAnswering} endpoints (${(r.virtualMs).toFixed(1)} ms virtual)`
  );
}

if (require.main === module) {
  const n = Number(process.argv[2]) || 10_000;
  console.log(describeServiceBench(serviceBench(n)));
}
