/**
 * Unit tests of the seed scan's pure parts (scan.ts): the --seeds argument and the lines it prints.
 * Run: npx vitest run grader/scan.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { ExerciseResult } from './grade';
import { formatLoss, formatScanSummary, parseSeeds, seedLine } from './scan';

const loss: ExerciseResult = {
  id: 'raft-persistence',
  title: 'Raft, part 3: persistence and restart',
  chapter: '02',
  points: 20,
  score: 18.6,
  passed: 13,
  failed: 1,
  total: 14,
  status: 'failed',
  firstFailure: { test: 'etcd › keeps every watch stream whole', message: 'RaftCheckFailure: expected every change delivered (seed 7)\nmore detail' },
  seed: 7,
  replay: 'npm run grade -- raft-persistence --seed 7 --solutions',
  durationMs: 0,
};

describe('parseSeeds', () => {
  it('reads a range, a list, or both', () => {
    expect(parseSeeds('1..4')).toEqual([1, 2, 3, 4]);
    expect(parseSeeds('6,7,82')).toEqual([6, 7, 82]);
    expect(parseSeeds('1..2,10')).toEqual([1, 2, 10]);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '3..1', 'a..b', '1-5', '1..']) expect(parseSeeds(bad), bad).toBeUndefined();
  });
});

describe('the scan report', () => {
  it('prints one line per seed', () => {
    expect(seedLine(6, 0, 200, 15, 0, 38_400)).toBe('seed 6 (1/200): all 15 exercises full marks, 38 s');
    expect(seedLine(7, 1, 200, 15, 1, 185_000)).toBe('seed 7 (2/200): 1 of 15 exercises lose points, 3 min 5 s');
  });

  it('shows a loss with its test, the first line of why, and the replay', () => {
    expect(formatLoss(loss).split('\n')).toEqual([
      '  raft-persistence 18.6/20: etcd › keeps every watch stream whole',
      '    RaftCheckFailure: expected every change delivered (seed 7)',
      '    replay: npm run grade -- raft-persistence --seed 7 --solutions',
    ]);
  });

  it('ends with what was scanned and every loss again, one line each', () => {
    expect(formatScanSummary([6, 7], 15, [{ seed: 7, result: loss }], 79_000).split('\n')).toEqual([
      'scanned 2 seeds (6..7) × 15 exercises in 1 min 19 s: 1 seed loses points',
      '  seed 7  raft-persistence 18.6/20  npm run grade -- raft-persistence --seed 7 --solutions',
    ]);
    expect(formatScanSummary([82, 350], 1, [], 5_000)).toBe('scanned 2 seeds (82,350) × 1 exercise in 5 s: full marks on every seed');
    expect(formatScanSummary([1], 1, [], 5_000)).toBe('scanned 1 seed (1..1) × 1 exercise in 5 s: full marks on every seed');
  });
});
