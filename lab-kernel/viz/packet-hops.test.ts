import { describe, expect, it } from 'vitest';
import { parseIp } from '../net/ipv4';
import { ICMP, type Packet } from '../net/packet';
import { PacketTrace } from '../net/packet-trace';
import { exchange, nodeLab } from '../net/scenario.fixture';
import { packetHopRows, packetHopsDiagram } from './packet-hops';

describe('packetHopsDiagram and packetHopRows', () => {
  it('draws one arrow per wire crossing with the addresses on the wire, and the masquerade as a note where it happened', () => {
    const lab = nodeLab();
    const r = exchange(lab, (done) => lab.net.ping(lab.pods[0], '192.168.1.1', {}, done));
    const lines = packetHopsDiagram(r.trace, { 'pod-a': 'pod a' }).split('\n');
    expect(lines.filter((l) => l.startsWith('  participant'))).toEqual(['  participant n0 as pod a', '  participant n1 as node', '  participant n2 as router']);
    expect(lines).toContain('  n0->>n1: eth0 → veth-a<br/>10.244.1.2 > 192.168.1.1 echo request');
    expect(lines).toContain('  n1->>n2: eth0 → eth0<br/>192.168.1.10 > 192.168.1.1 echo request');
    expect(lines).toContain('  n2->>n1: eth0 → eth0<br/>192.168.1.1 > 192.168.1.10 echo reply');
    expect(lines).toContain('  n1->>n0: veth-a → eth0<br/>192.168.1.1 > 10.244.1.2 echo reply');
    expect(lines.filter((l) => l.includes('Note over n1: MASQUERADE'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('->>'))).toHaveLength(4);
  });

  it("tables the hops of the kinds asked for, under the labels, without the rules' comments", () => {
    const lab = nodeLab();
    lab.node.netfilter.append('filter', 'FORWARD', '-m comment --comment "name: \\"x\\" id: \\"y\\"" -j ACCEPT');
    const r = exchange(lab, (done) => lab.net.ping(lab.pods[0], '192.168.1.1', {}, done));
    const rows = packetHopRows(r.trace, { 'pod-a': 'pod a' }, ['route', 'rule']);
    expect(rows[0]).toEqual({ ms: rows[0].ms, where: 'pod a', hop: 'route 192.168.1.1: default via 10.244.1.1 dev eth0' });
    expect(rows.map((x) => x.hop)).toContain('filter FORWARD: -A FORWARD -j ACCEPT');
    expect(rows.every((x) => !x.hop.includes('comment'))).toBe(true);
  });

  it('draws a VXLAN crossing as the outer UDP carrying the inner packet, with the wrapping and the unwrapping as notes on the two nodes', () => {
    const echo: Packet = {
      id: 7, srcMac: '', dstMac: '', src: parseIp('10.244.1.2'), dst: parseIp('10.244.2.2'), proto: 'icmp', sport: 1, dport: 1, ttl: 63,
      length: 64, flags: '', icmpType: ICMP.ECHO_REQUEST, icmpCode: 0, seq: 1, inner: undefined, mark: 0, payload: undefined,
    };
    const outer: Packet = { ...echo, src: parseIp('192.168.1.11'), dst: parseIp('192.168.1.12'), proto: 'udp', sport: 51234, dport: 8472, icmpType: 0, vxlan: { vni: 1, inner: echo } };
    const trace = new PacketTrace();
    const flows = { outer: '192.168.1.11:51234 > 192.168.1.12:8472', inner: '10.244.1.2 > 10.244.2.2' };
    trace.add({ kind: 'encap', at: 0, ns: 'node-1', packetId: 7, dev: 'flannel.1', vni: 1, ...flows });
    trace.wire('tx', 0, 'node-1', 'eth0', outer);
    trace.wire('rx', 0.05, 'node-2', 'eth0', outer);
    trace.add({ kind: 'decap', at: 0.05, ns: 'node-2', packetId: 7, dev: 'flannel.1', vni: 1, ...flows });
    expect(packetHopsDiagram(trace).split('\n').filter((l) => !l.startsWith('  participant')).slice(-3)).toEqual([
      '  Note over n0: encap flannel.1, VNI 1',
      '  n0->>n1: eth0 → eth0<br/>192.168.1.11:51234 > 192.168.1.12:8472 UDP<br/>VXLAN: 10.244.1.2 > 10.244.2.2 echo request',
      '  Note over n1: decap flannel.1, VNI 1',
    ]);
  });
});
