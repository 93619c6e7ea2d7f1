import { describe, expect, it } from 'vitest';
import { iptablesRestore } from './iptables-restore';
import { exchange, nodeLab, type NodeLab } from './scenario.fixture';

const SERVICE_RULES = [
  '*nat',
  ':SVC - [0:0]',
  '-A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j SVC',
  '-A SVC -m statistic --mode random --probability 0.33333333349 -j DNAT --to-destination 10.244.1.3:53',
  '-A SVC -m statistic --mode random --probability 0.50000000000 -j DNAT --to-destination 10.244.1.4:53',
  '-A SVC -j DNAT --to-destination 10.244.1.5:53',
  'COMMIT',
  '',
].join('\n');

function serviceLab(seed: number): NodeLab {
  const lab = nodeLab(seed);
  iptablesRestore(lab.node.netfilter, SERVICE_RULES, { noflush: true });
  for (const pod of lab.pods.slice(1, 4)) lab.net.listen(pod, 'udp', 53, (_req, reply) => reply({ length: 10, payload: pod.name }));
  return lab;
}

function endpointsChosen(lab: NodeLab, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = exchange(lab, (done) => lab.net.request(lab.pods[0], { proto: 'udp', dst: '10.96.0.10', port: 53, length: 40 }, done));
    out.push(r.outcome === 'response' ? String(r.response.payload) : r.error);
  }
  return out;
}

describe('a node: pods on a bridge, a route out and MASQUERADE', () => {
  it('answers a ping between two pods on the bridge, the bridge forwarding by learned MACs', () => {
    const lab = nodeLab();
    const r = exchange(lab, (done) => lab.net.ping(lab.pods[0], '10.244.1.3', {}, done));
    expect(r.outcome).toBe('response');
    expect(r.trace.lines().filter((l) => /bridge|arp|deliver/.test(l))).toEqual([
      '0.000 pod-a  arp who-has 10.244.1.3 on eth0: is-at 02:00:00:00:00:06',
      '0.050 node   bridge cni0: forward from veth-a to veth-b',
      '0.100 pod-b  deliver to kernel (echo request)',
      '0.100 pod-b  arp who-has 10.244.1.2 on eth0: is-at 02:00:00:00:00:04',
      '0.150 node   bridge cni0: forward from veth-b to veth-a',
      '0.200 pod-a  deliver to icmp client socket',
    ]);
    expect(r.trace.tcpdump('eth0', 'pod-b', false)).toEqual([
      'IP 10.244.1.2 > 10.244.1.3: ICMP echo request, id 1, seq 1, length 64',
      'IP 10.244.1.3 > 10.244.1.2: ICMP echo reply, id 1, seq 1, length 64',
    ]);
  });

  it('carries a UDP request out of the node masqueraded, and the reply back un-NATed, every hop traced', () => {
    const lab = nodeLab();
    const seen: string[] = [];
    lab.net.listen(lab.router, 'udp', 53, (req, reply) => {
      seen.push(`${req.from}`);
      reply({ length: 80, payload: 'answer' });
    });
    const r = exchange(lab, (done) => lab.net.request(lab.pods[0], { proto: 'udp', dst: '192.168.1.1', port: 53, length: 40 }, done));
    expect(r.outcome === 'response' && r.response.payload).toBe('answer');
    expect(seen).toEqual([String(0xc0a8010a)]); // 192.168.1.10: the node's address, not the pod's
    expect(r.trace.lines()).toEqual([
      '0.000 pod-a   route 192.168.1.1: default via 10.244.1.1 dev eth0',
      '0.000 pod-a   arp who-has 10.244.1.1 on eth0: is-at 02:00:00:00:00:01',
      '0.000 pod-a   tx eth0  IP 10.244.1.2.59471 > 192.168.1.1.53: UDP, length 40',
      '0.050 node    rx veth-a  IP 10.244.1.2.59471 > 192.168.1.1.53: UDP, length 40',
      "0.050 node    bridge cni0: from veth-a up to the bridge's own stack",
      '0.050 node    rx cni0  IP 10.244.1.2.59471 > 192.168.1.1.53: UDP, length 40',
      '0.050 node    route 192.168.1.1: 192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.10',
      '0.050 node    forward cni0 -> eth0, ttl 63',
      '0.050 node    nat POSTROUTING: -A POSTROUTING -s 10.244.1.0/24 ! -o cni0 -j MASQUERADE',
      '0.050 node    MASQUERADE 10.244.1.2:59471 > 192.168.1.1:53 -> 192.168.1.10:59471 > 192.168.1.1:53',
      '0.050 node    arp who-has 192.168.1.1 on eth0: is-at 02:00:00:00:00:03',
      '0.050 node    tx eth0  IP 192.168.1.10.59471 > 192.168.1.1.53: UDP, length 40',
      '0.100 router  rx eth0  IP 192.168.1.10.59471 > 192.168.1.1.53: UDP, length 40',
      '0.100 router  route 192.168.1.1: local 192.168.1.1 dev eth0',
      '0.100 router  deliver to udp listener :53',
      '1.000 router  route 192.168.1.10: 192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.1',
      '1.000 router  arp who-has 192.168.1.10 on eth0: is-at 02:00:00:00:00:02',
      '1.000 router  tx eth0  IP 192.168.1.1.53 > 192.168.1.10.59471: UDP, length 80',
      '1.050 node    rx eth0  IP 192.168.1.1.53 > 192.168.1.10.59471: UDP, length 80',
      '1.050 node    un-SNAT 192.168.1.1:53 > 192.168.1.10:59471 -> 192.168.1.1:53 > 10.244.1.2:59471',
      '1.050 node    route 10.244.1.2: 10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1',
      '1.050 node    forward eth0 -> cni0, ttl 63',
      '1.050 node    arp who-has 10.244.1.2 on cni0: is-at 02:00:00:00:00:04',
      '1.050 node    tx cni0  IP 192.168.1.1.53 > 10.244.1.2.59471: UDP, length 80',
      '1.050 node    bridge cni0: forward from cni0 to veth-a',
      '1.050 node    tx veth-a  IP 192.168.1.1.53 > 10.244.1.2.59471: UDP, length 80',
      '1.100 pod-a   rx eth0  IP 192.168.1.1.53 > 10.244.1.2.59471: UDP, length 80',
      '1.100 pod-a   route 10.244.1.2: local 10.244.1.2 dev eth0',
      '1.100 pod-a   deliver to udp client socket',
    ]);
    expect(lab.node.conntrack.list(lab.sim.now())).toEqual([
      'udp      17 29 src=10.244.1.2 dst=192.168.1.1 sport=59471 dport=53 src=192.168.1.1 dst=192.168.1.10 sport=53 dport=59471 mark=0 use=1',
    ]);
  });

  it('splits requests across 3 endpoints with -m statistic DNAT rules, the same way for the same seed', () => {
    const first = endpointsChosen(serviceLab(1), 300);
    const counts = (xs: string[]) => ['pod-b', 'pod-c', 'pod-d'].map((p) => xs.filter((x) => x === p).length);
    expect(counts(first).reduce((a, b) => a + b)).toBe(300);
    for (const n of counts(first)) expect(n).toBeGreaterThan(70);
    expect(endpointsChosen(serviceLab(1), 300)).toEqual(first);
    expect(endpointsChosen(serviceLab(2), 300)).not.toEqual(first);
  });

  it('un-DNATs the reply of an endpoint on the same bridge only with bridge-nf-call-iptables', () => {
    const lab = serviceLab(1);
    expect(endpointsChosen(lab, 1)[0]).toMatch(/^pod-/);
    lab.node.bridgeNfCallIptables = false;
    expect(endpointsChosen(lab, 1)).toEqual(['ETIMEDOUT']);
  });

  it('refuses a TCP connection with no listener by a reset, and a UDP one by ICMP port unreachable', () => {
    const lab = nodeLab();
    const tcp = exchange(lab, (done) => lab.net.request(lab.pods[0], { proto: 'tcp', dst: '10.244.1.3', port: 80 }, done));
    expect(tcp.outcome === 'error' && tcp.error).toBe('ECONNREFUSED');
    expect(tcp.trace.tcpdump('eth0', 'pod-a', false)).toEqual(['IP 10.244.1.2.59471 > 10.244.1.3.80: Flags [S], length 0', 'IP 10.244.1.3.80 > 10.244.1.2.59471: Flags [R.], length 0']);
    const udp = exchange(lab, (done) => lab.net.request(lab.pods[0], { proto: 'udp', dst: '10.244.1.3', port: 53, length: 40 }, done));
    expect(udp.outcome === 'error' && udp.error).toBe('ECONNREFUSED');
    expect(udp.trace.tcpdump('eth0', 'pod-a', false)[1]).toMatch(/^IP 10.244.1.3 > 10.244.1.2: ICMP 10.244.1.3 udp port 53 unreachable, length 76$/);
  });

  it('sends ICMP time exceeded when the TTL runs out at a router, and net unreachable when it has no route', () => {
    const lab = nodeLab();
    const ttl = exchange(lab, (done) => lab.net.ping(lab.pods[0], '192.168.1.1', { ttl: 1 }, done));
    expect(ttl.outcome === 'error' && ttl.error).toBe('EHOSTUNREACH');
    expect(ttl.trace.tcpdump('eth0', 'pod-a', false)[1]).toBe('IP 10.244.1.1 > 10.244.1.2: ICMP time exceeded in-transit, length 92');
    lab.node.routes.delete('default');
    const net = exchange(lab, (done) => lab.net.ping(lab.pods[0], '8.8.8.8', {}, done));
    expect(net.outcome === 'error' && net.error).toBe('ENETUNREACH');
    expect(net.trace.tcpdump('eth0', 'pod-a', false)[1]).toBe('IP 10.244.1.1 > 10.244.1.2: ICMP net 8.8.8.8 unreachable, length 92');
  });

  it('times out a request a FORWARD rule drops, and does not forward with ip_forward off', () => {
    const lab = nodeLab();
    lab.net.listen(lab.router, 'udp', 53, (_req, reply) => reply({ length: 1 }));
    lab.node.netfilter.append('filter', 'FORWARD', '-d 192.168.1.1/32 -p udp -m udp --dport 53 -j DROP');
    const dropped = exchange(lab, (done) => lab.net.request(lab.pods[0], { proto: 'udp', dst: '192.168.1.1', port: 53 }, done));
    expect(dropped.outcome === 'error' && [dropped.error, dropped.rttMs]).toEqual(['ETIMEDOUT', 1000]);
    expect(dropped.trace.lines().slice(-2)).toEqual([
      '0.050 node   filter FORWARD: -A FORWARD -d 192.168.1.1/32 -p udp -m udp --dport 53 -j DROP',
      '0.050 node   drop: filter FORWARD: DROP',
    ]);
    lab.node.netfilter.tables.filter.get('FORWARD')!.rules = [];
    lab.node.ipForward = false;
    const off = exchange(lab, (done) => lab.net.request(lab.pods[0], { proto: 'udp', dst: '192.168.1.1', port: 53 }, done));
    expect(off.trace.lines().at(-1)).toBe('1000.050 node   drop: not for this host and net.ipv4.ip_forward = 0');
  });
});
