import type { Rng } from '../sim/rng';
import { Conntrack } from './conntrack';
import { Interface } from './interfaces';
import { formatIp, type Ip } from './ipv4';
import { Ipvs } from './ipvs';
import { NeighbourTable } from './neighbours';
import { Netfilter } from './netfilter';
import type { NetfilterEvalFn } from './netfilter-eval-contract';
import type { Packet, Proto } from './packet';
import type { PacketTrace } from './packet-trace';
import type { RouteLookupFn } from './route-lookup-contract';
import { RoutingTable, type Route, type RouteSpec } from './routing';

/**
 * A network namespace: its interfaces (lo made with it), routing table, neighbour table,
 * netfilter tables, conntrack table, IPVS table, sysctls and sockets. A host's root namespace is one like
 * any other, marked `root`. A new namespace forwards nothing (net.ipv4.ip_forward = 0) and does
 * not pass bridged frames to iptables (net.bridge.bridge-nf-call-iptables = 0, as without the
 * br_netfilter module; Kubernetes nodes set both to 1).
 *
 *   const pod = net.addNamespace('pod-a');
 *   pod.addAddress('eth0', '10.244.1.2/24'); pod.setUp('eth0');
 *   pod.routes.show()    // => ['10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2']
 *   pod.isLocal(10.244.1.2)   // => true (and every 127.x.x.x)
 */
export interface Incoming {
  readonly ns: string;
  readonly proto: Proto;
  readonly from: Ip;
  readonly fromPort: number;
  readonly to: Ip;
  readonly port: number;
  readonly length: number;
  readonly payload: unknown;
  /** The trace of the exchange that brought it, for a process that relays it onward to add its own hops to. */
  readonly trace?: PacketTrace;
}

export interface Reply {
  length: number;
  payload?: unknown;
}

/** A listening process: called with each request at its arrival time; it may answer then or later, or never. */
export type Handler = (request: Incoming, reply: (response: Reply) => void) => void;

/** A client's socket waiting for its answer (from remote:remotePort, or an ICMP error about it). */
export interface ClientSocket {
  readonly remote: Ip;
  readonly remotePort: number;
  onPacket(p: Packet, at: number): void;
}

export class NetNamespace {
  readonly interfaces = new Map<string, Interface>();
  readonly routes: RoutingTable;
  readonly neighbours = new NeighbourTable();
  readonly conntrack = new Conntrack();
  /** Its IPVS virtual services (ipvs.ts), asked at LOCAL_IN. */
  readonly ipvs = new Ipvs();
  readonly netfilter: Netfilter;
  /** Listeners by 'udp:53' / 'tcp:80'. */
  readonly listeners = new Map<string, Handler>();
  /** Client sockets by 'udp:43512' / 'tcp:43512' / 'icmp:<echo id>'. */
  readonly clients = new Map<string, ClientSocket>();
  ipForward = false;
  bridgeNfCallIptables = false;
  /** Its own addresses (the local table's, but 127/8): what `-m addrtype --dst-type LOCAL` and isLocal look up. */
  readonly localAddresses = new Set<Ip>();

  constructor(
    readonly name: string,
    readonly root: boolean,
    rng: Rng,
    lo: Interface,
    /** Chooses each packet's route in its table (exercise route-lookup). */
    routeLookup: RouteLookupFn,
    /** Walks a packet through its netfilter tables (exercise netfilter-eval). */
    netfilterEval: NetfilterEvalFn,
  ) {
    this.routes = new RoutingTable(routeLookup);
    this.netfilter = new Netfilter(rng, netfilterEval);
    this.interfaces.set('lo', lo);
    lo.addAddress('127.0.0.1/8');
    lo.up = true;
  }

  /** Whether ip is one of this namespace's addresses, or loopback (its local table). */
  readonly isLocal = (ip: Ip): boolean => this.localAddresses.has(ip) || ip >>> 24 === 127;

  device(name: string): Interface {
    const dev = this.interfaces.get(name);
    if (dev === undefined) throw new Error(`Cannot find device "${name}"`);
    return dev;
  }

  /** `ip addr add <cidr> dev <dev>`; with the device up, adds the connected route too. */
  addAddress(dev: string, cidr: string): void {
    const d = this.device(dev);
    const a = d.addAddress(cidr);
    this.localAddresses.add(a.ip);
    if (d.up) this.connect(d, a.ip);
  }

  /** `ip addr del <ip>/32 dev <dev>` for a /32 (kube-proxy unbinding a ClusterIP from kube-ipvs0): no route goes with it. */
  removeAddress(dev: string, ip: Ip): void {
    const d = this.device(dev);
    const i = d.addresses.findIndex((a) => a.ip === ip);
    if (i < 0) throw new Error('RTNETLINK answers: Cannot assign requested address');
    if (d.addresses[i].cidr.len !== 32) throw new Error(`removeAddress: only /32 addresses are modelled (${formatIp(ip)} on ${dev})`);
    d.addresses.splice(i, 1);
    this.localAddresses.delete(ip);
  }

  /** `ip link set <dev> up`: its connected routes appear. */
  setUp(dev: string): void {
    const d = this.device(dev);
    if (d.up) return;
    d.up = true;
    for (const a of d.addresses) this.connect(d, a.ip);
  }

  /** `ip link set <dev> down`: every route through it goes, as the kernel flushes them. */
  setDown(dev: string): void {
    const d = this.device(dev);
    d.up = false;
    this.routes.removeDevice(dev);
    this.neighbours.forgetDevice(dev);
  }

  /** `ip route add ...`. */
  addRoute(spec: RouteSpec): Route {
    this.device(spec.dev);
    return this.routes.add(spec);
  }

  /** Forgets a device that was deleted (its addresses, routes, neighbours). */
  removeDevice(dev: string): void {
    const d = this.interfaces.get(dev);
    if (d === undefined) return;
    for (const a of d.addresses) this.localAddresses.delete(a.ip);
    this.routes.removeDevice(dev);
    this.neighbours.forgetDevice(dev);
    this.interfaces.delete(dev);
  }

  /** The source address for a packet routed by `route` to dst: the route's src, else one on its device. */
  sourceFor(route: Route, dst: Ip): Ip {
    if (route.src !== undefined) return route.src;
    const onDev = this.interfaces.get(route.dev)?.addressFor(route.via ?? dst);
    if (onDev !== undefined) return onDev;
    for (const ip of this.localAddresses) if (ip >>> 24 !== 127) return ip;
    return 0;
  }

  /** `ip addr` in brief: one line per device. */
  showAddresses(): string[] {
    return [...this.interfaces.values()].map((d) => d.describe());
  }

  private connect(d: Interface, ip: Ip): void {
    if (d.kind === 'loopback') return;
    const a = d.addresses.find((x) => x.ip === ip)!;
    const dst = `${formatIp(a.cidr.ip)}/${a.cidr.len}`;
    if (a.cidr.len === 32 || this.routes.all().some((r) => r.kernel && r.dev === d.name && r.cidr.ip === a.cidr.ip && r.cidr.len === a.cidr.len)) return;
    this.routes.add({ dst, dev: d.name, src: formatIp(ip), kernel: true });
  }
}
