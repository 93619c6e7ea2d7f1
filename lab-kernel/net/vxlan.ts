import { formatIp, parseIp, type Ip } from './ipv4';
import { ipLength, type Packet } from './packet';
import type { VxlanEncapFn, VxlanEncapInput } from './vxlan-contract';

/**
 * A VXLAN device (Linux's vxlan driver), as flannel's vxlan backend makes it:
 *
 *   ip link add flannel.1 type vxlan id 1 local 192.168.1.11 dev eth0 dstport 8472 nolearning
 *
 * A packet routed out of it is wrapped (the exercise `vxlan-encap` decides the outer header,
 * vxlan-contract.ts): the inner Ethernet frame behind an 8-byte VXLAN header carrying the VNI,
 * in a UDP datagram to the remote VTEP's dstport, from the device's local address, sent through
 * the namespace's routing table like any packet the host makes. The remote VTEP for the frame's
 * destination MAC comes from the device's FDB, whose entries flanneld adds by hand
 * (`bridge fdb add <mac> dst <ip> dev flannel.1 self permanent`): with nolearning the device
 * never learns one from what it receives.
 *
 * A UDP datagram arriving for the namespace on a VXLAN device's dstport is the device's: the
 * driver's socket takes it before any other, finds the device by the VNI in its header
 * (none: dropped) and hands the inner frame to it, as if it had arrived on its wire.
 *
 * The device's MTU is its lower device's less the 50 bytes of headers it adds (outer IPv4 20,
 * UDP 8, VXLAN 8, inner Ethernet 14): 1450 over a 1500-byte eth0. Fragmentation is not
 * modelled, so it is recorded, not enforced.
 *
 *   const dev = net.addVxlan(node1, 'flannel.1', { vni: 1, local: '192.168.1.11', dev: 'eth0' }, '5a:0e:36:b1:7c:01');
 *   dev.mtu                                                          // => 1450
 *   dev.vxlan!.fdb.add('5a:0e:36:b1:7c:02', parseIp('192.168.1.12'));
 *   dev.vxlan!.fdb.show()              // => ['5a:0e:36:b1:7c:02 dst 192.168.1.12 self permanent']
 */
/** The kernel's default dstport for a vxlan device (the pre-IANA port, which flannel keeps); IANA's is 4789. */
export const LINUX_VXLAN_PORT = 8472;
export const IANA_VXLAN_PORT = 4789;
/** The bytes VXLAN over IPv4 adds in front of the inner IP packet: IPv4 20 + UDP 8 + VXLAN 8 + Ethernet 14. */
export const VXLAN_HEADROOM = 50;
/** The VXLAN header and the inner Ethernet header: what the outer UDP payload holds besides the inner IP packet. */
const VXLAN_AND_ETHERNET = 8 + 14;

export interface VxlanOptions {
  /** `id`: the VNI. */
  vni: number;
  /** `local`: the source address of what it sends. */
  local: string;
  /** `dev`: the lower device (its MTU sets the device's). */
  dev: string;
  /** `dstport` (default the kernel's, 8472). */
  dstport?: number;
}

/** A vxlan device's settings and FDB. */
export class Vxlan {
  readonly vni: number;
  readonly local: Ip;
  readonly dev: string;
  readonly dstport: number;
  readonly fdb = new VxlanFdb();

  constructor(options: VxlanOptions) {
    this.vni = options.vni;
    this.local = parseIp(options.local);
    this.dev = options.dev;
    this.dstport = options.dstport ?? LINUX_VXLAN_PORT;
  }

  /** As `ip -d link show` prints its settings: 'vxlan id 1 local 192.168.1.11 dev eth0 dstport 8472 nolearning'. */
  describe(): string {
    return `vxlan id ${this.vni} local ${formatIp(this.local)} dev ${this.dev} dstport ${this.dstport} nolearning`;
  }
}

/**
 * A vxlan device's forwarding database: the remote VTEP (an IP address) of each MAC, every
 * entry permanent (static, never aged: the device does not learn).
 *
 *   fdb.add('5a:0e:36:b1:7c:02', 192.168.1.12)   // bridge fdb add ... self permanent (replaces one for the MAC)
 *   fdb.delete('5a:0e:36:b1:7c:02')               // bridge fdb del ...; false when none was there
 */
export class VxlanFdb {
  private readonly entries = new Map<string, Ip>();

  add(mac: string, dst: Ip): void {
    this.entries.set(mac, dst);
  }

  delete(mac: string): boolean {
    return this.entries.delete(mac);
  }

  /** The entries as the encapsulation decision receives them. */
  list(): Array<{ mac: string; dst: string }> {
    return [...this.entries].map(([mac, dst]) => ({ mac, dst: formatIp(dst) }));
  }

  /** `bridge fdb show dev <the device>` (which leaves out the device's name). */
  show(): string[] {
    return [...this.entries].map(([mac, dst]) => `${mac} dst ${formatIp(dst)} self permanent`);
  }
}

/**
 * The device's decision for one packet, made by `encap` (the exercise's function): the outer
 * packet to send (the inner one inside, and the same packet id, so a trace follows it across),
 * or the reason it is dropped.
 *
 *   wrap(encap, flannel1, tcp 10.244.1.2:43512 > 10.244.2.3:80 to 5a:0e:36:b1:7c:02)
 *   // => udp 192.168.1.11:51234 > 192.168.1.12:8472 carrying it, with vni 1
 */
/** A vxlan device, as wrap reads it (an Interface of kind vxlan). */
export interface VxlanDevice {
  readonly name: string;
  readonly vxlan: Vxlan | undefined;
}

export function wrap(encap: VxlanEncapFn, dev: VxlanDevice, p: Packet): Packet | { drop: string } {
  const vxlan = dev.vxlan!;
  const input: VxlanEncapInput = {
    packet: { src: formatIp(p.src), dst: formatIp(p.dst), proto: p.proto, sport: p.sport, dport: p.dport, dstMac: p.dstMac },
    device: { name: dev.name, vni: vxlan.vni, local: formatIp(vxlan.local), dstport: vxlan.dstport },
    fdb: vxlan.fdb.list(),
  };
  const decision = encap(input);
  if ('drop' in decision) return { drop: decision.drop };
  const o = decision.outer;
  return {
    id: p.id, srcMac: '', dstMac: '', src: parseIp(o.src), dst: parseIp(o.dst), proto: 'udp', sport: o.sport, dport: o.dport, ttl: 64,
    length: VXLAN_AND_ETHERNET + ipLength(p), flags: '', icmpType: 0, icmpCode: 0, seq: 0, inner: undefined, mark: p.mark, payload: undefined,
    vxlan: { vni: o.vni, inner: p },
  };
}

/** The vxlan devices among `devices` whose socket listens on UDP `port` (an up device has one; none: no VXLAN socket there). */
export function vxlanDevicesOn<D extends VxlanDevice & { readonly up: boolean }>(devices: Iterable<D>, port: number): D[] {
  return [...devices].filter((d) => d.vxlan !== undefined && d.up && d.vxlan.dstport === port);
}
