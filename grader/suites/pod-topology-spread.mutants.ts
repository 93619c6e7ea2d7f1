import type { Mutant } from '../mutants';

/** Realistic wrong topology spreads: each must fail grader/suites/pod-topology-spread.test.ts (npm run mutants -- pod-topology-spread). */
const file = 'scheduler/pod-topology-spread.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'maxSkew off by one: refuses a skew equal to maxSkew (>= instead of >)',
    file,
    find: 'if (skew > constraints[i].maxSkew)',
    replace: 'if (skew >= constraints[i].maxSkew)',
  },
  {
    name: 'forgets to count the incoming pod itself in the skew',
    file,
    find: '(counts[i].get(domain) ?? 0) + selfMatch[i] - minimums[i]',
    replace: '(counts[i].get(domain) ?? 0) - minimums[i]',
  },
  {
    name: 'counts matching pods of other namespaces too',
    file,
    find: 'if (p.metadata.namespace !== namespace || p.metadata.deletionTimestamp) continue;',
    replace: 'if (p.metadata.deletionTimestamp) continue;',
  },
  {
    name: 'counts every pod, not only those the labelSelector matches',
    file,
    find: 'if (selectorMatches(constraint.labelSelector, p.metadata.labels)) n++;',
    replace: 'n++;',
  },
  {
    name: 'counts pods that are being deleted',
    file,
    find: 'if (p.metadata.namespace !== namespace || p.metadata.deletionTimestamp) continue;',
    replace: 'if (p.metadata.namespace !== namespace) continue;',
  },
  {
    name: 'ignores minDomains: with fewer domains than asked, the minimum is still the smallest count',
    file,
    find: 'if (c.minDomains !== undefined && values.length < c.minDomains) return 0;',
    replace: '',
  },
  {
    name: 'a ScheduleAnyway constraint filters nodes as if it were DoNotSchedule',
    file,
    find: "const hard = constraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');",
    replace: 'const hard = constraints;',
  },
  {
    name: 'a domain with no matching pods is not counted, so an empty zone is not the minimum',
    file,
    find: 'counts[i].set(domain, (counts[i].get(domain) ?? 0) + countMatching(node.pods, c, pod.metadata.namespace));',
    replace: 'const n = countMatching(node.pods, c, pod.metadata.namespace);\n      if (n > 0) counts[i].set(domain, (counts[i].get(domain) ?? 0) + n);',
  },
  {
    name: "counts pods on nodes the pod's node affinity rules out",
    file,
    find: 'if (!node.matchesNodeAffinity || !hasAllKeys(node, constraints)) continue;\n    constraints.forEach((c, i) => {\n      const domain = node.labels[c.topologyKey];\n      counts',
    replace: 'if (!hasAllKeys(node, constraints)) continue;\n    constraints.forEach((c, i) => {\n      const domain = node.labels[c.topologyKey];\n      counts',
  },
  {
    name: 'a node without the topology key is Unschedulable instead of UnschedulableAndUnresolvable',
    file,
    find: 'if (domain === undefined) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);',
    replace: 'if (domain === undefined) return unschedulable(ERR_REASON_NODE_LABEL_NOT_MATCH);',
  },
  {
    name: 'the score adds up the raw counts, leaving out the log weight of the topology',
    file,
    find: 'score += count * weights[i] + (c.maxSkew - 1);',
    replace: 'score += count + (c.maxSkew - 1);',
  },
];
