import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../api/types';
import { iptablesSave } from '../net/iptables-save';
import { parseIp } from '../net/ipv4';
import type { NetNamespace } from '../net/namespace';
import type { ExchangeResult } from '../net/sockets';
import { createCluster, type Cluster, type ClusterOptions } from './cluster';

const pod = (name: string, node: string, image: string, command?: string[]) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: default }
spec:
  nodeName: ${node}
  containers: [{ name: main, image: ${image}${command === undefined ? '' : `, command: ${JSON.stringify(command)}`} }]
`;

/** A cluster with nginx pods web-1 on node-1 and web-2 on node-2, and a busybox pod client on node-1. */
function podsCluster(options: ClusterOptions = {}): Cluster {
  const cluster = createCluster({ seed: 1, ...options });
  cluster.apply(pod('web-1', 'node-1', 'nginx:1.27'));
  cluster.apply(pod('web-2', 'node-2', 'nginx:1.27'));
  cluster.apply(pod('client', 'node-1', 'busybox:1.36', ['sleep', '3600']));
  const running = () => cluster.kubectl.getObjects<Pod>('pods').filter((p) => p.status?.phase === 'Running').length === 3;
  if (!cluster.runUntil(running, 60_000)) throw new Error('the pods did not start');
  return cluster;
}

const ipOf = (cluster: Cluster, name: string) => cluster.kubectl.getObjects<Pod>('pods').find((p) => p.metadata.name === name)!.status!.podIP!;

/** The pod's network namespace: the one (not a node's) that holds its IP. */
function namespaceOf(cluster: Cluster, name: string): NetNamespace {
  const ip = parseIp(ipOf(cluster, name));
  return [...cluster.network.net.namespaces.values()].find((ns) => !ns.root && ns.name.startsWith('cni-') && ns.isLocal(ip))!;
}

function exchange(cluster: Cluster, start: (done: (r: ExchangeResult) => void) => void): ExchangeResult {
  let result: ExchangeResult | undefined;
  start((r) => (result = r));
  cluster.runUntil(() => result !== undefined, 5_000);
  return result!;
}

/** The interfaces the request's first packet crossed: 'ns dev' per rx/tx, a pod's namespace as 'pod'. */
function hops(r: ExchangeResult): string[] {
  const first = r.trace.path()[0].packetId;
  return r.trace.path().filter((h) => h.packetId === first).map((h) => `${h.ns.startsWith('cni-') ? 'pod' : h.ns} ${h.dev.replace(/^veth[0-9a-f]{8}$/, 'veth*')} ${h.kind}`);
}

describe('the pods on the packet network (bridge CNI plugin, host-gw)', () => {
  it('lets two pods on one node reach each other through cni0', () => {
    const cluster = podsCluster();
    const r = exchange(cluster, (done) => cluster.network.net.request(namespaceOf(cluster, 'client'), { proto: 'tcp', dst: ipOf(cluster, 'web-1'), port: 80, payload: { method: 'GET', path: '/' } }, done));
    expect(r.outcome === 'response' && r.response.payload).toEqual({ code: 200, body: '<title>Welcome to nginx!</title>' });
    expect(hops(r)).toEqual(['pod eth0 tx', 'node-1 veth* rx', 'node-1 veth* tx', 'pod eth0 rx']);
    expect(r.trace.lines().filter((l) => l.includes('bridge cni0')).length).toBe(2);
  });

  it("carries a request from a pod on node-1 to a pod on node-2 in host-gw mode: pod eth0, veth, cni0, node-1 eth0, the LAN, node-2 eth0, cni0, veth, pod, with the pod's own address (no NAT between pods)", () => {
    const cluster = podsCluster();
    const r = exchange(cluster, (done) => cluster.network.net.request(namespaceOf(cluster, 'client'), { proto: 'tcp', dst: ipOf(cluster, 'web-2'), port: 80, payload: { method: 'GET', path: '/' } }, done));
    expect(r.outcome).toBe('response');
    expect(hops(r)).toEqual([
      'pod eth0 tx', 'node-1 veth* rx', 'node-1 cni0 rx', 'node-1 eth0 tx',
      'underlay node-1 rx', 'underlay node-2 tx',
      'node-2 eth0 rx', 'node-2 cni0 tx', 'node-2 veth* tx', 'pod eth0 rx',
    ]);
    expect(r.trace.lines().filter((l) => / route 10\.244\.2\./.test(l))[1]).toMatch(/node-1 +route 10\.244\.2\.\d+: 10\.244\.2\.0\/24 via 192\.168\.1\.12 dev eth0$/);
    // flanneld's FLANNEL-POSTRTG returns pod-to-pod traffic before its MASQUERADE: node-2 sees the client pod's address.
    const client = ipOf(cluster, 'client').replace(/\./g, '\\.');
    expect(r.trace.tcpdump('eth0', 'node-2', false)[0]).toMatch(new RegExp(`^IP ${client}\\.\\d+ > 10\\.244\\.2\\.\\d+\\.80: Flags \\[S\\], length \\d+$`));
  });

  it("masquerades a pod's request to an address outside the cluster behind its node's address, as conntrack shows", () => {
    const cluster = podsCluster();
    cluster.network.net.listen(cluster.network.underlay, 'tcp', 80, (_req, reply) => reply({ length: 2, payload: { code: 200, body: 'ok' } }));
    const client = ipOf(cluster, 'client');
    const r = exchange(cluster, (done) => cluster.network.net.request(namespaceOf(cluster, 'client'), { proto: 'tcp', dst: '192.168.1.1', port: 80 }, done));
    expect(r.outcome).toBe('response');
    const entries = cluster.network.net.namespace('node-1').conntrack.list(cluster.now());
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^tcp +6 \d+ TIME_WAIT /);
    expect(entries[0]).toContain(`src=${client} dst=192.168.1.1 `);
    expect(entries[0]).toContain(' src=192.168.1.1 dst=192.168.1.11 sport=80 ');
  });

  it("runs busybox's wget in a pod to a pod on another node, through the network", () => {
    const cluster = podsCluster();
    expect(cluster.kubectl.exec('client', ['wget', '-qO-', `http://${ipOf(cluster, 'web-2')}/`])).toBe('<title>Welcome to nginx!</title>\n');
    expect(cluster.kubectl.exec('client', ['wget', '-qO-', `http://${ipOf(cluster, 'web-2')}:8080/`])).toBe(
      `wget: can't connect to remote host (${ipOf(cluster, 'web-2')}): Connection refused\ncommand terminated with exit code 1`,
    );
  });

  it("shows flanneld's masquerade rules in its node's iptables-save and no chain per pod; deleting a pod removes its namespace and veth", () => {
    const cluster = podsCluster();
    const node1 = cluster.network.net.namespace('node-1');
    const netns = namespaceOf(cluster, 'web-1').name;
    const save = () => iptablesSave(node1.netfilter, cluster.now(), ['nat']);
    const rules = save().split('\n').filter((l) => l.includes('flanneld'));
    expect(rules).toEqual([
      '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
      '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
      '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    ]);
    expect(save()).not.toContain(':CNI-');
    const veths = () => node1.device('cni0').ports.map((p) => p.name);
    expect(veths()).toHaveLength(2);
    cluster.kubectl.delete('pod', 'web-1');
    cluster.runUntil(() => cluster.kubectl.getObjects<Pod>('pods').length === 2, 60_000);
    expect([cluster.network.net.namespaces.has(netns), veths().length]).toEqual([false, 1]);
  });

  it("gives a pod flannel's routes: the default and the cluster's pod network via cni0's address", () => {
    const cluster = podsCluster();
    expect(namespaceOf(cluster, 'web-1').routes.show()).toEqual(['default via 10.244.1.1 dev eth0', '10.244.0.0/16 via 10.244.1.1 dev eth0', '10.244.1.0/24 dev eth0 proto kernel scope link src ' + ipOf(cluster, 'web-1')]);
  });

  it('routes every node to a node that joins, and the node that joins to every other; a Node deleted loses its routes', () => {
    const cluster = createCluster({ seed: 1 });
    const kubelet = cluster.joinNode('node-3');
    cluster.runUntil(() => kubelet.isRegistered(), 10_000);
    cluster.runFor(1_000);
    const routes = (node: string) => cluster.network.net.namespace(node).routes.show().filter((r) => r.includes(' via 192.168.1.1') && !r.startsWith('default'));
    expect(routes('node-1')).toEqual(['10.244.0.0/24 via 192.168.1.10 dev eth0', '10.244.2.0/24 via 192.168.1.12 dev eth0', '10.244.3.0/24 via 192.168.1.13 dev eth0']);
    expect(routes('node-3')).toEqual(['10.244.0.0/24 via 192.168.1.10 dev eth0', '10.244.1.0/24 via 192.168.1.11 dev eth0', '10.244.2.0/24 via 192.168.1.12 dev eth0']);
    cluster.kubectl.delete('node', 'node-3');
    cluster.runFor(1_000);
    expect(routes('node-1')).toEqual(['10.244.0.0/24 via 192.168.1.10 dev eth0', '10.244.2.0/24 via 192.168.1.12 dev eth0']);
  });
});

describe("the pod network in flannel's vxlan mode", () => {
  /** busybox's wget from client (node-1) to web-2 (node-2), and the trace of the same request over the network. */
  function wgetAcross(podNetwork: 'vxlan' | 'host-gw') {
    const cluster = podsCluster({ podNetwork });
    const page = cluster.kubectl.exec('client', ['wget', '-qO-', `http://${ipOf(cluster, 'web-2')}/`]);
    const r = exchange(cluster, (done) => cluster.network.net.request(namespaceOf(cluster, 'client'), { proto: 'tcp', dst: ipOf(cluster, 'web-2'), port: 80, payload: { method: 'GET', path: '/' } }, done));
    return { cluster, page, r };
  }

  it('carries a wget from a busybox pod on node-1 to an nginx pod on node-2 through flannel.1: wrapped in UDP to 8472 across eth0, unwrapped on flannel.1', () => {
    const { cluster, page, r } = wgetAcross('vxlan');
    expect(page).toBe('<title>Welcome to nginx!</title>\n');
    expect(r.outcome).toBe('response');
    expect(hops(r)).toEqual([
      'pod eth0 tx', 'node-1 veth* rx', 'node-1 cni0 rx', 'node-1 flannel.1 tx', 'node-1 eth0 tx',
      'underlay node-1 rx', 'underlay node-2 tx',
      'node-2 eth0 rx', 'node-2 flannel.1 rx', 'node-2 cni0 tx', 'node-2 veth* tx', 'pod eth0 rx',
    ]);
    const lines = r.trace.lines();
    // The inner packet keeps the client pod's own address: flanneld masquerades only what leaves the pod network.
    const client = ipOf(cluster, 'client').replace(/\./g, '\\.');
    expect(lines.find((l) => / encap /.test(l))).toMatch(new RegExp(`node-1 +encap flannel\\.1 vni 1: ${client}:\\d+ > 10\\.244\\.2\\.\\d+:80 in 192\\.168\\.1\\.11:\\d+ > 192\\.168\\.1\\.12:8472$`));
    expect(lines.find((l) => / decap /.test(l))).toMatch(new RegExp(`node-2 +decap flannel\\.1 vni 1: 192\\.168\\.1\\.11:\\d+ > 192\\.168\\.1\\.12:8472 carried ${client}:\\d+ > 10\\.244\\.2\\.\\d+:80$`));
    const eth0 = r.trace.tcpdump('eth0', 'node-1', false);
    expect(eth0.slice(0, 2)).toEqual([
      expect.stringMatching(/^IP 192\.168\.1\.11\.\d+ > 192\.168\.1\.12\.8472: OTV, flags \[I\] \(0x08\), overlay 0, instance 1$/),
      expect.stringMatching(new RegExp(`^IP ${client}\\.\\d+ > 10\\.244\\.2\\.\\d+\\.80: Flags \\[S\\], length \\d+$`)),
    ]);
  });

  it('carries the same request in host-gw mode without any encapsulation', () => {
    const { page, r } = wgetAcross('host-gw');
    expect(page).toBe('<title>Welcome to nginx!</title>\n');
    expect(r.trace.lines().filter((l) => / (encap|decap) |flannel\.1|8472/.test(l))).toEqual([]);
  });

  it("sets each node up as flanneld's vxlan backend does: flannel.1 with its subnet's .0/32 and MTU 1450, its VtepMAC on its Node, a route, neighbour and FDB entry per other node, and MTU 1450 in the pods", () => {
    const { cluster } = wgetAcross('vxlan');
    const node1 = cluster.network.net.namespace('node-1');
    const flannel1 = node1.device('flannel.1');
    expect(flannel1.describe()).toBe(`flannel.1 vxlan ${flannel1.mac} up mtu 1450 vxlan id 1 local 192.168.1.11 dev eth0 dstport 8472 nolearning 10.244.1.0/32`);
    const node2 = cluster.kubectl.getObjects<Node>('nodes', 'node-2')[0];
    const vtep2 = cluster.network.net.namespace('node-2').device('flannel.1').mac;
    expect(node2.metadata.annotations).toMatchObject({
      'flannel.alpha.coreos.com/backend-data': `{"VNI":1,"VtepMAC":"${vtep2}"}`,
      'flannel.alpha.coreos.com/backend-type': 'vxlan',
      'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
      'flannel.alpha.coreos.com/public-ip': '192.168.1.12',
    });
    expect(node1.routes.show().filter((r) => r.includes('flannel.1'))).toEqual(['10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink', '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink']);
    expect(node1.neighbours.show(cluster.now())).toContain(`10.244.2.0 dev flannel.1 lladdr ${vtep2} PERMANENT`);
    expect(flannel1.vxlan!.fdb.show()).toContain(`${vtep2} dst 192.168.1.12 self permanent`);
    expect(namespaceOf(cluster, 'client').device('eth0').mtu).toBe(1450);
    expect(node1.device('cni0').mtu).toBe(1450);
  });

  it('removes a deleted Node\'s route, neighbour and FDB entry from the other nodes', () => {
    const cluster = createCluster({ seed: 1, podNetwork: 'vxlan' });
    cluster.runFor(1_000);
    const node1 = cluster.network.net.namespace('node-1');
    const vtep2 = cluster.network.net.namespace('node-2').device('flannel.1').mac;
    const entries = () => [node1.routes.show().filter((r) => r.startsWith('10.244.2.')), node1.neighbours.show(cluster.now()).filter((n) => n.startsWith('10.244.2.0 ')), node1.device('flannel.1').vxlan!.fdb.show().filter((f) => f.startsWith(vtep2))].map((x) => x.length);
    expect(entries()).toEqual([1, 1, 1]);
    cluster.kubectl.delete('node', 'node-2');
    cluster.runFor(1_000);
    expect(entries()).toEqual([0, 0, 0]);
  });
});
