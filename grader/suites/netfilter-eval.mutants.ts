import type { Mutant } from '../mutants';

/** Realistic wrong table walks: each must fail grader/suites/netfilter-eval.test.ts (npm run mutants -- netfilter-eval). */
const file = 'net/netfilter-eval.ts';
const STATISTIC = 'if (statisticDraw(env.random) < m.p31 === m.neg) return false;';
const POP_ON_RETURN = "      case 'RETURN': {\n        const back = stack.pop();\n        if (back === undefined) return done({ t: base.policy }, true);";

export const MUTANTS: Mutant[] = [
  {
    name: "ORs a rule's matches: any one that holds makes the rule match",
    file,
    find: "  if (!headerMatches(rule, packet, env)) return false;\n  for (const m of rule.matches) {\n    if (m.m === 'statistic') {\n      if (statisticDraw(env.random) < m.p31 === m.neg) return false;\n    } else if (!extensionMatches(m, packet, env)) return false;\n  }\n  return true;",
    replace: "  if (headerMatches(rule, packet, env)) return true;\n  for (const m of rule.matches) {\n    if (m.m === 'statistic') {\n      if (statisticDraw(env.random) < m.p31 !== m.neg) return true;\n    } else if (extensionMatches(m, packet, env)) return true;\n  }\n  return false;",
  },
  {
    name: 'compares the statistic draw with > instead of <',
    file,
    find: STATISTIC,
    replace: 'if (statisticDraw(env.random) > m.p31 === m.neg) return false;',
  },
  {
    name: 'compares the statistic draw with <= (matches at p31 too)',
    file,
    find: STATISTIC,
    replace: 'if (statisticDraw(env.random) <= m.p31 === m.neg) return false;',
  },
  {
    name: 'ignores ! --probability',
    file,
    find: STATISTIC,
    replace: 'if (!(statisticDraw(env.random) < m.p31)) return false;',
  },
  {
    name: 'draws for every statistic match before checking the rule, whether it is reached or not',
    file,
    find: "  if (!headerMatches(rule, packet, env)) return false;\n  for (const m of rule.matches) {",
    replace: "  const draws = rule.matches.map((m) => (m.m === 'statistic' ? statisticDraw(env.random) : 0));\n  if (!headerMatches(rule, packet, env)) return false;\n  for (const [k, m] of rule.matches.entries()) {\n    if (m.m === 'statistic') {\n      if (draws[k] < m.p31 === m.neg) return false;\n      continue;\n    }",
  },
  {
    name: 'treats RETURN from the built-in chain as DROP',
    file,
    find: POP_ON_RETURN,
    replace: "      case 'RETURN': {\n        const back = stack.pop();\n        if (back === undefined) return done({ t: 'DROP' }, true);",
  },
  {
    name: "ignores the policy: falling off the built-in chain always accepts",
    file,
    find: "      if (back === undefined) return done({ t: base.policy }, true);\n      [chain, i] = [back.chain, back.next];\n      continue;\n    }\n    const index",
    replace: "      if (back === undefined) return done({ t: 'ACCEPT' }, true);\n      [chain, i] = [back.chain, back.next];\n      continue;\n    }\n    const index",
  },
  {
    name: 'does not come back from a -j jump: the end of the user chain is the end of the walk',
    file,
    find: "        if (t.t === 'jump') stack.push({ chain, next: i });",
    replace: '',
  },
  {
    name: 'comes back from a -g goto as from a -j jump',
    file,
    find: "        if (t.t === 'jump') stack.push({ chain, next: i });",
    replace: '        stack.push({ chain, next: i });',
  },
  {
    name: 'leaves the jump and goto rules out of the matched list',
    file,
    find: '    matched.push({ chain: chain.name, rule: index });\n    const t = rule.target;',
    replace: "    const t = rule.target;\n    if (t.t !== 'jump' && t.t !== 'goto') matched.push({ chain: chain.name, rule: index });",
  },
  {
    name: 'goes on after a terminal target, as after MARK (the policy decides)',
    file,
    find: '      default:\n        return done(t, false);',
    replace: '      default:\n        continue;',
  },
  {
    name: 'treats MARK as terminating (the walk ends with ACCEPT after marking)',
    file,
    find: '        packet.mark = applyMark(packet.mark, t);\n        continue;',
    replace: "        packet.mark = applyMark(packet.mark, t);\n        return done({ t: 'ACCEPT' }, false);",
  },
  {
    name: 'MARK sets the mark to the value, ignoring the mask (--set-mark, not --set-xmark)',
    file,
    find: '        packet.mark = applyMark(packet.mark, t);',
    replace: '        packet.mark = t.value;',
  },
  {
    name: 'counts only the rules that matched as evaluated',
    file,
    find: '    rulesEvaluated++;\n    if (!ruleMatches(rule, packet, input)) continue;',
    replace: '    if (!ruleMatches(rule, packet, input)) continue;\n    rulesEvaluated++;',
  },
  {
    name: 'applies the policy, not DROP, when the jumps nest too deep',
    file,
    find: "if (stack.length > MAX_JUMP_DEPTH) return done({ t: 'DROP' }, false);",
    replace: 'if (stack.length > MAX_JUMP_DEPTH) return done({ t: base.policy }, true);',
  },
  {
    name: 'matches against the packet as given, not as MARK changed it',
    file,
    find: '    if (!ruleMatches(rule, packet, input)) continue;',
    replace: '    if (!ruleMatches(rule, input.packet, input)) continue;',
  },
];
