import { evaluateTable } from '../../solutions/net/netfilter-eval';
import { describe, expect, it } from 'vitest';
import { encapsulate } from '../../solutions/cni/vxlan-encap';
import { routeDecision } from '../../solutions/net/route-lookup';
import { Simulation } from '../sim/simulation';
import { parseIp } from './ipv4';
import type { NetNamespace } from './namespace';
import { PacketNetwork } from './packet-network';
import { routeLookupOf } from './route-lookup-contract';
import type { ExchangeResult } from './sockets';

const MAC = { 'node-1': '5a:0e:36:b1:7c:01', 'node-2': '5a:0e:36:b1:7c:02' };

/**
 * Two nodes on one wire (eth0 192.168.1.11 and .12), each with a pod behind cni0 (10.244.1.2,
 * 10.244.2.2) and flannel.1 as flanneld sets it up; `entries: false` leaves out node-1's
 * neighbour and FDB entries for node-2.
 */
function lab(options: { fdb?: boolean } = {}) {
  const sim = new Simulation({ seed: 1 });
  const net = new PacketNetwork(sim, routeLookupOf(routeDecision), { vxlanEncap: encapsulate, netfilterEval: evaluateTable });
  const nodes = ([1, 2] as const).map((n) => net.addNamespace(`node-${n}`, { root: true }));
  net.addVeth(nodes[0], 'eth0', nodes[1], 'eth0');
  const pods = ([1, 2] as const).map((n) => {
    const node = nodes[n - 1];
    node.addAddress('eth0', `192.168.1.1${n}/24`);
    node.setUp('eth0');
    node.ipForward = true;
    net.addBridge(node, 'cni0');
    node.addAddress('cni0', `10.244.${n}.1/24`);
    node.setUp('cni0');
    const pod = net.addNamespace(`pod-${n}`);
    net.addVeth(pod, 'eth0', node, 'veth0');
    net.setMaster(node, 'veth0', 'cni0');
    node.setUp('veth0');
    pod.addAddress('eth0', `10.244.${n}.2/24`);
    pod.setUp('eth0');
    pod.addRoute({ dst: 'default', via: `10.244.${n}.1`, dev: 'eth0' });
    net.addVxlan(node, 'flannel.1', { vni: 1, local: `192.168.1.1${n}`, dev: 'eth0' }, MAC[`node-${n}`]);
    node.addAddress('flannel.1', `10.244.${n}.0/32`);
    node.setUp('flannel.1');
    return pod;
  });
  const peer = (node: NetNamespace, n: 1 | 2) => {
    node.addRoute({ dst: `10.244.${n}.0/24`, via: `10.244.${n}.0`, dev: 'flannel.1', onlink: true });
    node.neighbours.addPermanent('flannel.1', parseIp(`10.244.${n}.0`), MAC[`node-${n}`]);
    if (options.fdb !== false || n === 1) node.device('flannel.1').vxlan!.fdb.add(MAC[`node-${n}`], parseIp(`192.168.1.1${n}`));
  };
  peer(nodes[0], 2);
  peer(nodes[1], 1);
  net.listen(pods[1], 'tcp', 80, (_req, reply) => reply({ length: 612, payload: 'nginx' }));
  const get = (): ExchangeResult => {
    let result: ExchangeResult | undefined;
    net.request(pods[0], { proto: 'tcp', dst: '10.244.2.2', port: 80, length: 60 }, (r) => (result = r));
    sim.runUntil(() => result !== undefined, 5_000);
    return result!;
  };
  return { net, nodes, pods, get };
}

describe('a vxlan device (flannel.1)', () => {
  it('is made as `ip link add flannel.1 type vxlan id 1 local <node IP> dev eth0 dstport 8472 nolearning`, with MTU 1450 over a 1500-byte eth0', () => {
    const { nodes } = lab();
    expect(nodes[0].device('flannel.1').describe()).toBe('flannel.1 vxlan 5a:0e:36:b1:7c:01 up mtu 1450 vxlan id 1 local 192.168.1.11 dev eth0 dstport 8472 nolearning 10.244.1.0/32');
    expect(nodes[0].device('flannel.1').vxlan!.fdb.show()).toEqual(['5a:0e:36:b1:7c:02 dst 192.168.1.12 self permanent']);
    expect(nodes[0].neighbours.show(1e9)).toContain('10.244.2.0 dev flannel.1 lladdr 5a:0e:36:b1:7c:02 PERMANENT');
  });

  it('wraps a packet routed into it in UDP to the remote VTEP port 8472 out of eth0, and the other node unwraps it on its flannel.1', () => {
    const r = lab().get();
    expect(r.outcome === 'response' && r.response.payload).toBe('nginx');
    const first = r.trace.path()[0].packetId;
    expect(r.trace.path().filter((h) => h.packetId === first).map((h) => `${h.ns} ${h.dev} ${h.kind}`)).toEqual([
      'pod-1 eth0 tx', 'node-1 veth0 rx', 'node-1 cni0 rx', 'node-1 flannel.1 tx', 'node-1 eth0 tx',
      'node-2 eth0 rx', 'node-2 flannel.1 rx', 'node-2 cni0 tx', 'node-2 veth0 tx', 'pod-2 eth0 rx',
    ]);
    const lines = r.trace.lines();
    expect(lines.find((l) => l.includes('encap'))).toMatch(/node-1 +encap flannel\.1 vni 1: 10\.244\.1\.2:\d+ > 10\.244\.2\.2:80 in 192\.168\.1\.11:\d+ > 192\.168\.1\.12:8472$/);
    expect(lines.find((l) => l.includes('decap'))).toMatch(/node-2 +decap flannel\.1 vni 1: 192\.168\.1\.11:\d+ > 192\.168\.1\.12:8472 carried 10\.244\.1\.2:\d+ > 10\.244\.2\.2:80$/);
    const eth0 = r.trace.tcpdump('eth0', 'node-1', false);
    expect(eth0[0]).toMatch(/^IP 192\.168\.1\.11\.\d+ > 192\.168\.1\.12\.8472: OTV, flags \[I\] \(0x08\), overlay 0, instance 1$/);
    expect(eth0[1]).toMatch(/^IP 10\.244\.1\.2\.\d+ > 10\.244\.2\.2\.80: Flags \[S\], length 60$/);
    expect(r.trace.tcpdump('flannel.1', 'node-2', false)[0]).toBe(eth0[1]);
  });

  it('drops a packet whose MAC has no FDB entry, and the trace says why', () => {
    const r = lab({ fdb: false }).get();
    expect(r.outcome === 'error' && r.error).toBe('ETIMEDOUT');
    expect(r.trace.lines().filter((l) => l.includes('drop'))).toEqual([expect.stringMatching(/node-1 +drop: vxlan flannel\.1: no FDB entry for 5a:0e:36:b1:7c:02 on flannel\.1$/)]);
  });

  it('drops a VXLAN packet for a VNI it has no device for', () => {
    const { net, nodes } = lab();
    net.addVxlan(nodes[0], 'flannel.2', { vni: 2, local: '192.168.1.11', dev: 'eth0' }, '5a:0e:36:b1:7c:09');
    nodes[0].setUp('flannel.2');
    nodes[0].addRoute({ dst: '10.244.9.0/24', via: '10.244.2.0', dev: 'flannel.2', onlink: true });
    nodes[0].neighbours.addPermanent('flannel.2', parseIp('10.244.2.0'), MAC['node-2']);
    nodes[0].device('flannel.2').vxlan!.fdb.add(MAC['node-2'], parseIp('192.168.1.12'));
    let result: ExchangeResult | undefined;
    net.request(net.namespace('pod-1'), { proto: 'udp', dst: '10.244.9.9', port: 53 }, (r) => (result = r));
    net.sim.runUntil(() => result !== undefined, 5_000);
    expect(result!.trace.lines().filter((l) => l.includes('drop'))).toEqual([expect.stringMatching(/node-2 +drop: vxlan: no device for VNI 2 on udp port 8472$/)]);
  });
});
