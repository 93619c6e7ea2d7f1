import { describe, expect, it } from 'vitest';
import { parseIp } from './ipv4';
import type { Packet } from './packet';
import { PacketTrace } from './packet-trace';

const syn = (): Packet => ({
  id: 1, srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02', src: parseIp('10.244.1.2'), dst: parseIp('10.96.0.10'), proto: 'tcp',
  sport: 43512, dport: 80, ttl: 64, length: 0, flags: 'S', icmpType: 0, icmpCode: 0, seq: 0, inner: undefined, mark: 0, payload: undefined,
});

describe('the packet trace of a request', () => {
  it('shows each wire crossing with the packet as it was there, though the packet changes after', () => {
    const trace = new PacketTrace();
    const p = syn();
    trace.wire('tx', 0, 'pod-a', 'eth0', p);
    trace.wire('rx', 0.05, 'node-1', 'veth-a', p);
    p.dst = parseIp('10.244.2.3');
    p.ttl = 63;
    trace.wire('tx', 0.05, 'node-1', 'eth0', p);
    p.mark = 0x4000;
    trace.wire('tx', 0.05, 'node-1', 'eth1', p);
    expect(trace.tcpdump('eth0', undefined, false)).toEqual(['IP 10.244.1.2.43512 > 10.96.0.10.80: Flags [S], length 0', 'IP 10.244.1.2.43512 > 10.244.2.3.80: Flags [S], length 0']);
    expect(trace.hops.map((h) => (h.kind === 'tx' || h.kind === 'rx' ? [h.packet.ttl, h.packet.mark] : []))).toEqual([[64, 0], [64, 0], [63, 0], [63, 0x4000]]);
  });
});
