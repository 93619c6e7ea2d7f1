/**
 * Unit tests of the grader's reports (report.ts).
 * Run: npx vitest run grader/grade.test.ts grader/report.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { ExerciseResult } from './grade';
import { formatExercise, formatRow, formatSummary, progressBar, toJson, wantsColour } from './report';

const failing: ExerciseResult = {
  id: 'replicaset',
  title: 'ReplicaSet reconcile',
  chapter: '00',
  points: 10,
  score: 7.4,
  passed: 20,
  failed: 7,
  total: 27,
  status: 'failed',
  firstFailure: {
    test: 'Part 3: choosing which pods to delete › deletes a Pending pod before a Running one',
    message: "expected [ 'running' ] to deeply equal [ 'pending' ]\n\n- Expected\n+ Received",
  },
  seed: 1,
  replay: 'npm run grade -- replicaset --seed 1',
  durationMs: 900,
  consoleOutput: ['pods: 2'],
};

const passing: ExerciseResult = {
  id: 'scheduler',
  title: 'Scheduler',
  chapter: '01',
  points: 5,
  score: 5,
  passed: 12,
  failed: 0,
  total: 12,
  status: 'passed',
  seed: 1,
  replay: 'npm run grade -- scheduler --seed 1',
  durationMs: 700,
};

describe('formatExercise', () => {
  it('prints the header, score, first failure, console output, seed and replay, and the hint command', () => {
    expect(formatExercise(failing, false)).toBe(
      [
        'replicaset — ReplicaSet reconcile (chapter 00)',
        '  score 7.4/10 (20/27 tests) — failed',
        '  first failure: Part 3: choosing which pods to delete › deletes a Pending pod before a Running one',
        "    expected [ 'running' ] to deeply equal [ 'pending' ]",
        '    ',
        '    - Expected',
        '    + Received',
        '  your console.log output:',
        '    pods: 2',
        '  seed 1 · replay: npm run grade -- replicaset --seed 1',
        '  hint: npm run grade -- replicaset --hint',
      ].join('\n'),
    );
  });

  it('offers no hint when the exercise passes', () => {
    expect(formatExercise(passing, false)).not.toMatch(/hint/);
  });

  it('uses ANSI colours only when asked to', () => {
    expect(formatExercise(failing, true)).toMatch(/\u001b\[31m/);
    expect(formatExercise(failing, false)).not.toMatch(/\u001b/);
  });
});

describe('formatRow', () => {
  it('puts an exercise on one line: id, chapter, score, status', () => {
    expect(formatRow(failing, false)).toBe("replicaset             ch 00    7.4/10   failed");
    expect(formatRow(passing, false)).toMatch(/passed$/);
  });
});

describe('wantsColour', () => {
  it('is true for a terminal unless NO_COLOR is set', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
  });
});

describe('summary', () => {
  it('fills the bar with points and counts complete exercises', () => {
    expect(progressBar([failing, passing], 10)).toBe('[########--] 1/2 exercises complete, 12.4/15 points');
  });

  it('ends with the test counts alone on a line, then the total', () => {
    const lines = formatSummary([failing, passing]).split('\n');
    expect(lines.slice(1)).toEqual(['32 passed, 7 failed', 'total 12.4/15 points']);
  });
});

describe('toJson', () => {
  it('has the totals and every exercise, without the console output', () => {
    const json = JSON.parse(toJson([failing, passing], 'exercise', 1));
    expect(json).toMatchObject({ source: 'exercise', seed: 1, total: { score: 12.4, points: 15 } });
    expect(json.exercises.map((e: ExerciseResult) => e.id)).toEqual(['replicaset', 'scheduler']);
    expect(json.exercises[0]).not.toHaveProperty('consoleOutput');
    expect(json.exercises[0].firstFailure.test).toMatch(/^Part 3/);
  });
});
