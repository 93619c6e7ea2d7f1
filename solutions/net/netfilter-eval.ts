/**
 * Exercise `netfilter-eval` — one packet through one netfilter table: which rules match, where
 * the walk jumps and returns, and the verdict. (chapter 10)
 *
 * An iptables table is a set of chains. The walk starts at the first rule of the built-in chain
 * for the hook (nat PREROUTING, filter FORWARD, ...) and goes down it; a rule matches when every
 * one of its matches does. A matching rule's target decides what happens next:
 *   ACCEPT, DROP, REJECT, DNAT, SNAT, MASQUERADE, REDIRECT   the verdict: the walk ends here
 *   MARK (--set-xmark)       the packet's mark changes, and the walk goes on with the next rule
 *   no target                nothing (the rule only counts), the walk goes on
 *   -j CHAIN                 walk CHAIN from its first rule; at its end, or on RETURN in it, come
 *                            back to the rule after the jump
 *   -g CHAIN                 walk CHAIN, but do not come back here: its end or RETURN goes back
 *                            to whoever jumped last
 *   RETURN                   back to the calling chain
 * Falling off the end of the built-in chain, or RETURN in it, applies its policy (ACCEPT or DROP).
 * kube-proxy's rules are this walk: PREROUTING -j KUBE-SERVICES, a rule per Service jumping to
 * KUBE-SVC-..., whose rules pick an endpoint with `-m statistic --mode random --probability p`
 * and jump to its KUBE-SEP-..., which marks for masquerade (-j KUBE-MARK-MASQ, a MARK) and DNATs.
 *
 * You write the walk (lab-kernel/net/netfilter-eval-contract.ts). With your code, every packet
 * of the cluster that meets a table is walked by it: filter at INPUT, FORWARD and OUTPUT, and nat
 * for each connection's first packet (the kernel applies that first decision to the rest of the
 * connection, both ways, from conntrack: nat.ts):
 *   createCluster({ use: { 'netfilter-eval': 'exercise' } })
 * and grade it with
 *   npm run grade -- netfilter-eval
 *
 * Input => output, by example (filter FORWARD: '-j CHECK', '-p udp --dport 53 -j ACCEPT';
 * CHECK: '-d 10.96.0.0/12 -j RETURN', '-j DROP'; policy ACCEPT):
 *
 *   udp to 10.96.0.10:53  => ACCEPT by '-p udp --dport 53 -j ACCEPT'; matched FORWARD 0, CHECK 0, FORWARD 1
 *   udp to 8.8.8.8:53     => DROP by CHECK's '-j DROP'; matched FORWARD 0, CHECK 1
 *   tcp to 8.8.8.8:443 with FORWARD empty          => ACCEPT, the policy (policy: true), nothing matched
 */
import {
  applyMark,
  extensionMatches,
  headerMatches,
  MAX_JUMP_DEPTH,
  statisticDraw,
  type ChainView,
  type MatchEnv,
  type NetfilterEvalInput,
  type NetfilterEvalResult,
  type PacketHeaders,
  type Rule,
  type RuleRef,
  type Target,
} from '../../lab-kernel/net/netfilter-eval-contract';

/**
 * TODO(1) Does one rule match the packet? Every one of its matches must hold (AND), checked in
 * the kernel's order, stopping at the first that fails:
 *   - first the built-in ones, -s -d -i -o -p: headerMatches(rule, packet, env) (given);
 *   - then rule.matches, left to right. For `-m statistic` ({ m: 'statistic', p31, neg }) draw
 *     once, statisticDraw(env.random) (given: a number in 0..2^31-1), and it matches when the draw
 *     is below p31 (p31 is the probability times 2^31); `neg` (`! --probability`) inverts that.
 *     Every other match: extensionMatches(m, packet, env) (given).
 * Stopping at the first failure matters: a statistic match draws only when everything before it
 * held, so the random stream moves as the kernel's does and a run repeats for the same seed.
 *
 *   '-d 10.96.0.10/32 -p udp -m udp --dport 53', udp to 10.96.0.10:53         => true
 *   the same rule, udp to 10.96.0.10:80                                        => false
 *   '-m statistic --mode random --probability 0.5' (p31 0x40000000), draw 0x3fffffff  => true
 *   the same, draw 0x40000000                                                  => false
 *   '-s 10.244.0.0/16 -m statistic ...' for a packet from 192.168.1.5           => false, nothing drawn
 */
export function ruleMatches(rule: Rule, packet: PacketHeaders, env: MatchEnv): boolean {
  // BEGIN SOLUTION
  if (!headerMatches(rule, packet, env)) return false;
  for (const m of rule.matches) {
    if (m.m === 'statistic') {
      if (statisticDraw(env.random) < m.p31 === m.neg) return false;
    } else if (!extensionMatches(m, packet, env)) return false;
  }
  return true;
  // END SOLUTION
}

/**
 * TODO(2) Walk the table from the built-in chain input.chains.get(input.hook), rule by rule:
 *   - count every rule you look at (rulesEvaluated), matched or not;
 *   - a rule that does not match (TODO(1)): the next rule;
 *   - a rule that matches: add { chain, rule: its index } to `matched`, then by its target.t:
 *       'MARK'       packet.mark = applyMark(packet.mark, target) (given), then the next rule
 *       'none'       the next rule
 *       'jump'       remember where to come back (this chain, the next rule), walk target.chain
 *                    from its first rule; more than MAX_JUMP_DEPTH places remembered => the
 *                    verdict DROP (not the policy)
 *       'goto'       walk target.chain from its first rule, remembering nothing
 *       'RETURN'     go back to the last place remembered (and forget it); nothing remembered
 *                    (RETURN in the built-in chain) => the policy
 *       anything else (ACCEPT, DROP, REJECT, DNAT, SNAT, MASQUERADE, REDIRECT): the verdict, the
 *                    target itself; the walk ends
 *   - the end of a chain: as RETURN.
 *   - the policy: { t: policy } of the built-in chain (ACCEPT or DROP), with policy: true.
 * The mark MARK sets is seen by later `-m mark` matches in the same walk: match against the
 * packet as the walk has changed it (a copy: do not change input.packet). Return the mark at
 * the end, and input.random and input.recent (the helpers advance and update them in place).
 * A jump to a chain the table does not have never happens (iptables refuses to load such a rule).
 *
 *   FORWARD ['-j CHECK', '-p udp --dport 53 -j ACCEPT'], CHECK ['-d 10.96.0.0/12 -j RETURN', '-j DROP']
 *     udp to 10.96.0.10:53 => { verdict ACCEPT, policy false, matched [FORWARD 0, CHECK 0, FORWARD 1], rulesEvaluated 3 }
 *     udp to 8.8.8.8:53    => { verdict DROP, policy false, matched [FORWARD 0, CHECK 1], rulesEvaluated 3 }
 *   INPUT policy DROP ['-p tcp -j ACCEPT'], udp => { verdict DROP, policy true, matched [], rulesEvaluated 1 }
 *   POSTROUTING ['-j MARK --set-xmark 0x4000/0x4000', '-m mark --mark 0x4000/0x4000 -j MASQUERADE'], mark 0
 *     => { verdict MASQUERADE, mark 0x4000, matched [POSTROUTING 0, POSTROUTING 1] }
 */
export function evaluateTable(input: NetfilterEvalInput): NetfilterEvalResult {
  // BEGIN SOLUTION
  const packet = { ...input.packet };
  const matched: RuleRef[] = [];
  let rulesEvaluated = 0;
  const base = input.chains.get(input.hook)!;
  const stack: Array<{ chain: ChainView; next: number }> = [];
  const done = (verdict: Target, policy: boolean): NetfilterEvalResult => ({ verdict, policy, mark: packet.mark, matched, rulesEvaluated, random: input.random, recent: input.recent });
  let chain = base;
  let i = 0;
  for (;;) {
    if (i >= chain.rules.length) {
      const back = stack.pop();
      if (back === undefined) return done({ t: base.policy }, true);
      [chain, i] = [back.chain, back.next];
      continue;
    }
    const index = i++;
    const rule = chain.rules[index];
    rulesEvaluated++;
    if (!ruleMatches(rule, packet, input)) continue;
    matched.push({ chain: chain.name, rule: index });
    const t = rule.target;
    switch (t.t) {
      case 'none':
        continue;
      case 'MARK':
        packet.mark = applyMark(packet.mark, t);
        continue;
      case 'RETURN': {
        const back = stack.pop();
        if (back === undefined) return done({ t: base.policy }, true);
        [chain, i] = [back.chain, back.next];
        continue;
      }
      case 'jump':
      case 'goto':
        if (t.t === 'jump') stack.push({ chain, next: i });
        if (stack.length > MAX_JUMP_DEPTH) return done({ t: 'DROP' }, false);
        chain = input.chains.get(t.chain)!;
        i = 0;
        continue;
      default:
        return done(t, false);
    }
  }
  // END SOLUTION
}
