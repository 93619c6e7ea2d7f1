import type { Mutant } from '../mutants';

/** Realistic wrong final picks: each must fail grader/suites/select-host.test.ts (npm run mutants -- select-host). */
const file = 'scheduler/select-host.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'breaks a tie by keeping the first node instead of the seeded draw',
    file,
    find: 'if (Math.floor(draws[used++] * holders) === 0) host = t.name;',
    replace: '',
  },
  {
    name: 'reads the same draw for every tie (never moves on to the next one)',
    file,
    find: 'draws[used++]',
    replace: 'draws[used]',
  },
  {
    name: 'a tie is a coin flip (draw < 0.5) instead of a 1-in-k chance',
    file,
    find: 'Math.floor(draws[used++] * holders) === 0',
    replace: 'draws[used++] < 0.5',
  },
  {
    name: 'does not reset the tie count when a higher total comes along',
    file,
    find: '      holders = 1;',
    replace: '',
  },
  {
    name: 'skips normalisation: adds up the raw scores',
    file,
    find: 'const scores = normalizeScores(p.scores, p.normalize);',
    replace: 'const scores = p.scores.map((s) => ({ name: s.name, score: s.score }));',
  },
  {
    name: "ignores the plugins' weights",
    file,
    find: 'scores[i].score *= p.weight;',
    replace: '',
  },
  {
    name: "'reverse' leaves all-zero scores at 0 instead of giving every node the maximum",
    file,
    find: 'score: reverse ? MAX_NODE_SCORE : s.score',
    replace: 'score: s.score',
  },
  {
    name: 'rounds the normalised score instead of truncating it as Go does',
    file,
    find: 'Math.trunc((MAX_NODE_SCORE * s.score) / highest)',
    replace: 'Math.round((MAX_NODE_SCORE * s.score) / highest)',
  },
];
