import { nextUint32, type RandomState, type Rng } from '../sim/rng';
import { cidrContains, formatCidr, formatIp, type Cidr, type Ip } from './ipv4';
import type { Packet, Proto } from './packet';

/**
 * One iptables rule: the built-in matches (-s, -d, -i, -o, -p), extension matches in the order
 * given (tcp/udp ports, comment, mark, statistic, conntrack, addrtype, recent) and a target.
 * A rule matches when every match does: the built-in ones first (headerMatches), then the
 * extensions left to right (extensionMatches; statistic's draw is the walk's), stopping at the
 * first that fails, so `-m statistic` draws its random number only when everything before it
 * matched, as the kernel does. The walk itself is exercise netfilter-eval.
 *
 * `text` is the rule as iptables-save prints it, after `-A <chain>`:
 *
 *   parseRuleSpec('-p tcp -d 10.96.0.1 --dport 443 -m comment --comment "default/kubernetes:https" -j KUBE-SVC-X')
 *   // .text => '-d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https" -m tcp --dport 443 -j KUBE-SVC-X'
 *   headerMatches(rule, TCP to 10.96.0.1:443, env)   // => true
 *
 * `-m statistic --mode random --probability p` keeps p as the kernel does, a 31-bit fraction
 * round(p * 2^31), and matches when (random u32 & 0x7fffffff) < it; the random number comes
 * from the seeded stream the caller injects, so a run is the same for the same seed.
 */
export type TableName = 'nat' | 'filter';
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** Conntrack states as bits, so --ctstate NEW,ESTABLISHED is one mask. */
export const CT = { NEW: 1, ESTABLISHED: 2, RELATED: 4, INVALID: 8, SNAT: 16, DNAT: 32 } as const;
export type CtStateName = keyof typeof CT;

export interface Negatable<T> {
  readonly value: T;
  readonly neg: boolean;
}

export type Match =
  | { m: 'tcp' | 'udp'; sport: Negatable<[number, number]> | undefined; dport: Negatable<[number, number]> | undefined }
  | { m: 'comment'; comment: string }
  | { m: 'mark'; value: number; mask: number; neg: boolean }
  | { m: 'statistic'; p31: number; neg: boolean }
  | { m: 'conntrack'; states: number; names: CtStateName[]; neg: boolean }
  | { m: 'addrtype'; dir: 'src' | 'dst'; type: 'LOCAL'; neg: boolean }
  | { m: 'recent'; name: string; mode: 'set' | 'rcheck' | 'update' | 'remove'; seconds: number; reap: boolean; neg: boolean };

/** xt_recent's lists of one namespace: list name => source address => when it was last seen (virtual ms). */
export type RecentLists = Map<string, Map<Ip, number>>;

export type Target =
  | { t: 'ACCEPT' | 'DROP' | 'RETURN' | 'none' }
  | { t: 'REJECT'; with: string }
  | { t: 'jump' | 'goto'; chain: string }
  | { t: 'DNAT' | 'SNAT'; ip: Ip; port: number | undefined }
  /** To this host: the incoming interface's first address (at OUTPUT: 127.0.0.1), --to-ports or the packet's port. */
  | { t: 'REDIRECT'; port: number | undefined }
  | { t: 'MASQUERADE'; randomFully: boolean }
  | { t: 'MARK'; value: number; mask: number };

export interface Rule {
  readonly src: Negatable<Cidr> | undefined;
  readonly dst: Negatable<Cidr> | undefined;
  readonly inIf: Negatable<string> | undefined;
  readonly outIf: Negatable<string> | undefined;
  readonly proto: Negatable<Proto> | undefined;
  readonly matches: readonly Match[];
  readonly target: Target;
  /** As iptables-save prints it after `-A <chain>`. */
  readonly text: string;
}

/** The packet's fields a rule can match on; `mark` is the skb mark, which MARK changes on the way. */
export interface PacketHeaders {
  src: Ip;
  dst: Ip;
  proto: Proto;
  sport: number;
  dport: number;
  mark: number;
}

/**
 * Everything else a rule is matched against, as plain data: the devices (-i, -o; '' when none),
 * the connection's conntrack state bits, the namespace's own addresses (addrtype LOCAL, with
 * 127/8), the random stream `-m statistic` draws from, and the `-m recent` lists with the time
 * they are read and stamped at.
 */
export interface MatchEnv {
  inDev: string;
  outDev: string;
  ctState: number;
  local: ReadonlySet<Ip>;
  random: RandomState;
  recent: RecentLists;
  nowMs: number;
}

/** What the datapath has at a hook: the packet itself, and its random stream as a generator (MASQUERADE's ports use it too). */
export interface MatchContext {
  pkt: Packet;
  inDev: string;
  outDev: string;
  ctState: number;
  local: ReadonlySet<Ip>;
  rng: Rng;
  /** The namespace's `-m recent` lists, and the time a match reads and stamps them at. */
  recent?: RecentLists;
  nowMs?: number;
}

/**
 * The built-in matches (-s, -d, -i, -o, -p, each maybe negated with !): whether all of them hold.
 *   headerMatches(rule '-s 10.244.0.0/16 ! -o cni0', udp 10.244.1.2 > 8.8.8.8 out of eth0)   // => true
 */
export function headerMatches(rule: Rule, p: PacketHeaders, env: MatchEnv): boolean {
  if (rule.src !== undefined && cidrContains(rule.src.value, p.src) === rule.src.neg) return false;
  if (rule.dst !== undefined && cidrContains(rule.dst.value, p.dst) === rule.dst.neg) return false;
  if (rule.inIf !== undefined && ifaceMatches(rule.inIf.value, env.inDev) === rule.inIf.neg) return false;
  if (rule.outIf !== undefined && ifaceMatches(rule.outIf.value, env.outDev) === rule.outIf.neg) return false;
  if (rule.proto !== undefined && (rule.proto.value === p.proto) === rule.proto.neg) return false;
  return true;
}

/**
 * One extension match other than statistic (whose draw is the caller's): tcp/udp ports, comment
 * (always), mark, conntrack, addrtype, recent (which reads and may update env.recent).
 *   extensionMatches({ m: 'mark', value: 0x4000, mask: 0x4000, neg: false }, { ...p, mark: 0x4001 }, env)   // => true
 */
export function extensionMatches(m: Match, p: PacketHeaders, env: MatchEnv): boolean {
  switch (m.m) {
    case 'tcp':
    case 'udp':
      if (p.proto !== m.m) return false;
      if (m.sport !== undefined && (p.sport >= m.sport.value[0] && p.sport <= m.sport.value[1]) === m.sport.neg) return false;
      if (m.dport !== undefined && (p.dport >= m.dport.value[0] && p.dport <= m.dport.value[1]) === m.dport.neg) return false;
      return true;
    case 'comment':
      return true;
    case 'mark':
      return (((p.mark & m.mask) >>> 0) === m.value) !== m.neg;
    case 'statistic':
      throw new Error('extensionMatches: -m statistic draws from the random stream; match it yourself');
    case 'conntrack':
      return ((env.ctState & m.states) !== 0) !== m.neg;
    case 'addrtype':
      return isLocal(env.local, m.dir === 'dst' ? p.dst : p.src) !== m.neg;
    case 'recent':
      return recentMatches(m, p, env) !== m.neg;
  }
}

/** addrtype LOCAL: one of the namespace's addresses, or loopback's 127/8. */
function isLocal(local: ReadonlySet<Ip>, ip: Ip): boolean {
  return local.has(ip) || ip >>> 24 === 127;
}

/** `-m statistic --mode random --probability p`: one draw, matching when its low 31 bits are below p31 (xt_statistic). */
export function statisticDraw(random: RandomState): number {
  return nextUint32(random) & 0x7fffffff;
}

/**
 * xt_recent on the source address: --set records it (and matches); --rcheck matches if it is in
 * the list, seen within --seconds when given; --update is --rcheck that also stamps it again;
 * --remove takes it out (matching if it was there); --reap forgets the list's entries older than
 * --seconds.
 *   -m recent --name KUBE-SEP-A --set        client 10.244.1.2 at 5 s   => matches; A: { 10.244.1.2: 5 s }
 *   -m recent --name KUBE-SEP-A --rcheck --seconds 10800                => matches for 10.244.1.2 until 10805 s
 */
function recentMatches(m: Extract<Match, { m: 'recent' }>, p: PacketHeaders, env: MatchEnv): boolean {
  const lists = env.recent;
  const now = env.nowMs;
  let list = lists.get(m.name);
  if (list === undefined) lists.set(m.name, (list = new Map()));
  const src = p.src;
  if (m.mode === 'set') {
    list.set(src, now);
    return true;
  }
  if (m.reap && m.seconds > 0) for (const [ip, at] of list) if (now - at > m.seconds * 1000) list.delete(ip);
  const seen = list.get(src);
  const fresh = seen !== undefined && (m.seconds === 0 || now - seen <= m.seconds * 1000);
  if (m.mode === 'remove') return list.delete(src);
  if (fresh && m.mode === 'update') list.set(src, now);
  return fresh;
}

/** iptables' interface names: 'veth+' matches every name starting with 'veth'. */
function ifaceMatches(pattern: string, dev: string): boolean {
  return pattern.endsWith('+') ? dev.startsWith(pattern.slice(0, -1)) : pattern === dev;
}

/** The rule's iptables-save text (built once, when the rule is made). */
export function formatRule(r: Omit<Rule, 'text'>): string {
  const out: string[] = [];
  const neg = (n: { neg: boolean }) => (n.neg ? '! ' : '');
  if (r.src !== undefined) out.push(`${neg(r.src)}-s ${formatCidr(r.src.value)}`);
  if (r.dst !== undefined) out.push(`${neg(r.dst)}-d ${formatCidr(r.dst.value)}`);
  if (r.inIf !== undefined) out.push(`${neg(r.inIf)}-i ${r.inIf.value}`);
  if (r.outIf !== undefined) out.push(`${neg(r.outIf)}-o ${r.outIf.value}`);
  if (r.proto !== undefined) out.push(`${neg(r.proto)}-p ${r.proto.value}`);
  for (const m of r.matches) out.push(formatMatch(m));
  const target = formatTarget(r.target);
  if (target !== '') out.push(target);
  return out.join(' ');
}

function formatMatch(m: Match): string {
  const neg = (n: { neg: boolean }) => (n.neg ? '! ' : '');
  const ports = (n: Negatable<[number, number]>) => (n.value[0] === n.value[1] ? `${n.value[0]}` : `${n.value[0]}:${n.value[1]}`);
  switch (m.m) {
    case 'tcp':
    case 'udp':
      return [`-m ${m.m}`, m.sport && `${neg(m.sport)}--sport ${ports(m.sport)}`, m.dport && `${neg(m.dport)}--dport ${ports(m.dport)}`].filter(Boolean).join(' ');
    case 'comment':
      return `-m comment --comment ${saveString(m.comment)}`;
    case 'mark':
      return `-m mark ${neg(m)}--mark ${hex(m.value)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`;
    case 'statistic':
      return `-m statistic --mode random${m.neg ? ' !' : ''} --probability ${(m.p31 / 0x80000000).toFixed(11)}`;
    case 'conntrack':
      return `-m conntrack ${neg(m)}--ctstate ${m.names.join(',')}`;
    case 'addrtype':
      return `-m addrtype ${neg(m)}--${m.dir}-type ${m.type}`;
    case 'recent':
      // libxt_recent's save order
      return `-m recent${m.neg ? ' !' : ''} --${m.mode}${m.seconds > 0 ? ` --seconds ${m.seconds}` : ''}${m.reap ? ' --reap' : ''} --name ${m.name} --mask 255.255.255.255 --rsource`;
  }
}

function formatTarget(t: Target): string {
  switch (t.t) {
    case 'none':
      return '';
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return `-j ${t.t}`;
    case 'REJECT':
      return `-j REJECT --reject-with ${t.with}`;
    case 'jump':
      return `-j ${t.chain}`;
    case 'goto':
      return `-g ${t.chain}`;
    case 'DNAT':
    case 'SNAT':
      return `-j ${t.t} --to-${t.t === 'DNAT' ? 'destination' : 'source'} ${formatIp(t.ip)}${t.port === undefined ? '' : `:${t.port}`}`;
    case 'MASQUERADE':
      return t.randomFully ? '-j MASQUERADE --random-fully' : '-j MASQUERADE';
    case 'REDIRECT':
      return t.port === undefined ? '-j REDIRECT' : `-j REDIRECT --to-ports ${t.port}`;
    case 'MARK':
      return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
  }
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** iptables' xtables_save_string: bare when only [A-Za-z0-9_-], else double-quoted with " \ ' escaped. */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** Applies a MARK target: mark = (mark & ~mask) ^ value (--set-xmark's definition). */
export function applyMark(mark: number, t: { value: number; mask: number }): number {
  return ((mark & ~t.mask) ^ t.value) >>> 0;
}
