import type { Mutant } from '../mutants';

/** Realistic wrong MVCC reads: each must fail grader/suites/mvcc-read.test.ts (npm run mutants -- mvcc-read). */
const file = 'store/version-at.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'a read at exactly the revision of a write does not see it (< instead of <=)',
    file,
    find: 'if (history[mid].modRevision <= revision) {',
    replace: 'if (history[mid].modRevision < revision) {',
  },
  {
    name: 'forgets the tombstone: a deleted key is still seen',
    file,
    find: 'return isTombstone(history[i]) ? null : history[i];',
    replace: 'return history[i];',
  },
  {
    name: 'the binary search stops at the first version at or before the revision, not the latest',
    file,
    find: 'found = mid; // a candidate; a later one may still qualify\n      lo = mid + 1;',
    replace: 'return mid;',
  },
  {
    name: 'the binary search loops while lo < hi, so it never looks at the last candidate',
    file,
    find: 'while (lo <= hi) {',
    replace: 'while (lo < hi) {',
  },
  {
    name: 'the binary search leaves out the newest version (hi starts at length - 2)',
    file,
    find: 'let hi = history.length - 1;',
    replace: 'let hi = history.length - 2;',
  },
  {
    name: 'a read older than every version sees the oldest one (assumes the history starts with the creation)',
    file,
    find: 'if (i < 0) return null;',
    replace: 'if (i < 0) return history[0] ?? null;',
  },
  {
    name: 'steps back over a tombstone to the version before the delete',
    file,
    find: 'return isTombstone(history[i]) ? null : history[i];',
    replace: 'return isTombstone(history[i]) ? (history[i - 1] ?? null) : history[i];',
  },
];
