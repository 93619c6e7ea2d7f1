import { Fdb } from './bridge';
import type { Vxlan } from './vxlan';
import type { Rng } from '../sim/rng';
import { cidrContains, formatCidr, parseCidr, type Cidr, type Ip } from './ipv4';

/**
 * A network interface in a namespace: a name, a kind, a MAC, addresses with their prefix,
 * up/down, an MTU (recorded, not enforced: fragmentation is not modelled). The kinds:
 * - loopback: `lo`, 127.0.0.1/8, made with every namespace;
 * - veth: one end of a pair, `peer` the other end (usually in another namespace);
 * - bridge: a Linux bridge; `ports` are the interfaces enslaved to it (`master`), `fdb` its
 *   forwarding database; it has its own MAC and can hold addresses (cni0's gateway address);
 * - dummy: holds addresses and drops what it is given (kube-ipvs0);
 * - vxlan: a VXLAN tunnel endpoint (flannel.1): what is routed out of it leaves wrapped in UDP
 *   through its namespace's routing (vxlan.ts); `vxlan` holds its settings and FDB.
 *
 *   const eth0 = new Interface('pod-a', 'eth0', 'veth', '02:00:00:00:00:01');
 *   eth0.addAddress('10.244.1.2/24');   // => { ip: 10.244.1.2, cidr: 10.244.1.0/24 }
 *   eth0.addressFor(10.244.1.1)         // => 10.244.1.2 (the address on that subnet)
 *   eth0.describe()                     // => 'eth0 veth 02:00:00:00:00:01 down mtu 1500 10.244.1.2/24'
 */
export type DeviceKind = 'loopback' | 'veth' | 'bridge' | 'dummy' | 'vxlan';

export interface IfAddress {
  readonly ip: Ip;
  /** The subnet: the address's prefix with host bits cleared. */
  readonly cidr: Cidr;
}

export class Interface {
  readonly addresses: IfAddress[] = [];
  up = false;
  /** 1500, the Ethernet default; loopback's 64 KiB, 65536 (drivers/net/loopback.c: loopback_setup). */
  mtu: number;
  /** A veth's other end. */
  peer: Interface | undefined;
  /** The bridge this interface is a port of. */
  master: Interface | undefined;
  /** A bridge port's hairpin mode: may a frame leave by the port it came in on? */
  hairpin = false;
  /** A bridge's ports. */
  readonly ports: Interface[] = [];
  /** A bridge's forwarding database. */
  readonly fdb: Fdb | undefined;
  /** A vxlan device's settings and FDB. */
  vxlan: Vxlan | undefined;

  constructor(
    readonly ns: string,
    readonly name: string,
    readonly kind: DeviceKind,
    readonly mac: string,
  ) {
    this.fdb = kind === 'bridge' ? new Fdb() : undefined;
    this.mtu = kind === 'loopback' ? 64 * 1024 : 1500;
  }

  /** Adds '10.244.1.2/24'; the same address twice is refused as `ip addr add` refuses it. */
  addAddress(text: string): IfAddress {
    const slash = text.indexOf('/');
    const cidr = parseCidr(text);
    const ip = parseCidr(slash < 0 ? text : text.slice(0, slash)).ip;
    if (this.addresses.some((a) => a.ip === ip)) throw new Error('RTNETLINK answers: File exists');
    const address = { ip, cidr };
    this.addresses.push(address);
    return address;
  }

  /** The address to speak from towards `ip`: one on its subnet, else the first (undefined: none). */
  addressFor(ip: Ip): Ip | undefined {
    for (const a of this.addresses) if (cidrContains(a.cidr, ip)) return a.ip;
    return this.addresses[0]?.ip;
  }

  describe(): string {
    const addrs = this.addresses.map((a) => formatCidr(Object.assign({}, a.cidr, { ip: a.ip })));
    const master = this.master === undefined ? '' : ` master ${this.master.name}`;
    const details = this.vxlan === undefined ? '' : ` ${this.vxlan.describe()}`;
    return [`${this.name} ${this.kind} ${this.mac} ${this.up ? 'up' : 'down'} mtu ${this.mtu}${master}${details}`, ...addrs].join(' ');
  }
}

/** A locally administered MAC from a counter: 1 => '02:00:00:00:00:01'. */
export function macFromCounter(n: number): string {
  const bytes = [2, 0, Math.floor(n / 2 ** 24) % 256, Math.floor(n / 65536) % 256, Math.floor(n / 256) % 256, n % 256];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * A random, locally administered, unicast MAC from a seeded stream, as the kernel gives a new
 * veth or bridge one and flannel its VXLAN device (pkg/mac.NewHardwareAddr): six random bytes,
 * the first with the local bit set and the multicast bit clear.
 *
 *   randomMac(rng)   // => '5a:0e:36:b1:7c:01' (the first byte's low bits 10)
 */
export function randomMac(rng: Rng): string {
  const first = (rng.int(256) & 0xfc) | 0x02;
  const rest = Array.from({ length: 5 }, () => rng.int(256));
  return [first, ...rest].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
