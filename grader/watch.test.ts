import { describe, expect, it } from 'vitest';
import type { ExerciseResult } from './grade';
import { formatQuickCheck } from './watch';

const quick: ExerciseResult = {
  id: 'raft-replication',
  title: 'Raft, part 2',
  chapter: '02',
  points: 30,
  score: 28.9,
  passed: 27,
  failed: 1,
  total: 28,
  status: 'failed',
  firstFailure: { test: 'basic agreement', message: 'expected "100" committed on 3 peers\nbut 2 have it\nline 3\nline 4\nline 5' },
  seed: 1,
  replay: 'npm run grade -- raft-replication --seed 1',
  durationMs: 2140,
};

describe('the quick check in watch mode', () => {
  it('says what passed, the first failure in at most four lines, and that the score is still to come', () => {
    expect(formatQuickCheck(quick)).toBe(
      [
        'raft-replication — quick check, one seed per scenario, long ones left out (2.1 s): 27/28 tests pass',
        '  first failure: basic agreement',
        '    expected "100" committed on 3 peers',
        '    but 2 have it',
        '    line 3',
        '    line 4',
        '  the full suite is running for the score…',
      ].join('\n'),
    );
  });
});
