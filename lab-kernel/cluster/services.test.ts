import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { iptablesSave } from '../net/iptables-save';
import { clusterIP, request, servicesCluster } from './services.fixture';

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
