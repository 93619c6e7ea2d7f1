import type { Mutant } from '../mutants';

/** Realistic wrong taint checks: each must fail grader/suites/taint-toleration.test.ts (npm run mutants -- taint-toleration). */
const file = 'scheduler/taint-toleration.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'only NoSchedule taints filter: a NoExecute taint lets any pod in',
    file,
    find: "(t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&",
    replace: "t.effect === 'NoSchedule' &&",
  },
  {
    name: 'a PreferNoSchedule taint filters the node out as well',
    file,
    find: "(t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&",
    replace: '',
  },
  {
    name: 'a toleration with no operator means Exists instead of Equal',
    file,
    find: "toleration.operator ?? 'Equal'",
    replace: "toleration.operator ?? 'Exists'",
  },
  {
    name: 'an empty key with Exists only tolerates taints with an empty key',
    file,
    find: 'if (toleration.key && toleration.key !== taint.key) return false;',
    replace: 'if (toleration.key !== taint.key) return false;',
  },
  {
    name: 'a toleration without an effect only matches taints without one',
    file,
    find: 'if (toleration.effect && toleration.effect !== taint.effect) return false;',
    replace: 'if (toleration.effect !== taint.effect) return false;',
  },
  {
    name: 'Exists still compares the values',
    file,
    find: "case 'Exists':\n      return true;",
    replace: "case 'Exists':\n      return (toleration.value ?? '') === (taint.value ?? '');",
  },
  {
    name: 'the score keeps only PreferNoSchedule tolerations, dropping those with no effect (which tolerate every effect)',
    file,
    find: "(t) => !t.effect || t.effect === 'PreferNoSchedule'",
    replace: "(t) => t.effect === 'PreferNoSchedule'",
  },
  {
    name: 'the score counts every untolerated taint, not only PreferNoSchedule ones',
    file,
    find: "t.effect === 'PreferNoSchedule' && !tolerated",
    replace: '!tolerated',
  },
  {
    name: "the reason prints a missing value as 'undefined'",
    file,
    find: "${blocking.value ?? ''}",
    replace: '${blocking.value}',
  },
];
