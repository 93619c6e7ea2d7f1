import { describe, expect, it } from 'vitest';
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
});
