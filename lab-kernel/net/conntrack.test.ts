import { describe, expect, it } from 'vitest';
import { Conntrack } from './conntrack';
import { parseIp } from './ipv4';
import type { Packet } from './packet';

function udp(src: string, sport: number, dst: string, dport: number): Packet {
  return { id: 1, srcMac: '', dstMac: '', src: parseIp(src), dst: parseIp(dst), proto: 'udp', sport, dport, ttl: 64, length: 40, flags: '', icmpType: 0, icmpCode: 0, seq: 0, inner: undefined, mark: 0, payload: undefined };
}

describe('connection tracking', () => {
  it('finds a DNATed connection from its reply, and lists it as conntrack -L does', () => {
    const ct = new Conntrack();
    const e = ct.create(udp('10.244.1.2', 43512, '10.96.0.10', 53), 0);
    ct.setDnat(e, parseIp('10.244.2.3'), 53);
    expect(ct.lookup(udp('10.244.2.3', 53, '10.244.1.2', 43512), 0)).toBeUndefined(); // not confirmed yet
    ct.confirm(e);
    expect(ct.lookup(udp('10.244.2.3', 53, '10.244.1.2', 43512), 0)).toEqual({ entry: e, dir: 1 });
    expect(ct.lookup(udp('10.244.1.2', 43512, '10.96.0.10', 53), 0)).toEqual({ entry: e, dir: 0 });
    expect(ct.list(0)).toEqual(['udp      17 30 src=10.244.1.2 dst=10.96.0.10 sport=43512 dport=53 [UNREPLIED] src=10.244.2.3 dst=10.244.1.2 sport=53 dport=43512 mark=0 use=1']);
  });

  it('forgets a UDP connection 30 s after its last packet', () => {
    const ct = new Conntrack();
    const p = udp('10.244.1.2', 43512, '10.96.0.10', 53);
    ct.confirm(ct.create(p, 0));
    expect(ct.lookup(p, 29_999)).toBeDefined();
    expect(ct.lookup(p, 30_000)).toBeUndefined();
    expect(ct.list(30_000)).toEqual([]);
  });
});
