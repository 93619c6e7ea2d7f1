import { formatIp, type Ip } from './ipv4';

/**
 * A packet on the simulated wire: L2 (MACs), L3 (addresses, protocol, TTL) and L4 (ports, or
 * ICMP type/code), with a payload size and an opaque payload the sockets hand over unchanged (a
 * DNS question, an HTTP request). `mark` is the kernel's skb mark: metadata, not a header, and
 * cleared when the packet crosses into another namespace.
 *
 * Printed as `tcpdump -n` prints it (abridged: no TCP sequence numbers, windows or options):
 *
 *   tcpdumpLine({ proto: 'udp', src: 10.244.1.2, sport: 43512, dst: 10.96.0.10, dport: 53, length: 40, ... })
 *   // => 'IP 10.244.1.2.43512 > 10.96.0.10.53: UDP, length 40'
 *   // an echo request: 'IP 10.244.1.2 > 10.244.2.3: ICMP echo request, id 1, seq 1, length 64'
 *   // a port unreachable: 'IP 10.244.2.3 > 10.244.1.2: ICMP 10.244.2.3 udp port 53 unreachable, length 76'
 *
 * TCP is compressed to one segment each way: the request rides the opening segment (flags S),
 * the response the answer (S.), a refusal is a reset (R.); no handshake, windows or FIN.
 */
export type Proto = 'tcp' | 'udp' | 'icmp';

export const PROTO_NUMBER: Record<Proto, number> = { icmp: 1, tcp: 6, udp: 17 };

/** ICMP types and codes the network sends (RFC 792). */
export const ICMP = {
  ECHO_REPLY: 0,
  DEST_UNREACH: 3,
  ECHO_REQUEST: 8,
  TIME_EXCEEDED: 11,
  NET_UNREACH: 0,
  HOST_UNREACH: 1,
  PORT_UNREACH: 3,
} as const;

/** The header of the packet an ICMP error is about (as the sender of the error saw it). */
export interface InnerHeader {
  src: Ip;
  dst: Ip;
  proto: Proto;
  sport: number;
  dport: number;
}

export interface Packet {
  /** Unique in its network; replies and ICMP errors get their own. */
  readonly id: number;
  srcMac: string;
  dstMac: string;
  src: Ip;
  dst: Ip;
  proto: Proto;
  /** Ports for TCP/UDP; for an ICMP echo, sport and dport both carry its id. */
  sport: number;
  dport: number;
  ttl: number;
  /** UDP/TCP payload bytes; for ICMP, the ICMP message length (header included), as tcpdump counts. */
  length: number;
  /** TCP flags as tcpdump prints them ('S', 'S.', 'R.'); '' otherwise. */
  flags: string;
  icmpType: number;
  icmpCode: number;
  /** ICMP echo sequence number. */
  seq: number;
  /** For an ICMP error: the offending packet's header. */
  inner: InnerHeader | undefined;
  mark: number;
  payload: unknown;
  /** A VXLAN packet (UDP to a vxlan device's port): its VNI and the packet inside (vxlan.ts). */
  vxlan?: { vni: number; inner: Packet };
}

/** A copy (the trace keeps one per wire crossing; the inner header is never mutated in place; a VXLAN packet's inner packet is copied too). */
export function copyPacket(p: Packet): Packet {
  const copy: Packet = {
    id: p.id, srcMac: p.srcMac, dstMac: p.dstMac, src: p.src, dst: p.dst, proto: p.proto, sport: p.sport, dport: p.dport, ttl: p.ttl,
    length: p.length, flags: p.flags, icmpType: p.icmpType, icmpCode: p.icmpCode, seq: p.seq, inner: p.inner, mark: p.mark, payload: p.payload,
  };
  if (p.vxlan !== undefined) copy.vxlan = { vni: p.vxlan.vni, inner: copyPacket(p.vxlan.inner) };
  return copy;
}

/**
 * Whether copyPacket(b) would equal the copy a, field by field (every field copyPacket copies;
 * a VXLAN packet never counts as the same, its inner packet being a copy of its own):
 *   samePacket(copyPacket(p), p)   // => true, until p's TTL, addresses, ports, MACs or mark change
 */
export function samePacket(a: Packet, b: Packet): boolean {
  return (
    a.id === b.id && a.srcMac === b.srcMac && a.dstMac === b.dstMac && a.src === b.src && a.dst === b.dst && a.proto === b.proto && a.sport === b.sport &&
    a.dport === b.dport && a.ttl === b.ttl && a.length === b.length && a.flags === b.flags && a.icmpType === b.icmpType && a.icmpCode === b.icmpCode &&
    a.seq === b.seq && a.inner === b.inner && a.mark === b.mark && a.payload === b.payload && a.vxlan === undefined && b.vxlan === undefined
  );
}

/** Whether the packet is an ICMP error (carries another packet's header). */
export function isIcmpError(p: Packet): boolean {
  return p.proto === 'icmp' && (p.icmpType === ICMP.DEST_UNREACH || p.icmpType === ICMP.TIME_EXCEEDED);
}

/** The packet's addresses and ports, as the trace names a flow: '10.244.1.2:43512 > 10.96.0.10:53' (ICMP: addresses only). */
export function flowText(p: Packet): string {
  return flowOf(p.proto, p.src, p.sport, p.dst, p.dport);
}

/** flowText from the fields: ('tcp', 10.244.1.2, 43512, 10.96.0.10, 80) => '10.244.1.2:43512 > 10.96.0.10:80'. */
export function flowOf(proto: Proto, src: Ip, sport: number, dst: Ip, dport: number): string {
  const endpoint = (ip: Ip, port: number) => (proto === 'icmp' ? formatIp(ip) : `${formatIp(ip)}:${port}`);
  return `${endpoint(src, sport)} > ${endpoint(dst, dport)}`;
}

/** The IP packet's total length: 20 bytes of IP header, 8 of UDP or 20 of TCP, the payload. */
export function ipLength(p: Packet): number {
  return 20 + (p.proto === 'udp' ? 8 : p.proto === 'tcp' ? 20 : 0) + p.length;
}

/**
 * What `tcpdump -n` prints for the packet, without the timestamp: one line, or for a VXLAN
 * packet two, the outer header's and then the inner packet's. tcpdump names the protocol by
 * the UDP port: 4789 is VXLAN ('VXLAN, flags [I] (0x08), vni 1'), 8472 is Cisco's OTV, whose
 * header lays out the same 8 bytes, so a flannel packet prints as 'OTV, flags [I] (0x08),
 * overlay 0, instance 1' (the VNI is OTV's instance).
 */
export function tcpdumpLine(p: Packet): string {
  const overlay = p.vxlan === undefined ? undefined : overlayText(p.dport, p.vxlan.vni);
  if (overlay !== undefined) return `IP ${formatIp(p.src)}.${p.sport} > ${formatIp(p.dst)}.${p.dport}: ${overlay}\n${tcpdumpLine(p.vxlan!.inner)}`;
  if (p.proto === 'icmp') return `IP ${formatIp(p.src)} > ${formatIp(p.dst)}: ICMP ${icmpText(p)}, length ${p.length}`;
  const head = `IP ${formatIp(p.src)}.${p.sport} > ${formatIp(p.dst)}.${p.dport}:`;
  return p.proto === 'udp' ? `${head} UDP, length ${p.length}` : `${head} Flags [${p.flags}], length ${p.length}`;
}

/** The overlay header as tcpdump's printer for the port shows it (print-vxlan.c, print-otv.c); another port: undefined (plain UDP). */
function overlayText(port: number, vni: number): string | undefined {
  if (port === 4789) return `VXLAN, flags [I] (0x08), vni ${vni}`;
  if (port === 8472) return `OTV, flags [I] (0x08), overlay 0, instance ${vni}`;
  return undefined;
}

function icmpText(p: Packet): string {
  if (p.icmpType === ICMP.ECHO_REQUEST) return `echo request, id ${p.sport}, seq ${p.seq}`;
  if (p.icmpType === ICMP.ECHO_REPLY) return `echo reply, id ${p.sport}, seq ${p.seq}`;
  if (p.icmpType === ICMP.TIME_EXCEEDED) return 'time exceeded in-transit';
  const inner = p.inner!;
  if (p.icmpCode === ICMP.PORT_UNREACH) return `${formatIp(inner.dst)} ${inner.proto} port ${inner.dport} unreachable`;
  return `${p.icmpCode === ICMP.NET_UNREACH ? 'net' : 'host'} ${formatIp(inner.dst)} unreachable`;
}

/** tcpdump's timestamp for virtual milliseconds: 1500.25 => '00:00:01.500250'. */
export function tcpdumpTime(ms: number): string {
  const micros = Math.round(ms * 1000);
  const s = Math.floor(micros / 1e6);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(micros % 1e6, 6)}`;
}
