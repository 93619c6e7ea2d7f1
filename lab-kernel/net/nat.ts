import type { CtEntry, Direction } from './conntrack';
import type { NetNamespace } from './namespace';
import { CT, type Hook, type MatchContext, type Target } from './netfilter-rule';
import { flowOf, flowText, isIcmpError, type Packet } from './packet';
import type { PacketTrace } from './packet-trace';

/**
 * Conntrack and NAT at the hooks, as the kernel does them: a packet is first tracked (its
 * connection found, or a new one begun), then at the destination-rewriting hooks (PREROUTING,
 * OUTPUT) and the source-rewriting ones (POSTROUTING, INPUT):
 * - a connection's first packet asks the nat table: DNAT rewrites the destination (REDIRECT
 *   too, to this host: the incoming interface's first address), SNAT and MASQUERADE the
 *   source, and the choice goes into the conntrack entry;
 * - every later packet is rewritten from the entry: forward packets as the first one was,
 *   replies the other way (un-DNAT: the source becomes the address first asked for; un-SNAT:
 *   the destination becomes the original sender);
 * - an ICMP error about a connection (RELATED) is rewritten the same way, its inner header too.
 *
 *   track(ns, udp 10.244.1.2:43512 -> 10.96.0.10:53, now)    // => { entry (new), dir: 0, isNew: true, state: NEW }
 *   natAt(ns, 'PREROUTING', ...) with '-j DNAT --to-destination 10.244.2.3:53'
 *   // packet now -> 10.244.2.3:53; a rewrite hop 'DNAT 10.244.1.2:43512 > 10.96.0.10:53 -> 10.244.1.2:43512 > 10.244.2.3:53'
 */
export interface Tracked {
  entry: CtEntry | undefined;
  dir: Direction;
  isNew: boolean;
  related: boolean;
  state: number;
}

export interface Walk {
  trace: PacketTrace | undefined;
  t: number;
}

export function track(ns: NetNamespace, p: Packet, w: Walk): Tracked {
  const hit = ns.conntrack.lookup(p, w.t);
  if (isIcmpError(p)) {
    if (hit === undefined) return { entry: undefined, dir: 0, isNew: false, related: false, state: CT.INVALID };
    return { entry: hit.entry, dir: hit.dir, isNew: false, related: true, state: CT.RELATED | natBits(hit.entry) };
  }
  if (hit !== undefined) {
    ns.conntrack.seen(hit.entry, hit.dir, p, w.t);
    const state = hit.entry.seenReply ? CT.ESTABLISHED : CT.NEW;
    return { entry: hit.entry, dir: hit.dir, isNew: false, related: false, state: state | natBits(hit.entry) };
  }
  if (p.proto === 'tcp' && p.flags !== 'S') return { entry: undefined, dir: 0, isNew: false, related: false, state: CT.INVALID };
  return { entry: ns.conntrack.create(p, w.t), dir: 0, isNew: true, related: false, state: CT.NEW };
}

function natBits(e: CtEntry): number {
  return (hasDnat(e) ? CT.DNAT : 0) | (hasSnat(e) ? CT.SNAT : 0);
}

function hasDnat(e: CtEntry): boolean {
  return e.orig.dst !== e.reply.src || e.orig.dport !== e.reply.sport;
}

function hasSnat(e: CtEntry): boolean {
  return e.orig.src !== e.reply.dst || e.orig.sport !== e.reply.dport;
}

/**
 * The NAT step of a hook. Returns the nat table's verdict for a first packet (DROP ends it), or
 * ACCEPT. `outAddress` picks MASQUERADE's address (the outgoing device's, towards the next hop).
 */
export function natAt(ns: NetNamespace, hook: Hook, p: Packet, tr: Tracked, ctx: MatchContext, w: Walk, outAddress: () => number): 'ACCEPT' | 'DROP' {
  const e = tr.entry;
  if (e === undefined) return 'ACCEPT';
  const rewritesDst = hook === 'PREROUTING' || hook === 'OUTPUT';
  // The flow as it arrived, kept as numbers: its text is made only for a rewrite hop (most
  // packets at most hooks are not rewritten, and formatting it every time cost the trace dearly).
  const src = p.src, sport = p.sport, dst = p.dst, dport = p.dport;
  let what = '';
  if (tr.isNew) {
    if (ns.netfilter.isEmpty('nat', hook)) return 'ACCEPT';
    ctx.ctState = tr.state;
    const t: Target = ns.netfilter.evaluate('nat', hook, ctx, { trace: w.trace, at: w.t, ns: ns.name }, w.trace);
    if (t.t === 'DROP') return 'DROP';
    if (rewritesDst && (t.t === 'DNAT' || t.t === 'REDIRECT')) {
      const ip = t.t === 'DNAT' ? t.ip : redirectAddress(ns, hook, ctx.inDev);
      if (ip === 0) return 'DROP';
      const port = p.proto === 'icmp' || t.port === undefined ? p.dport : t.port;
      ns.conntrack.setDnat(e, ip, port);
      p.dst = ip;
      p.dport = port;
      what = t.t;
    } else if (!rewritesDst && (t.t === 'SNAT' || t.t === 'MASQUERADE')) {
      const ip = t.t === 'SNAT' ? t.ip : outAddress();
      if (ip === 0) return 'DROP';
      const wanted = t.t === 'SNAT' && t.port !== undefined ? t.port : p.sport;
      const random = t.t === 'MASQUERADE' && t.randomFully;
      const port = p.proto === 'icmp' ? p.sport : freePort(ns, e, ip, wanted, random, ctx);
      ns.conntrack.setSnat(e, ip, port);
      p.src = ip;
      p.sport = port;
      what = t.t;
    }
  } else if (tr.related) {
    const inner = { ...p.inner! };
    if (rewritesDst && tr.dir === 1 && hasSnat(e)) {
      p.dst = inner.src = e.orig.src;
      inner.sport = e.orig.sport;
      what = 'un-SNAT (related)';
    } else if (!rewritesDst && tr.dir === 1 && hasDnat(e)) {
      p.src = inner.dst = e.orig.dst;
      inner.dport = e.orig.dport;
      what = 'un-DNAT (related)';
    }
    p.inner = inner;
  } else if (rewritesDst) {
    if (tr.dir === 0 && hasDnat(e)) [p.dst, p.dport, what] = [e.reply.src, e.reply.sport, 'DNAT (conntrack)'];
    else if (tr.dir === 1 && hasSnat(e)) [p.dst, p.dport, what] = [e.orig.src, e.orig.sport, 'un-SNAT'];
  } else {
    if (tr.dir === 0 && hasSnat(e)) [p.src, p.sport, what] = [e.reply.dst, e.reply.dport, 'SNAT (conntrack)'];
    else if (tr.dir === 1 && hasDnat(e)) [p.src, p.sport, what] = [e.orig.dst, e.orig.dport, 'un-DNAT'];
  }
  if (what !== '' && w.trace !== undefined) w.trace.add({ kind: 'rewrite', at: w.t, ns: ns.name, packetId: p.id, nat: what, before: flowOf(p.proto, src, sport, dst, dport), after: flowText(p) });
  return 'ACCEPT';
}

/** REDIRECT's address (nf_nat_redirect_ipv4): 127.0.0.1 for a locally made packet, else the incoming interface's first address (none: 0, dropped). */
function redirectAddress(ns: NetNamespace, hook: Hook, inDev: string): number {
  if (hook === 'OUTPUT') return 0x7f000001;
  return ns.interfaces.get(inDev)?.addresses[0]?.ip ?? 0;
}

/** The source port after SNAT: the packet's own unless another connection's reply already uses it (or --random-fully). */
function freePort(ns: NetNamespace, e: CtEntry, ip: number, wanted: number, random: boolean, ctx: MatchContext): number {
  let port = wanted;
  const taken = (candidate: number) => ns.conntrack.replyTaken(e.proto, { src: e.reply.src, sport: e.reply.sport, dst: ip, dport: candidate });
  if (random || taken(port)) {
    do port = 1024 + ctx.rng.int(64512);
    while (taken(port));
  }
  return port;
}
