import { parseRuleSpec, tokenize } from '../net/rule-parse';
import type { NodeNetfilter } from './node-netfilter';

/**
 * The rules that send packets from the built-in chains into kube-proxy's own (proxier.go,
 * iptablesJumpChains and iptablesKubeletJumpChains). kube-proxy does not write them with
 * iptables-restore, which would replace every rule of PREROUTING and the rest; it makes sure of
 * each with `iptables -I` (EnsureRule Prepend): a missing one is put first in its chain, so the
 * last one checked ends up first.
 *
 *   jumpRestore(iptables-save text of a fresh node)
 *   // => '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j KUBE-FIREWALL\n-A INPUT -m comment --comment "kubernetes load balancer firewall" ...
 *   //     ...COMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n...'
 *   jumpRestore(the same, once restored)   // => undefined: nothing missing
 *
 * The lab has no `iptables -I`: the text restores each chain that lacks a jump whole (with
 * --noflush), the missing jumps first, then its rules as they were, keeping its policy.
 */
type Table = 'filter' | 'nat';

const NEW = '-m conntrack --ctstate NEW';
/** [table, built-in chain, kube-proxy's chain, the jump's matches]. */
export type Jump = [Table, string, string, string];

const JUMPS: ReadonlyArray<Jump> = [
  ['filter', 'INPUT', 'KUBE-EXTERNAL-SERVICES', `${NEW} -m comment --comment "kubernetes externally-visible service portals"`],
  ['filter', 'FORWARD', 'KUBE-EXTERNAL-SERVICES', `${NEW} -m comment --comment "kubernetes externally-visible service portals"`],
  ['filter', 'INPUT', 'KUBE-NODEPORTS', '-m comment --comment "kubernetes health check service ports"'],
  ['filter', 'FORWARD', 'KUBE-SERVICES', `${NEW} -m comment --comment "kubernetes service portals"`],
  ['filter', 'OUTPUT', 'KUBE-SERVICES', `${NEW} -m comment --comment "kubernetes service portals"`],
  ['filter', 'FORWARD', 'KUBE-FORWARD', '-m comment --comment "kubernetes forwarding rules"'],
  ['filter', 'INPUT', 'KUBE-PROXY-FIREWALL', `${NEW} -m comment --comment "kubernetes load balancer firewall"`],
  ['filter', 'OUTPUT', 'KUBE-PROXY-FIREWALL', `${NEW} -m comment --comment "kubernetes load balancer firewall"`],
  ['filter', 'FORWARD', 'KUBE-PROXY-FIREWALL', `${NEW} -m comment --comment "kubernetes load balancer firewall"`],
  ['nat', 'OUTPUT', 'KUBE-SERVICES', '-m comment --comment "kubernetes service portals"'],
  ['nat', 'PREROUTING', 'KUBE-SERVICES', '-m comment --comment "kubernetes service portals"'],
  ['nat', 'POSTROUTING', 'KUBE-POSTROUTING', '-m comment --comment "kubernetes postrouting rules"'],
  ['filter', 'INPUT', 'KUBE-FIREWALL', ''],
  ['filter', 'OUTPUT', 'KUBE-FIREWALL', ''],
];

/** The iptables-restore --noflush input that adds the missing jumps to `saved` (iptables-save text), or undefined if none is missing. */
export function jumpRestore(saved: string, jumps: ReadonlyArray<Jump> = JUMPS): string | undefined {
  const chains = parseSave(saved);
  const touched = new Set<string>();
  for (const [table, chain, target, spec] of jumps) {
    const c = chains.get(`${table} ${chain}`);
    if (c === undefined) continue;
    const rule = parseRuleSpec(tokenize(`${spec} -j ${target}`), () => true).text;
    if (c.rules.includes(rule)) continue;
    c.rules.unshift(rule);
    touched.add(`${table} ${chain}`);
  }
  if (touched.size === 0) return undefined;
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const mine = [...touched].filter((k) => k.startsWith(`${table} `)).map((k) => chains.get(k)!);
    if (mine.length === 0) continue;
    out.push(`*${table}`, ...mine.map((c) => `:${c.name} ${c.policy} [0:0]`), ...mine.flatMap((c) => c.rules.map((r) => `-A ${c.name} ${r}`)), 'COMMIT');
  }
  return `${out.join('\n')}\n`;
}

/** Adds the missing jumps to the node's netfilter (the jumps given, or iptables mode's); the error iptables-restore gave, if any. */
export function ensureJumps(netfilter: NodeNetfilter, jumps: ReadonlyArray<Jump> = JUMPS): Error | undefined {
  const text = jumpRestore(netfilter.save(), jumps);
  const refused = text === undefined ? undefined : netfilter.restore(text);
  return refused instanceof Error ? refused : undefined;
}

/**
 * A proxier's rules put in place: its text restored, then, on its first sync and after any
 * failure (a full sync), the jumps from the built-in chains. The error iptables-restore gave
 * for either, if any.
 *
 *   const rules = new RuleRestorer(netfilter, JUMPS);
 *   rules.restore(text)   // => undefined; the jumps added the first time only
 */
export class RuleRestorer {
  private fullSync = true;

  constructor(
    private readonly netfilter: NodeNetfilter,
    private readonly jumps: ReadonlyArray<Jump>,
  ) {}

  restore(text: string): Error | undefined {
    const refused = this.netfilter.restore(text);
    const err = refused instanceof Error ? refused : this.fullSync ? ensureJumps(this.netfilter, this.jumps) : undefined;
    this.fullSync = err !== undefined;
    return err;
  }
}

/** The built-in chains of an iptables-save text, by 'table CHAIN': their policy and rules. */
function parseSave(saved: string): Map<string, { name: string; policy: string; rules: string[] }> {
  const chains = new Map<string, { name: string; policy: string; rules: string[] }>();
  let table = '';
  for (const line of saved.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    else if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(' ');
      if (policy !== '-') chains.set(`${table} ${name}`, { name, policy, rules: [] });
    } else if (line.startsWith('-A ')) {
      const space = line.indexOf(' ', 3);
      chains.get(`${table} ${line.slice(3, space)}`)?.rules.push(line.slice(space + 1));
    }
  }
  return chains;
}
