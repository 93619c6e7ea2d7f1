import type { Hook, PacketHeaders, MatchEnv, Rule, TableName, Target, RecentLists } from './netfilter-rule';
import type { RandomState } from '../sim/rng';

/**
 * The contract of exercise `netfilter-eval`: one packet through one table at one hook, as the
 * kernel's ipt_do_table (net/ipv4/netfilter/ip_tables.c) walks it. Every packet of the packet
 * network that meets a non-empty table asks it: the filter table at INPUT, FORWARD and OUTPUT
 * (datapath.ts), and the nat table for a connection's first packet at PREROUTING, OUTPUT,
 * INPUT and POSTROUTING (nat.ts; later packets take the translation conntrack stored, without
 * the table). netfilter.ts calls it and applies the answer: the verdict, the packet's new
 * mark, a trace line per matched rule, the random stream and `-m recent` lists as they were left.
 *
 *   evaluateTable({ table: 'nat', hook: 'PREROUTING', chains: kube-proxy's nat table,
 *                   packet: tcp 10.244.1.2:43512 > 10.96.0.10:53, mark 0, inDev: 'cni0', ... })
 *   // => { verdict: { t: 'DNAT', ip: 10.244.2.3, port: 53 }, policy: false, mark: 0,
 *   //      matched: [{ chain: 'PREROUTING', rule: 0 }, { chain: 'KUBE-SERVICES', rule: 3 },
 *   //                { chain: 'KUBE-SVC-TCOU7JCQXEZGVUNU', rule: 1 }, { chain: 'KUBE-SEP-...', rule: 1 }],
 *   //      rulesEvaluated: 7, random: (advanced by the one statistic draw), recent: (unchanged) }
 *
 * Rules are plain data, parsed from iptables syntax (netfilter-rule.ts: Rule, Match, Target;
 * `rule.text` is how iptables-save prints it). Addresses are numbers (net/ipv4.ts).
 * Simplified: raw and mangle are not modelled, nor targets other than those in Target.
 */
export type { Hook, Match, MatchEnv, PacketHeaders, RecentLists, Rule, TableName, Target } from './netfilter-rule';
export type { RandomState } from '../sim/rng';

/** A chain as `iptables -S` lists it: built-in (with its policy) or a user chain (policy unused). */
export interface ChainView {
  readonly name: string;
  readonly builtin: boolean;
  readonly policy: 'ACCEPT' | 'DROP';
  readonly rules: readonly Rule[];
}

export interface NetfilterEvalInput extends MatchEnv {
  table: TableName;
  /** The built-in chain the walk starts in. */
  hook: Hook;
  /** Every chain of the table, by name. */
  chains: ReadonlyMap<string, ChainView>;
  /** The packet as it arrives at the hook. */
  packet: Readonly<PacketHeaders>;
}

/** A rule of the table: the chain's name and its index in that chain (0 for the first rule). */
export interface RuleRef {
  chain: string;
  rule: number;
}

export interface NetfilterEvalResult {
  /** The target that decided (ACCEPT, DROP, REJECT, DNAT, SNAT, MASQUERADE, REDIRECT), or the built-in chain's policy as ACCEPT / DROP. */
  verdict: Target;
  /** Whether the verdict is the built-in chain's policy (the walk fell off its end, or RETURNed from it). */
  policy: boolean;
  /** The packet's mark after the walk (MARK targets change it). */
  mark: number;
  /** The rules that matched, in the order they did. */
  matched: RuleRef[];
  /** How many rules were looked at, matched or not (a rule set's cost per first packet). */
  rulesEvaluated: number;
  /** The random stream after the walk's draws (input.random, advanced). */
  random: RandomState;
  /** The `-m recent` lists after the walk (input.recent, as the matches left it). */
  recent: RecentLists;
}

export type NetfilterEvalFn = (input: NetfilterEvalInput) => NetfilterEvalResult;

/**
 * How deep `-j` jumps may nest before the walk gives up and drops the packet. The kernel sizes
 * its jump stack from the table when it is loaded (and refuses a loop then, with ELOOP); a walk
 * that would need more than that drops the packet (ipt_do_table: "stackidx >= stacksize").
 * Here a fixed depth, deeper than any rule set the lab builds.
 */
export const MAX_JUMP_DEPTH = 64;

/**
 * The matching helpers the walk needs, given (netfilter-rule.ts):
 *   headerMatches(rule, packet, env)      -s -d -i -o -p, each maybe negated: all hold?
 *   extensionMatches(match, packet, env)  one -m match other than statistic (recent updates env.recent)
 *   statisticDraw(env.random)             one draw for -m statistic: 0..2^31-1, advancing env.random
 *   applyMark(mark, target)               MARK --set-xmark: (mark & ~mask) ^ value
 */
export { applyMark, CT, extensionMatches, headerMatches, statisticDraw } from './netfilter-rule';
export { formatIp, parseIp } from './ipv4';
