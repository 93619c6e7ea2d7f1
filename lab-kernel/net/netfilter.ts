import type { Rng } from '../sim/rng';
import type { NetfilterEvalFn, NetfilterEvalResult } from './netfilter-eval-contract';
import type { PacketTrace } from './packet-trace';
import type { Hook, MatchContext, RecentLists, Rule, TableName, Target } from './netfilter-rule';
import { IptablesError, parseRuleSpec, tokenize } from './rule-parse';

/**
 * A namespace's netfilter tables, nat and filter (raw and mangle are not modelled), with their
 * built-in chains and user chains, and the walk of one packet through one table at one hook in
 * iptables' order. The walk is a decision handed in (exercise netfilter-eval,
 * netfilter-eval-contract.ts); this class feeds it the table and the packet and applies its
 * answer (the mark, the trace's rule lines, the random stream, the `-m recent` lists):
 *
 *   rules in order; a matching rule's target decides:
 *     ACCEPT / DROP / REJECT          the table's verdict (DROP and REJECT end the packet)
 *     DNAT / SNAT / MASQUERADE        the nat table's verdict (and the NAT to set up)
 *     -j CHAIN                        walk CHAIN, come back to the next rule on RETURN or at its end
 *     -g CHAIN                        walk CHAIN, and on its RETURN go back to whoever called this one
 *     RETURN                          back to the calling chain (in a built-in chain: its policy)
 *     MARK                            set the packet's mark and go on with the next rule
 *   the end of a built-in chain: its policy (ACCEPT unless set to DROP)
 *
 *   nf.append('nat', 'POSTROUTING', '-s 10.244.0.0/16 ! -o cni0 -j MASQUERADE')
 *   nf.evaluate('nat', 'POSTROUTING', ctx, sink, undefined)   // => { t: 'MASQUERADE', ... } for a pod's packet leaving by eth0
 *
 * Hooks run these tables, in priority order: PREROUTING nat; INPUT filter, nat; FORWARD filter;
 * OUTPUT nat, filter; POSTROUTING nat. The nat table is only asked about a connection's first
 * packet (the datapath decides that); what it decides, conntrack applies to the rest.
 */
export const BUILTIN_CHAINS: Record<TableName, readonly Hook[]> = {
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export interface Chain {
  readonly name: string;
  readonly builtin: boolean;
  policy: 'ACCEPT' | 'DROP';
  rules: Rule[];
}

export type NetfilterTable = Map<string, Chain>;

/** Where a walk records the rules that matched (undefined: not traced). */
export interface RuleSink {
  trace: PacketTrace | undefined;
  at: number;
  ns: string;
}

const ACCEPT: Target = { t: 'ACCEPT' };
const POLICY_DROP: Target = { t: 'DROP' };

export class Netfilter {
  readonly tables: Record<TableName, NetfilterTable> = { nat: newTable('nat'), filter: newTable('filter') };
  /** The `-m recent` lists (/proc/net/xt_recent/<name>). */
  readonly recent: RecentLists = new Map();

  constructor(
    readonly rng: Rng,
    /** The walk (exercise netfilter-eval), from the composition root. */
    private readonly walk: NetfilterEvalFn,
  ) {}

  /** `iptables -t table -A chain <spec>`: throws IptablesError with iptables' message. */
  append(table: TableName, chain: string, spec: string): Rule {
    const c = this.tables[table].get(chain);
    if (c === undefined) throw new IptablesError(`No chain/target/match by that name.`);
    const rule = parseRuleSpec(tokenize(spec), (name) => this.tables[table].has(name));
    c.rules.push(rule);
    return rule;
  }

  /** go-iptables' AppendUnique (`iptables -C ... || iptables -A ...`): appends the rule unless the chain has it already. */
  appendUnique(table: TableName, chain: string, spec: string): void {
    const c = this.tables[table].get(chain);
    const text = parseRuleSpec(tokenize(spec), (name) => this.tables[table].has(name)).text;
    if (c !== undefined && c.rules.some((r) => r.text === text)) return;
    this.append(table, chain, spec);
  }

  /** `iptables -t table -N chain`. */
  newChain(table: TableName, chain: string): void {
    if (this.tables[table].has(chain)) throw new IptablesError('Chain already exists.');
    this.tables[table].set(chain, { name: chain, builtin: false, policy: 'ACCEPT', rules: [] });
  }

  /**
   * `iptables -t table -D chain <spec>`: deletes the first rule that reads the same once parsed
   * (the same text iptables-save prints); refuses, as iptables does, when there is none.
   *   nf.delete('nat', 'POSTROUTING', '-s 10.244.1.2 -j CNI-x')   // the rule iptables-save shows as '-s 10.244.1.2/32 -j CNI-x' goes
   */
  delete(table: TableName, chain: string, spec: string): void {
    const c = this.tables[table].get(chain);
    if (c === undefined) throw new IptablesError('No chain/target/match by that name.');
    const text = parseRuleSpec(tokenize(spec), () => true).text;
    const i = c.rules.findIndex((r) => r.text === text);
    if (i < 0) throw new IptablesError('Bad rule (does a matching rule exist in that chain?).');
    c.rules.splice(i, 1);
  }

  /** `iptables -t table -F chain`: empties it. */
  flush(table: TableName, chain: string): void {
    const c = this.tables[table].get(chain);
    if (c === undefined) throw new IptablesError('No chain/target/match by that name.');
    c.rules = [];
  }

  /** `iptables -t table -X chain`: deletes a user chain, refused while it has rules or a rule jumps to it. */
  deleteChain(table: TableName, chain: string): void {
    const chains = this.tables[table];
    const c = chains.get(chain);
    if (c === undefined || c.builtin) throw new IptablesError('No chain/target/match by that name.');
    if (c.rules.length > 0) throw new IptablesError('Directory not empty.');
    const referenced = [...chains.values()].some((x) => x.rules.some((r) => (r.target.t === 'jump' || r.target.t === 'goto') && r.target.chain === chain));
    if (referenced) throw new IptablesError('Too many links.');
    chains.delete(chain);
  }

  /** Whether any rule in the table is there at all at this hook (an empty ACCEPT chain is skipped). */
  isEmpty(table: TableName, hook: Hook): boolean {
    const c = this.tables[table].get(hook);
    return c === undefined || (c.rules.length === 0 && c.policy === 'ACCEPT');
  }

  /**
   * Walks the packet through the table's chain for the hook with the walk decision; returns the
   * deciding target (ACCEPT when it falls through to an ACCEPT policy) and sets ctx.pkt.mark to
   * the mark the walk left. A walk that throws, or answers nonsense, drops the packet, the trace
   * saying why.
   */
  evaluate(table: TableName, hook: Hook, ctx: MatchContext, sink: RuleSink, counter: { rulesEvaluated: number } | undefined): Target {
    const chains = this.tables[table];
    if (!chains.has(hook)) return ACCEPT;
    const p = ctx.pkt;
    const recent = ctx.recent ?? this.recent;
    let out: NetfilterEvalResult;
    try {
      out = this.walk({
        table, hook, chains,
        packet: { src: p.src, dst: p.dst, proto: p.proto, sport: p.sport, dport: p.dport, mark: p.mark },
        inDev: ctx.inDev, outDev: ctx.outDev, ctState: ctx.ctState, local: ctx.local,
        random: ctx.rng.state, recent, nowMs: ctx.nowMs ?? 0,
      });
      checkAnswer(out, chains);
    } catch (e) {
      sink.trace?.add({ kind: 'drop', at: sink.at, ns: sink.ns, packetId: p.id, reason: `netfilter ${table} ${hook}: the walk failed: ${e instanceof Error ? e.message : String(e)}` });
      return POLICY_DROP;
    }
    // The answer's state, back where it lives (the same objects already, when the walk runs in this process).
    if (out.random !== ctx.rng.state) Object.assign(ctx.rng.state, out.random);
    if (out.recent !== recent) {
      recent.clear();
      for (const [name, list] of out.recent) recent.set(name, list);
    }
    p.mark = out.mark;
    if (counter !== undefined) counter.rulesEvaluated += out.rulesEvaluated;
    if (sink.trace !== undefined) {
      for (const m of out.matched) {
        sink.trace.add({ kind: 'rule', at: sink.at, ns: sink.ns, packetId: p.id, table, chain: m.chain, rule: ruleLine(m.chain, chains.get(m.chain)!.rules[m.rule]) });
      }
      if (out.policy && out.verdict.t === 'DROP') sink.trace.add({ kind: 'rule', at: sink.at, ns: sink.ns, packetId: p.id, table, chain: hook, rule: `policy DROP` });
    }
    return out.verdict;
  }
}

/** An answer the datapath can apply: a verdict, a mark, and matched rules that are the table's. */
function checkAnswer(out: NetfilterEvalResult, chains: NetfilterTable): void {
  if (out === null || typeof out !== 'object' || typeof out.verdict !== 'object' || out.verdict === null || typeof out.verdict.t !== 'string') throw new Error('the answer has no verdict');
  if (!Number.isInteger(out.mark)) throw new Error(`the answer's mark is ${String(out.mark)}, not a number`);
  if (!Array.isArray(out.matched)) throw new Error('the answer has no list of matched rules');
  for (const m of out.matched) {
    if (chains.get(m?.chain)?.rules[m.rule] === undefined) throw new Error(`matched rule ${JSON.stringify(m)} is not in the table`);
  }
  const r = out.random;
  if (r === null || typeof r !== 'object' || ![r.a, r.b, r.c, r.d].every(Number.isInteger)) throw new Error("the answer's random stream is not input.random");
  if (!(out.recent instanceof Map)) throw new Error("the answer's recent lists are not input.recent");
}

/**
 * A matched rule's line in the trace, `-A KUBE-SERVICES -d 10.96.0.1/32 ... -j KUBE-SVC-X`, made
 * once per rule (and chain) rather than once per traced packet: the traces of many requests in
 * flight keep their lines alive, and building each afresh was a good part of their garbage.
 */
const ruleLines = new WeakMap<Rule, { chain: string; line: string }>();

function ruleLine(chain: string, rule: Rule): string {
  const known = ruleLines.get(rule);
  if (known !== undefined && known.chain === chain) return known.line;
  const line = `-A ${chain} ${rule.text}`;
  ruleLines.set(rule, { chain, line });
  return line;
}

/** A table with its built-in chains, empty, policies ACCEPT. */
export function newTable(name: TableName): NetfilterTable {
  const t: NetfilterTable = new Map();
  for (const hook of BUILTIN_CHAINS[name]) t.set(hook, { name: hook, builtin: true, policy: 'ACCEPT', rules: [] });
  return t;
}
