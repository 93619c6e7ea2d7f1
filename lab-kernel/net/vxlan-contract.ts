/**
 * The contract of exercise `vxlan-encap`: the decision a VXLAN device (Linux's vxlan driver,
 * drivers/net/vxlan/vxlan_core.c, vxlan_xmit and vxlan_xmit_one) makes for every packet routed
 * out of it. flannel's vxlan backend makes one such device per node, flannel.1; the datapath
 * (vxlan.ts, datapath.ts) runs this decision and builds the packet from its answer.
 *
 * In: the inner packet (its addresses, ports, protocol, and the destination MAC the neighbour
 * table gave it), the device (its VNI, its local address, its UDP destination port), and the
 * device's forwarding database (FDB): which remote VTEP (an IP address) holds each MAC. Out: the
 * outer header to wrap the packet in, or a drop and why.
 *
 *   encapsulate({
 *     packet: { src: '10.244.1.2', dst: '10.244.2.3', proto: 'tcp', sport: 43512, dport: 80, dstMac: '5a:0e:36:b1:7c:02' },
 *     device: { name: 'flannel.1', vni: 1, local: '192.168.1.11', dstport: 8472 },
 *     fdb: [{ mac: '5a:0e:36:b1:7c:02', dst: '192.168.1.12' }],
 *   })
 *   // => { outer: { src: '192.168.1.11', dst: '192.168.1.12', sport: 57577 (from the flow), dport: 8472, vni: 1 } }
 *   // with an empty fdb => { drop: 'no FDB entry for 5a:0e:36:b1:7c:02 on flannel.1' }
 */
export type InnerProto = 'tcp' | 'udp' | 'icmp';

/** The packet routed out of the device, as its headers say. */
export interface InnerPacket {
  src: string;
  dst: string;
  proto: InnerProto;
  /** Ports for TCP and UDP; an ICMP echo's id in both. */
  sport: number;
  dport: number;
  /** The inner frame's destination MAC: the next hop's, from the neighbour table of the device. */
  dstMac: string;
}

/** `ip -d link show flannel.1`: vxlan id 1 local 192.168.1.11 dev eth0 dstport 8472 nolearning. */
export interface VxlanDeviceInfo {
  name: string;
  /** The VXLAN Network Identifier it sends and accepts: `id`. */
  vni: number;
  /** Its `local` address: the source of what it sends. */
  local: string;
  /** The UDP port it sends to (and listens on): `dstport`. */
  dstport: number;
}

/** One FDB entry: `bridge fdb show dev flannel.1` => '<mac> dst <ip> self permanent'. */
export interface FdbEntry {
  mac: string;
  /** The remote VTEP's address. */
  dst: string;
}

export interface VxlanEncapInput {
  packet: InnerPacket;
  device: VxlanDeviceInfo;
  fdb: readonly FdbEntry[];
}

/** The outer IPv4 and UDP headers and the VXLAN header's VNI. */
export interface OuterHeader {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  vni: number;
}

export type VxlanEncapResult = { outer: OuterHeader } | { drop: string };

export type VxlanEncapFn = (input: VxlanEncapInput) => VxlanEncapResult;

/** The MAC of the FDB's default entry (`bridge fdb append 00:00:00:00:00:00 dst <ip>`): used when no entry names the MAC. */
export const ALL_ZEROS_MAC = '00:00:00:00:00:00';

/** The kernel's default net.ipv4.ip_local_port_range, which a vxlan device without `srcport` draws its source ports from. */
export const LOCAL_PORT_RANGE = { min: 32768, max: 60999 } as const;

/**
 * The flow's hash, the lab's stand-in for the kernel's skb_get_hash: a 32-bit hash of the inner
 * addresses, protocol and ports, the same for every packet of one flow and different (mostly)
 * from one flow to another. Simplified, and said so: the kernel hashes the flow dissector's keys
 * with jhash and a seed drawn at boot, so its values differ from boot to boot; this one is FNV-1a
 * over the same fields without a seed, so a run gives the same ports every time.
 *
 *   flowHash({ src: '10.244.1.2', dst: '10.244.2.3', proto: 'tcp', sport: 43512, dport: 80 })   // => a number in 0..2^32-1
 */
export function flowHash(p: Pick<InnerPacket, 'src' | 'dst' | 'proto' | 'sport' | 'dport'>): number {
  const bytes = [...octets(p.src), ...octets(p.dst), PROTO_NUMBERS[p.proto], p.sport >> 8, p.sport & 255, p.dport >> 8, p.dport & 255];
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

const PROTO_NUMBERS: Record<InnerProto, number> = { icmp: 1, tcp: 6, udp: 17 };

function octets(ip: string): number[] {
  return ip.split('.').map(Number);
}
