import { formatIp, type Ip } from './ipv4';
import { copyPacket, samePacket, tcpdumpLine, tcpdumpTime, type Packet } from './packet';

/**
 * The trace of one request: every hop of every packet it caused (the request, the reply, any
 * ICMP error or reset), in the order they happened, as data a diagram is drawn from and as text.
 *
 *   trace.lines()
 *   // => [ '0.000 pod-a     route 10.96.0.10 via 10.244.1.1 dev eth0 (default)',
 *   //      '0.000 pod-a     tx eth0  IP 10.244.1.2.43512 > 10.96.0.10.53: UDP, length 40',
 *   //      '0.050 node-1    rx veth-a  IP 10.244.1.2.43512 > ...', ... ]
 *   trace.tcpdump('eth0', 'pod-a')
 *   // => [ '00:00:00.000000 IP 10.244.1.2.43512 > 10.96.0.10.53: UDP, length 40', ...reply ]
 *   trace.path()   // => [ { ns: 'pod-a', dev: 'eth0' }, { ns: 'node-1', dev: 'veth-a' }, ... ] (wire crossings)
 *
 * Hops (`kind`): tx/rx (a packet leaves or enters an interface: what tcpdump sees there), route
 * (the route chosen, or none), arp (a neighbour resolved), bridge (forward, flood, or up to the
 * bridge's own stack), rule (a netfilter rule that matched, or a chain's DROP policy), rewrite
 * (NAT: before -> after), forward (TTL decremented), deliver (to a socket or the kernel), drop
 * (with the reason), encap and decap (a vxlan device wrapping a packet in UDP, or unwrapping
 * one: the outer and inner flows and the VNI), ipvs (IPVS at LOCAL_IN: the virtual service and
 * the real server it chose for a new connection), process (a user-space process relaying a
 * request it accepted, such as kube-proxy in userspace mode). Every hop names its namespace and the packet's
 * id; a packet keeps its id inside a VXLAN packet, so path() follows it through the tunnel.
 */
export type Hop =
  | { kind: 'tx' | 'rx'; at: number; ns: string; dev: string; packet: Packet }
  | { kind: 'route'; at: number; ns: string; packetId: number; dst: Ip; route: string | undefined }
  | { kind: 'arp'; at: number; ns: string; packetId: number; dev: string; ip: Ip; mac: string | undefined }
  | { kind: 'bridge'; at: number; ns: string; packetId: number; bridge: string; inPort: string; action: 'forward' | 'flood' | 'local'; outPorts: string[] }
  | { kind: 'rule'; at: number; ns: string; packetId: number; table: string; chain: string; rule: string }
  | { kind: 'rewrite'; at: number; ns: string; packetId: number; nat: string; before: string; after: string }
  | { kind: 'forward'; at: number; ns: string; packetId: number; inDev: string; outDev: string; ttl: number }
  | { kind: 'deliver'; at: number; ns: string; packetId: number; to: string }
  | { kind: 'encap' | 'decap'; at: number; ns: string; packetId: number; dev: string; vni: number; outer: string; inner: string }
  | { kind: 'ipvs'; at: number; ns: string; packetId: number; service: string; realServer: string | undefined }
  | { kind: 'process'; at: number; ns: string; packetId: number; process: string; what: string }
  | { kind: 'drop'; at: number; ns: string; packetId: number; reason: string };

export class PacketTrace {
  readonly hops: Hop[] = [];
  /** Netfilter rules looked at (matched or not): the first-packet cost of a rule set. */
  rulesEvaluated = 0;

  /**
   * The packet as it crossed the interface. A packet usually crosses several unchanged (tx on a
   * veth, rx on its peer; rx on a bridge port, then on the bridge): those hops share one copy,
   * which nothing changes, so that many requests in flight keep fewer copies alive.
   */
  wire(kind: 'tx' | 'rx', at: number, ns: string, dev: string, packet: Packet): void {
    if (packet !== this.lastWired || !samePacket(this.lastCopy!, packet)) {
      this.lastWired = packet;
      this.lastCopy = copyPacket(packet);
    }
    this.hops.push({ kind, at, ns, dev, packet: this.lastCopy! });
  }

  /** The packet of the last wire hop, and the copy it holds. */
  private lastWired: Packet | undefined;
  private lastCopy: Packet | undefined;

  add(hop: Hop): void {
    this.hops.push(hop);
  }

  /** The interfaces crossed, in order: one entry per tx or rx. */
  path(): Array<{ ns: string; dev: string; kind: 'tx' | 'rx'; packetId: number }> {
    const out: Array<{ ns: string; dev: string; kind: 'tx' | 'rx'; packetId: number }> = [];
    for (const h of this.hops) if (h.kind === 'tx' || h.kind === 'rx') out.push({ ns: h.ns, dev: h.dev, kind: h.kind, packetId: h.packet.id });
    return out;
  }

  /** What `tcpdump -n -i <dev>` in namespace ns (any, when omitted) would have printed, line by line (a VXLAN packet takes two). */
  tcpdump(dev: string, ns?: string, timestamps = true): string[] {
    const out: string[] = [];
    for (const h of this.hops) {
      if ((h.kind === 'tx' || h.kind === 'rx') && h.dev === dev && (ns === undefined || h.ns === ns)) {
        const line = tcpdumpLine(h.packet);
        out.push(...(timestamps ? `${tcpdumpTime(h.at)} ${line}` : line).split('\n'));
      }
    }
    return out;
  }

  /** Every hop as a line: virtual ms, namespace, what happened. */
  lines(): string[] {
    const width = Math.max(0, ...this.hops.map((h) => h.ns.length));
    return this.hops.map((h) => `${h.at.toFixed(3)} ${h.ns.padEnd(width)}  ${describeHop(h)}`);
  }
}

/** One hop in words: a route hop => 'route 10.96.0.10 via 10.244.1.1 dev eth0'. */
export function describeHop(h: Hop): string {
  switch (h.kind) {
    case 'tx':
    case 'rx':
      return `${h.kind} ${h.dev}  ${tcpdumpLine(h.packet).replace('\n', ' | ')}`;
    case 'route':
      return h.route === undefined ? `route ${formatIp(h.dst)}: no route` : `route ${formatIp(h.dst)}: ${h.route}`;
    case 'arp':
      return h.mac === undefined
        ? `arp who-has ${formatIp(h.ip)} on ${h.dev}: no answer`
        : `arp who-has ${formatIp(h.ip)} on ${h.dev}: is-at ${h.mac}`;
    case 'bridge':
      return h.action === 'local'
        ? `bridge ${h.bridge}: from ${h.inPort} up to the bridge's own stack`
        : `bridge ${h.bridge}: ${h.action} from ${h.inPort} to ${h.outPorts.join(', ')}`;
    case 'rule':
      return `${h.table} ${h.chain}: ${h.rule}`;
    case 'rewrite':
      return `${h.nat} ${h.before} -> ${h.after}`;
    case 'forward':
      return `forward ${h.inDev} -> ${h.outDev}, ttl ${h.ttl}`;
    case 'deliver':
      return `deliver to ${h.to}`;
    case 'drop':
      return `drop: ${h.reason}`;
    case 'encap':
      return `encap ${h.dev} vni ${h.vni}: ${h.inner} in ${h.outer}`;
    case 'decap':
      return `decap ${h.dev} vni ${h.vni}: ${h.outer} carried ${h.inner}`;
    case 'ipvs':
      return h.realServer === undefined ? `ipvs ${h.service}: no destination available` : `ipvs ${h.service}: new connection to ${h.realServer} (Masq)`;
    case 'process':
      return `${h.process}: ${h.what}`;
  }
}
