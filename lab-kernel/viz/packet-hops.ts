import { formatIp } from '../net/ipv4';
import { ICMP, type Packet } from '../net/packet';
import { describeHop, type Hop, type PacketTrace } from '../net/packet-trace';
import { frontMatter } from './fit';

/**
 * One exchange's packet trace (net/packet-trace.ts) drawn and tabled for a notebook, with the
 * namespaces under names a reader knows (`labels`: a pod's netns => 'pod a (default/a)').
 *
 *   packetHopsDiagram(result.trace, labels)   // a ping from pod a to the LAN's router, 192.168.1.1
 *   // sequenceDiagram
 *   //   participant p1 as pod a
 *   //   participant p2 as node-1
 *   //   p1->>p2: eth0 → vethad8a68f2<br/>10.244.1.2 > 192.168.1.1 echo request
 *   //   Note over p2: MASQUERADE<br/>10.244.1.2 > 192.168.1.1 -> 192.168.1.11 > 192.168.1.1
 *   //   ...
 *   packetHopRows(result.trace, labels, ['route', 'rewrite'])
 *   // => [{ ms: '0.000', where: 'pod a', hop: 'route 192.168.1.1: default via 10.244.1.1 dev eth0' }, ...]
 *
 * An arrow is one wire crossing (a tx and the rx that follows it for the same packet), labelled
 * with the two interfaces and the addresses as they were on the wire (a VXLAN packet: the outer
 * UDP, then the packet it carries); a note is a NAT rewrite, or a vxlan device wrapping or
 * unwrapping a packet:
 *
 *   //   Note over p2: encap flannel.1, VNI 1
 *   //   p2->>p3: eth0 → node-1<br/>192.168.1.11:59523 > 192.168.1.12:8472 UDP<br/>VXLAN: 10.244.1.2 > 10.244.2.2 echo request
 *   //   Note over p4: decap flannel.1, VNI 1
 */
export function packetHopsDiagram(trace: PacketTrace, labels: Readonly<Record<string, string>> = {}): string {
  const ids = new Map<string, string>();
  const who = (ns: string) => {
    if (!ids.has(ns)) ids.set(ns, `n${ids.size}`);
    return ids.get(ns)!;
  };
  const body: string[] = [];
  trace.hops.forEach((h, i) => {
    if (h.kind === 'tx') {
      // The packet's next wire hop: an rx at the other end (a tx onward is the bridge forwarding it inside the node).
      const rx = trace.hops.slice(i + 1).find((r) => (r.kind === 'rx' || r.kind === 'tx') && r.packet.id === h.packet.id);
      if (rx === undefined || rx.kind !== 'rx') return;
      body.push(`  ${who(h.ns)}->>${who(rx.ns)}: ${h.dev} → ${rx.dev}<br/>${wire(h.packet)}`);
    } else if (h.kind === 'rewrite') body.push(`  Note over ${who(h.ns)}: ${h.nat}<br/>${h.before} -> ${h.after}`);
    else if (h.kind === 'encap' || h.kind === 'decap') body.push(`  Note over ${who(h.ns)}: ${h.kind} ${h.dev}, VNI ${h.vni}`);
  });
  const participants = [...ids].map(([ns, id]) => `  participant ${id} as ${labels[ns] ?? ns}`);
  return [...frontMatter({ sequence: { actorMargin: 24, messageMargin: 20 } }), 'sequenceDiagram', ...participants, ...body].join('\n');
}

/** The hops of the given kinds (all when omitted) as rows: virtual ms, where, what (netfilter comments left out). */
export function packetHopRows(trace: PacketTrace, labels: Readonly<Record<string, string>> = {}, kinds?: readonly Hop['kind'][]): { ms: string; where: string; hop: string }[] {
  return trace.hops
    .filter((h) => kinds === undefined || kinds.includes(h.kind))
    .map((h) => ({ ms: h.at.toFixed(3), where: labels[h.ns] ?? h.ns, hop: describeHop(h).replace(/ -m comment --comment "(?:[^"\\]|\\.)*"/g, '') }));
}

/**
 * A packet's addresses and what it is: '10.244.1.2 > 10.244.2.2 echo request', '10.244.1.2:43512 > 10.244.2.2:80 TCP S';
 * a VXLAN packet's outer UDP, then what it carries: '192.168.1.11:59523 > 192.168.1.12:8472 UDP<br/>VXLAN: 10.244.1.2 > ...'.
 */
function wire(p: Packet): string {
  if (p.vxlan !== undefined) return `${formatIp(p.src)}:${p.sport} > ${formatIp(p.dst)}:${p.dport} UDP<br/>VXLAN: ${wire(p.vxlan.inner)}`;
  if (p.proto === 'icmp') return `${formatIp(p.src)} > ${formatIp(p.dst)} ${p.icmpType === ICMP.ECHO_REQUEST ? 'echo request' : p.icmpType === ICMP.ECHO_REPLY ? 'echo reply' : `ICMP ${p.icmpType}`}`;
  return `${formatIp(p.src)}:${p.sport} > ${formatIp(p.dst)}:${p.dport} ${p.proto.toUpperCase()}${p.flags === '' ? '' : ` ${p.flags}`}`;
}
