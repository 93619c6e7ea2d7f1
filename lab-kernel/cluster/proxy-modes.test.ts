import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { iptablesSave } from '../net/iptables-save';
import { parseIp } from '../net/ipv4';
import type { ExchangeResult } from '../net/sockets';
import type { UserspaceProxier } from '../proxy/userspace-proxier';
import type { Cluster } from './cluster';
import { clusterIP, request, servicesCluster } from './services.fixture';

const webIPs = (cluster: Cluster) =>
  cluster.kubectl
    .getObjects<Pod>('pods')
    .filter((p) => p.metadata.labels?.app === 'web')
    .map((p) => p.status!.podIP!)
    .sort();

const ok = (r: ExchangeResult) => {
  if (r.outcome !== 'response') throw new Error(`the request failed: ${r.error}\n${r.trace.lines().join('\n')}`);
  return r;
};

describe("kube-proxy in ipvs mode (createCluster({ proxyMode: 'ipvs' }))", () => {
  it("carries a pod's requests to the ClusterIP to the endpoints on both nodes in turn: IPVS's rr on the client's node", () => {
    const cluster = servicesCluster('ipvs');
    const chosen = [1, 2, 3, 4].map(() => {
      const hop = ok(request(cluster, 'client', clusterIP(cluster))).trace.hops.find((h) => h.kind === 'ipvs');
      expect(hop && hop.ns).toBe('node-1');
      return hop?.kind === 'ipvs' ? hop.realServer : undefined;
    });
    const [a, b] = webIPs(cluster).map((ip) => `${ip}:80`);
    expect(new Set(chosen.slice(0, 2))).toEqual(new Set([a, b]));
    expect(chosen.slice(2)).toEqual(chosen.slice(0, 2));
  });

  it('binds the ClusterIP to kube-ipvs0 and shows the virtual server and its real servers in ipvsadm -Ln', () => {
    const cluster = servicesCluster('ipvs');
    const ip = clusterIP(cluster);
    for (const node of ['control-plane', 'node-1', 'node-2']) {
      expect(cluster.network.net.namespace(node).device('kube-ipvs0').describe(), node).toContain(` ${ip}/32`);
      const lines = cluster.network.ipvsadm(node);
      const at = lines.indexOf(`TCP  ${ip}:80 rr`);
      expect(at, node).toBeGreaterThan(2);
      expect(lines.slice(at + 1, at + 3).map((l) => l.split(/\s+/).slice(2, 5).join(' ')), node).toEqual(webIPs(cluster).map((w) => `${w}:80 Masq 1`));
    }
  });

  it('removes the virtual server and the address from kube-ipvs0 when the Service is deleted', () => {
    const cluster = servicesCluster('ipvs');
    const ip = clusterIP(cluster);
    cluster.kubectl.delete('services', 'web');
    cluster.runFor(2_000);
    const node1 = cluster.network.net.namespace('node-1');
    expect(cluster.network.ipvsadm('node-1').some((l) => l.includes(`${ip}:80`))).toBe(false);
    expect(node1.isLocal(parseIp(ip))).toBe(false);
  });

  it("masquerades a client from off the cluster that routes the Service range to a node, so that the endpoint's reply comes back through that node", () => {
    const cluster = servicesCluster('ipvs');
    const router = cluster.network.underlay;
    const node1IP = cluster.network.net.namespace('node-1').device('eth0').addresses[0].ip;
    router.addRoute({ dst: '10.96.0.0/12', via: `${node1IP >>> 24}.${(node1IP >>> 16) & 255}.${(node1IP >>> 8) & 255}.${node1IP & 255}`, dev: 'br0' });
    const results = [1, 2].map(() => {
      let r: ExchangeResult | undefined;
      cluster.network.net.request(router, { proto: 'tcp', dst: clusterIP(cluster), port: 80, timeoutMs: 3_000, payload: { method: 'GET', path: '/' } }, (x) => (r = x));
      cluster.runUntil(() => r !== undefined, 10_000);
      return ok(r!);
    });
    for (const r of results) expect(r.trace.lines().some((l) => l.includes('node-1') && l.includes('MASQUERADE'))).toBe(true);
  });
});

describe("kube-proxy in userspace mode (createCluster({ proxyMode: 'userspace' }), removed in 1.26)", () => {
  it("redirects a pod's packet for the ClusterIP to kube-proxy's port on its node, which opens a second connection to an endpoint, round-robin", () => {
    const cluster = servicesCluster('userspace');
    const port = (cluster.network.proxies.get('node-1') as UserspaceProxier).proxyPort('default/web')!;
    const traces = [1, 2, 3].map(() => ok(request(cluster, 'client', clusterIP(cluster))).trace.lines());
    const first = traces[0];
    const steps = first.filter((l) => / {2}(REDIRECT 10|deliver|kube-proxy)/.test(l)).map((l) => l.replace(/^\S+\s+/, '').replace(/:\d{5} /g, ':<port> '));
    expect(steps[0]).toMatch(new RegExp(`^node-1 +REDIRECT 10\\.244\\.1\\.\\d+:<port> > ${clusterIP(cluster).replace(/\./g, '\\.')}:80 -> 10\\.244\\.1\\.\\d+:<port> > 10\\.244\\.1\\.1:${port}$`));
    expect(steps.slice(1).map((l) => l.replace(/accepted.*/, 'accepted ...').replace(/copying.*/, 'copying ...').replace(/\s+/, ' '))).toEqual([
      `node-1 deliver to tcp listener :${port}`,
      'node-1 kube-proxy (userspace): accepted ...',
      expect.stringMatching(/ deliver to tcp listener :80$/),
      'node-1 deliver to tcp client socket',
      'node-1 kube-proxy (userspace): copying ...',
      expect.stringMatching(/ deliver to tcp client socket$/),
    ]);
    const chosen = traces.map((t) => t.find((l) => l.includes('connecting to'))!.match(/connecting to (\S+):80/)![1]);
    expect(new Set(chosen.slice(0, 2))).toEqual(new Set(webIPs(cluster)));
    expect(chosen[2]).toBe(chosen[0]);
  });

  it('writes a KUBE-PORTALS-CONTAINER rule (REDIRECT) and a KUBE-PORTALS-HOST rule (DNAT to the node) per Service port', () => {
    const cluster = servicesCluster('userspace');
    const port = (cluster.network.proxies.get('node-1') as UserspaceProxier).proxyPort('default/web')!;
    const nat = iptablesSave(cluster.network.net.namespace('node-1').netfilter, cluster.now(), ['nat']);
    const ip = clusterIP(cluster);
    expect(nat).toContain(`-A KUBE-PORTALS-CONTAINER -d ${ip}/32 -p tcp -m comment --comment "default/web" -m tcp --dport 80 -j REDIRECT --to-ports ${port}`);
    expect(nat).toMatch(new RegExp(`-A KUBE-PORTALS-HOST -d ${ip}/32 -p tcp -m comment --comment "default/web" -m tcp --dport 80 -j DNAT --to-destination 192\\.168\\.1\\.\\d+:${port}`));
    expect(nat).toContain('-A PREROUTING -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-CONTAINER');
  });
});
