import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../api/types';
import { iptablesSave } from '../net/iptables-save';
import { parseIp } from '../net/ipv4';
import type { NetNamespace } from '../net/namespace';
import type { ExchangeResult } from '../net/sockets';
import { createCluster, type Cluster } from './cluster';

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
function servicesCluster(): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(WEB);
  cluster.apply(pod('web-1', 'node-1', 'nginx:1.27', { app: 'web' }));
  cluster.apply(pod('web-2', 'node-2', 'nginx:1.27', { app: 'web' }));
  cluster.apply(pod('client', 'node-1', 'busybox:1.36', { app: 'client' }, ['sleep', '3600']));
  const ready = () => cluster.kubectl.getObjects<Pod>('pods').filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === 3;
  if (!cluster.runUntil(ready, 60_000)) throw new Error('the pods did not get ready');
  cluster.runFor(2_000); // the EndpointSlice, then each kube-proxy's sync
  return cluster;
}

/** The pod's network namespace: the one (not a node's) that holds its IP. */
function podNamespace(cluster: Cluster, name: string): NetNamespace {
  const ip = parseIp(cluster.kubectl.getObjects<Pod>('pods').find((p) => p.metadata.name === name)!.status!.podIP!);
  return [...cluster.network.net.namespaces.values()].find((ns) => !ns.root && ns.isLocal(ip))!;
}

/** A TCP request from the pod to port 80 of dst, given up after 3 s. */
function request(cluster: Cluster, from: string, dst: string): ExchangeResult {
  let result: ExchangeResult | undefined;
  cluster.network.net.request(podNamespace(cluster, from), { proto: 'tcp', dst, port: 80, timeoutMs: 3_000, payload: { method: 'GET', path: '/' } }, (r) => (result = r));
  cluster.runUntil(() => result !== undefined, 10_000);
  return result!;
}

const clusterIP = (cluster: Cluster) => cluster.kubectl.getObjects<Service>('services').find((s) => s.metadata.name === 'web')!.spec!.clusterIP!;

describe('Services on the packet network (kube-proxy in iptables mode on every node)', () => {
  it("writes the Service's chains into every node's nat table, the endpoints on both nodes", () => {
    const cluster = servicesCluster();
    for (const node of ['control-plane', 'node-1', 'node-2']) {
      const nat = iptablesSave(cluster.network.net.namespace(node).netfilter, cluster.now(), ['nat']);
      expect(nat, node).toContain(`-A KUBE-SERVICES -d ${clusterIP(cluster)}/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-`);
      expect(nat.split('\n').filter((l) => l.includes('-j DNAT')).length, node).toBe(2);
    }
  });

  it('carries a request from a pod to the ClusterIP, DNATed to an endpoint on either node: both answer over many requests', () => {
    const cluster = servicesCluster();
    const hosts = new Set<string>();
    const ips = cluster.kubectl.getObjects<Pod>('pods').filter((p) => p.metadata.labels?.app === 'web').map((p) => p.status!.podIP!);
    for (let i = 0; i < 12; i++) {
      const out = cluster.kubectl.exec('client', ['wget', '-qO-', `http://${clusterIP(cluster)}/`]);
      expect(out).toBe('<title>Welcome to nginx!</title>\n');
      const entries = cluster.network.net.namespace('node-1').conntrack.list(cluster.now());
      for (const ip of ips) if (entries.some((e) => e.includes(`src=${ip} `))) hosts.add(ip);
    }
    expect([...hosts].sort()).toEqual([...ips].sort());
  });

  it("fails a pod's requests to the Service once the Service's KUBE-SVC chain on its node is flushed: the ClusterIP is a rule, not an address", () => {
    const cluster = servicesCluster();
    expect(request(cluster, 'client', clusterIP(cluster)).outcome).toBe('response');
    const nf = cluster.network.net.namespace('node-1').netfilter;
    const svc = iptablesSave(nf, cluster.now(), ['nat']).match(/-j (KUBE-SVC-[A-Z0-9]{16})/)![1];
    nf.flush('nat', svc);
    const r = request(cluster, 'client', clusterIP(cluster));
    expect(r.outcome).toBe('error');
    // The same request from node-2's own pods' point of view is untouched: each node has its own rules.
    expect(iptablesSave(cluster.network.net.namespace('node-2').netfilter, cluster.now(), ['nat'])).toContain(`-A ${svc} `);
  });
});
