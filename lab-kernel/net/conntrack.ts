import { formatIp, type Ip } from './ipv4';
import { ICMP, PROTO_NUMBER, type InnerHeader, type Packet, type Proto } from './packet';

/**
 * Connection tracking for one namespace: each connection's original tuple (as its first packet
 * had it) and reply tuple (what a reply looks like once NAT is applied). NAT is decided on the
 * first packet and written into the reply tuple; every later packet of the connection, in
 * either direction, is rewritten from the entry, without the nat table. An entry is
 * "confirmed" (entered in the table) only when its first packet made it through the last hook;
 * a first packet dropped on the way leaves nothing behind.
 *
 *   const e = ct.create(udp 10.244.1.2:43512 -> 10.96.0.10:53, now)
 *   ct.setDnat(e, 10.244.2.3, 53); ct.confirm(e)
 *   ct.lookup(udp 10.244.2.3:53 -> 10.244.1.2:43512, now)   // => { entry: e, dir: 1 } (the reply)
 *   ct.list(now)
 *   // => ['udp      17 30 src=10.244.1.2 dst=10.96.0.10 sport=43512 dport=53 [UNREPLIED]
 *   //      src=10.244.2.3 dst=10.244.1.2 sport=53 dport=43512 mark=0 use=1']
 *
 * Timeouts (the kernel's defaults): UDP 30 s, 120 s and ASSURED once it has seen traffic both
 * ways for over 2 s; ICMP 30 s; TCP, whose exchange is one segment each way here, SYN_SENT 120 s,
 * then TIME_WAIT 120 s (ASSURED) after the answer, as if closed at once; a reset CLOSE 10 s.
 * An ICMP error is RELATED to the connection whose packet it carries.
 */
export interface Tuple {
  src: Ip;
  dst: Ip;
  sport: number;
  dport: number;
}

export interface CtEntry {
  readonly proto: Proto;
  readonly orig: Tuple;
  readonly reply: Tuple;
  seenReply: boolean;
  assured: boolean;
  confirmed: boolean;
  tcpState: 'SYN_SENT' | 'TIME_WAIT' | 'CLOSE' | '';
  firstReplyAt: number;
  expires: number;
}

/** 0: the packet goes the way the first one went; 1: it is a reply. */
export type Direction = 0 | 1;

export interface CtHit {
  entry: CtEntry;
  dir: Direction;
}

const S = 1000;

export class Conntrack {
  private readonly table = new Map<string, CtHit>();

  /** The connection the packet belongs to (for an ICMP error, the one it is about), or undefined. */
  lookup(p: Packet, now: number): CtHit | undefined {
    const hit =
      p.inner !== undefined && p.proto === 'icmp'
        ? this.table.get(key(p.inner.proto, p.inner.dst, p.inner.dport, p.inner.src, p.inner.sport))
        : this.table.get(key(p.proto, p.src, p.sport, p.dst, p.dport));
    if (hit === undefined) return undefined;
    if (hit.entry.expires <= now) {
      this.remove(hit.entry);
      return undefined;
    }
    return hit;
  }

  /** A new, unconfirmed entry for a connection's first packet. */
  create(p: Packet, now: number): CtEntry {
    const orig = { src: p.src, dst: p.dst, sport: p.sport, dport: p.dport };
    const reply = { src: p.dst, dst: p.src, sport: p.dport, dport: p.sport };
    const timeout = p.proto === 'tcp' ? 120 * S : 30 * S;
    return { proto: p.proto, orig, reply, seenReply: false, assured: false, confirmed: false, tcpState: p.proto === 'tcp' ? 'SYN_SENT' : '', firstReplyAt: 0, expires: now + timeout };
  }

  /** The first packet's destination becomes ip:port (DNAT): replies will come from there. */
  setDnat(e: CtEntry, ip: Ip, port: number): void {
    e.reply.src = ip;
    e.reply.sport = port;
  }

  /** The first packet's source becomes ip:port (SNAT, MASQUERADE): replies will come back to there. */
  setSnat(e: CtEntry, ip: Ip, port: number): void {
    e.reply.dst = ip;
    e.reply.dport = port;
  }

  /** Whether a reply tuple is already some connection's (a source port MASQUERADE must not reuse). */
  replyTaken(proto: Proto, t: Tuple): boolean {
    return this.table.has(key(proto, t.src, t.sport, t.dst, t.dport));
  }

  /** Enters the entry under both tuples (its first packet passed the last hook). */
  confirm(e: CtEntry): void {
    if (e.confirmed) return;
    e.confirmed = true;
    this.table.set(key(e.proto, e.orig.src, e.orig.sport, e.orig.dst, e.orig.dport), { entry: e, dir: 0 });
    this.table.set(key(e.proto, e.reply.src, e.reply.sport, e.reply.dst, e.reply.dport), { entry: e, dir: 1 });
  }

  /** Updates state and timeout for a packet of the connection (not an ICMP error about it). */
  seen(e: CtEntry, dir: Direction, p: Packet, now: number): void {
    if (dir === 1 && !e.seenReply) {
      e.seenReply = true;
      e.firstReplyAt = now;
    }
    if (e.proto === 'tcp') {
      if (p.flags === 'R.' || p.flags === 'R') Object.assign(e, { tcpState: 'CLOSE', expires: now + 10 * S });
      else if (dir === 1) Object.assign(e, { tcpState: 'TIME_WAIT', assured: true, expires: now + 120 * S });
      return;
    }
    if (e.proto === 'udp' && e.seenReply && now - e.firstReplyAt > 2 * S) {
      e.assured = true;
      e.expires = now + 120 * S;
    } else e.expires = now + 30 * S;
  }

  remove(e: CtEntry): void {
    this.table.delete(key(e.proto, e.orig.src, e.orig.sport, e.orig.dst, e.orig.dport));
    this.table.delete(key(e.proto, e.reply.src, e.reply.sport, e.reply.dst, e.reply.dport));
  }

  /** The live entries. */
  entries(now: number): CtEntry[] {
    const out: CtEntry[] = [];
    for (const hit of this.table.values()) {
      if (hit.dir !== 0) continue;
      if (hit.entry.expires <= now) this.remove(hit.entry);
      else out.push(hit.entry);
    }
    return out;
  }

  /** `conntrack -L` lines (conntrack-tools 1.4.6 format; the 'N flow entries' line is the caller's). */
  list(now: number): string[] {
    return this.entries(now).map((e) => formatEntry(e, now));
  }
}

const PROTO_CHAR: Record<Proto, number> = { tcp: 6, udp: 17, icmp: 1 };

/** A compact key: the tuple's 16-bit halves as characters (no decimal formatting per packet). */
function key(proto: Proto, src: Ip, sport: number, dst: Ip, dport: number): string {
  return String.fromCharCode(PROTO_CHAR[proto], src >>> 16, src & 0xffff, sport, dst >>> 16, dst & 0xffff, dport);
}

function formatEntry(e: CtEntry, now: number): string {
  const tuple = (t: Tuple, reply: boolean) =>
    e.proto === 'icmp'
      ? `src=${formatIp(t.src)} dst=${formatIp(t.dst)} type=${reply ? ICMP.ECHO_REPLY : ICMP.ECHO_REQUEST} code=0 id=${t.sport}`
      : `src=${formatIp(t.src)} dst=${formatIp(t.dst)} sport=${t.sport} dport=${t.dport}`;
  const parts = [`${e.proto.padEnd(8)} ${PROTO_NUMBER[e.proto]} ${Math.floor((e.expires - now) / S)}`];
  if (e.tcpState !== '') parts.push(e.tcpState);
  parts.push(tuple(e.orig, false));
  if (!e.seenReply) parts.push('[UNREPLIED]');
  parts.push(tuple(e.reply, true));
  if (e.assured) parts.push('[ASSURED]');
  parts.push('mark=0 use=1');
  return parts.join(' ');
}

/** The inner header of an ICMP error, as the error's sender saw the offending packet. */
export function innerOf(p: Packet): InnerHeader {
  return { src: p.src, dst: p.dst, proto: p.proto, sport: p.sport, dport: p.dport };
}
