import { applyMark, extensionMatches, headerMatches, statisticDraw, type MatchEnv, type PacketHeaders, type Rule, type Target } from './netfilter-rule';
import { MAX_JUMP_DEPTH, type ChainView, type NetfilterEvalFn, type NetfilterEvalResult, type RuleRef } from './netfilter-eval-contract';

/**
 * The kernel's own table walk, for a packet network built without a netfilter decision
 * (PacketNetworkOptions.netfilterEval): the stand-alone node networks runtime's tests build.
 * The cluster always hands in the slot's function (exercise netfilter-eval, whose reference is
 * solutions/net/netfilter-eval.ts); netfilter-walk.test.ts checks this walk and that reference
 * give the same answers, so the two cannot drift apart unnoticed.
 *
 *   kernelWalk({ table: 'filter', hook: 'INPUT', chains, packet: udp to :53, ... })
 *   // => { verdict: { t: 'DROP' }, policy: true, matched: [], rulesEvaluated: 1, ... } under '-P INPUT DROP' and '-p tcp -j ACCEPT'
 */
export const kernelWalk: NetfilterEvalFn = (input) => {
  const packet = { ...input.packet };
  const matched: RuleRef[] = [];
  let rulesEvaluated = 0;
  const base = input.chains.get(input.hook)!;
  const stack: Array<{ chain: ChainView; next: number }> = [];
  const done = (verdict: Target, policy: boolean): NetfilterEvalResult => ({ verdict, policy, mark: packet.mark, matched, rulesEvaluated, random: input.random, recent: input.recent });
  let chain = base;
  let i = 0;
  for (;;) {
    const t = i < chain.rules.length ? chain.rules[i].target : undefined;
    if (t !== undefined) {
      const index = i++;
      rulesEvaluated++;
      if (!matches(chain.rules[index], packet, input)) continue;
      matched.push({ chain: chain.name, rule: index });
      if (t.t === 'none') continue;
      if (t.t === 'MARK') {
        packet.mark = applyMark(packet.mark, t);
        continue;
      }
      if (t.t === 'jump' || t.t === 'goto') {
        if (t.t === 'jump') stack.push({ chain, next: i });
        if (stack.length > MAX_JUMP_DEPTH) return done({ t: 'DROP' }, false);
        [chain, i] = [input.chains.get(t.chain)!, 0];
        continue;
      }
      if (t.t !== 'RETURN') return done(t, false);
    }
    const back = stack.pop();
    if (back === undefined) return done({ t: base.policy }, true);
    [chain, i] = [back.chain, back.next];
  }
};

function matches(rule: Rule, packet: PacketHeaders, env: MatchEnv): boolean {
  if (!headerMatches(rule, packet, env)) return false;
  for (const m of rule.matches) {
    if (m.m === 'statistic' ? statisticDraw(env.random) < m.p31 === m.neg : !extensionMatches(m, packet, env)) return false;
  }
  return true;
}
