import { describe, expect, it } from 'vitest';
import { parseIp } from './ipv4';
import { copyPacket, ICMP, ipLength, samePacket, tcpdumpLine, tcpdumpTime, type Packet } from './packet';

function packet(fields: Partial<Packet>): Packet {
  return {
    id: 1, srcMac: '', dstMac: '', src: parseIp('10.244.1.2'), dst: parseIp('10.96.0.10'), proto: 'udp',
    sport: 43512, dport: 53, ttl: 64, length: 40, flags: '', icmpType: 0, icmpCode: 0, seq: 0, inner: undefined,
    mark: 0, payload: undefined, ...fields,
  };
}

describe('packets printed as tcpdump -n prints them', () => {
  it.each<[string, Partial<Packet>, string]>([
    ['a UDP datagram', {}, 'IP 10.244.1.2.43512 > 10.96.0.10.53: UDP, length 40'],
    ['a TCP opening segment', { proto: 'tcp', dport: 80, flags: 'S' }, 'IP 10.244.1.2.43512 > 10.96.0.10.80: Flags [S], length 40'],
    ['a TCP reset', { proto: 'tcp', flags: 'R.', length: 0 }, 'IP 10.244.1.2.43512 > 10.96.0.10.53: Flags [R.], length 0'],
    ['an echo request', { proto: 'icmp', icmpType: ICMP.ECHO_REQUEST, sport: 7, dport: 7, seq: 1, length: 64 }, 'IP 10.244.1.2 > 10.96.0.10: ICMP echo request, id 7, seq 1, length 64'],
    ['an echo reply', { proto: 'icmp', icmpType: ICMP.ECHO_REPLY, sport: 7, dport: 7, seq: 1, length: 64 }, 'IP 10.244.1.2 > 10.96.0.10: ICMP echo reply, id 7, seq 1, length 64'],
    ['a time exceeded', { proto: 'icmp', icmpType: ICMP.TIME_EXCEEDED, length: 36 }, 'IP 10.244.1.2 > 10.96.0.10: ICMP time exceeded in-transit, length 36'],
  ])('prints %s', (_what, fields, line) => {
    expect(tcpdumpLine(packet(fields))).toBe(line);
  });

  it('names the port, protocol and address an unreachable is about', () => {
    const inner = { src: parseIp('10.96.0.10'), dst: parseIp('10.244.2.3'), proto: 'udp' as const, sport: 43512, dport: 53 };
    const err = (code: number) => packet({ proto: 'icmp', icmpType: ICMP.DEST_UNREACH, icmpCode: code, inner, length: 76 });
    expect(tcpdumpLine(err(ICMP.PORT_UNREACH))).toBe('IP 10.244.1.2 > 10.96.0.10: ICMP 10.244.2.3 udp port 53 unreachable, length 76');
    expect(tcpdumpLine(err(ICMP.HOST_UNREACH))).toBe('IP 10.244.1.2 > 10.96.0.10: ICMP host 10.244.2.3 unreachable, length 76');
    expect(tcpdumpLine(err(ICMP.NET_UNREACH))).toBe('IP 10.244.1.2 > 10.96.0.10: ICMP net 10.244.2.3 unreachable, length 76');
  });

  it('counts IP, UDP and TCP headers in the total length', () => {
    expect(ipLength(packet({}))).toBe(68);
    expect(ipLength(packet({ proto: 'tcp' }))).toBe(80);
    expect(ipLength(packet({ proto: 'icmp', length: 64 }))).toBe(84);
  });

  it('stamps virtual milliseconds as hours, minutes, seconds and microseconds', () => {
    expect(tcpdumpTime(1500.25)).toBe('00:00:01.500250');
    expect(tcpdumpTime(3_723_000)).toBe('01:02:03.000000');
  });
});

describe("a packet's copy for the trace", () => {
  it('counts a packet as unchanged since its copy until any field the copy holds changes', () => {
    const p = packet({ proto: 'tcp', flags: 'S', payload: { method: 'GET' } });
    const copy = copyPacket(p);
    expect(samePacket(copy, p)).toBe(true);
    const changed: Partial<Packet> = {
      id: 2, srcMac: 'aa:aa:aa:aa:aa:aa', dstMac: 'bb:bb:bb:bb:bb:bb', src: 1, dst: 2, proto: 'udp', sport: 1, dport: 2, ttl: 63, length: 41,
      flags: 'S.', icmpType: 3, icmpCode: 1, seq: 2, inner: { src: 1, dst: 2, proto: 'udp', sport: 1, dport: 2 }, mark: 0x4000, payload: { method: 'GET' },
    };
    // every field copyPacket copies is one samePacket compares
    expect(Object.keys(changed).sort()).toEqual(Object.keys(copy).sort());
    for (const [field, value] of Object.entries(changed)) expect(samePacket(copy, { ...p, [field]: value }), field).toBe(false);
  });

  it('never counts a VXLAN packet as unchanged: its inner packet is a copy of its own', () => {
    const p = packet({ vxlan: { vni: 1, inner: packet({}) } });
    expect(samePacket(copyPacket(p), p)).toBe(false);
  });
});
