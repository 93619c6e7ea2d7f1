/**
 * Unit tests of the grader's pure part (grade.ts): scores, statuses, the failure shown.
 * Run: npx vitest run grader/grade.test.ts grader/report.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { ExerciseInfo } from '../lab-kernel/slots/manifest';
import { classify, gradeExercise, score, trimFailure, type SuiteOutcome, type VitestJsonReport } from './grade';

const info: ExerciseInfo = {
  id: 'replicaset',
  title: 'ReplicaSet reconcile',
  chapter: '00',
  points: 10,
  files: ['replicaset/reconcile.ts'],
  suite: 'grader/suites/replicaset.test.ts',
  hints: ['one'],
};
const ctx = { source: 'exercise', seed: 1, durationMs: 812.4 } as const;

// Failure messages as Vitest writes them: the error's name and message, then stack frames.
const STACK = '\n    at /work/main/lab-kernel/slots/slots.ts:86:40\n    at file:///work/main/node_modules/@vitest/runner/dist/chunk-hooks.js:155:11';
const NOT_IMPLEMENTED = `SlotError: not implemented yet: replicaset${STACK}`;
const ASSERTION = `AssertionError: expected [] to have a length of 1 but got +0\n\n- Expected\n+ Received\n\n- 1\n+ 0${STACK}`;
const LOOP = `SlotError: replicaset (exercise): reconcileReplicaSet did not return within 1000 ms (an endless loop?)${STACK}`;
const SYNTAX = `SlotError: replicaset (exercise): does not compile:\nexercises/replicaset/reconcile.ts:45:22 - ')' expected.${STACK}`;

/** A fake Vitest JSON report: `passing` passed tests, then one failed test per message. */
function report(passing: number, failures: string[]): SuiteOutcome {
  const test = (i: number, status: string, failureMessages: string[]) => ({ ancestorTitles: ['Part 1'], title: `test ${i}`, status, failureMessages });
  const assertionResults = [
    ...Array.from({ length: passing }, (_, i) => test(i, 'passed', [])),
    ...failures.map((m, i) => test(passing + i, 'failed', [m])),
    { ancestorTitles: [], title: 'skipped on purpose', status: 'skipped', failureMessages: [] },
  ];
  const json: VitestJsonReport = { testResults: [{ status: failures.length > 0 ? 'failed' : 'passed', message: '', assertionResults }] };
  return { kind: 'report', report: json, consoleOutput: [] };
}

describe('score', () => {
  it('is points × passed/total, rounded to one decimal', () => {
    expect(score(10, 20, 27)).toBe(7.4);
    expect(score(10, 1, 3)).toBe(3.3);
    expect(score(10, 27, 27)).toBe(10);
  });

  it('is 0 when no test ran', () => {
    expect(score(10, 0, 0)).toBe(0);
  });
});

describe('gradeExercise', () => {
  it('reports an untouched stub as not-started, with the not-implemented message', () => {
    const r = gradeExercise(info, report(0, Array(27).fill(NOT_IMPLEMENTED)), [], ctx);
    expect(r).toMatchObject({ score: 0, passed: 0, failed: 27, total: 27, status: 'not-started', seed: 1, durationMs: 812 });
    expect(r.firstFailure).toEqual({ test: 'Part 1 › test 0', message: 'not implemented yet: replicaset' });
    expect(r.replay).toBe('npm run grade -- replicaset --seed 1');
  });

  it('scores a partial solution and shows its first failure without the stack', () => {
    const r = gradeExercise(info, report(20, [ASSERTION, ...Array(6).fill(NOT_IMPLEMENTED)]), [], ctx);
    expect(r).toMatchObject({ score: 7.4, passed: 20, failed: 7, total: 27, status: 'failed' });
    expect(r.firstFailure).toEqual({ test: 'Part 1 › test 20', message: 'expected [] to have a length of 1 but got +0\n\n- Expected\n+ Received\n\n- 1\n+ 0' });
  });

  it('passes when every test passes, and skipped tests do not count', () => {
    const r = gradeExercise(info, report(27, []), [], { ...ctx, source: 'solution' });
    expect(r).toMatchObject({ score: 10, passed: 27, total: 27, status: 'passed' });
    expect(r.firstFailure).toBeUndefined();
    expect(r.replay).toBe('npm run grade -- replicaset --seed 1 --solutions');
  });

  it('points its seed and replay at the run that failed, when a scenario run on several seeds names it', () => {
    const failure = `RaftCheckFailure: expected a leader within 10 s\nseed 7, stopped at 14.231 s of virtual time; replay: npm run grade -- replicaset --seed 7 --solutions${STACK}`;
    const r = gradeExercise(info, report(26, [failure]), [], { ...ctx, seed: 6, source: 'solution' });
    expect(r).toMatchObject({ seed: 7, replay: 'npm run grade -- replicaset --seed 7 --solutions' });
  });

  it('shows the endless loop, not an earlier ordinary failure, when a test timed out', () => {
    const r = gradeExercise(info, report(3, [ASSERTION, LOOP]), [], ctx);
    expect(r.status).toBe('timeout');
    expect(r.firstFailure?.message).toMatch(/reconcileReplicaSet did not return within 1000 ms/);
  });

  it('reports the loader’s syntax errors as compile-error, led by the compiler rather than the test that loaded the file first', () => {
    const r = gradeExercise(info, report(0, Array(27).fill(SYNTAX)), [], ctx);
    expect(r.status).toBe('compile-error');
    expect(r.firstFailure?.test).toBe('compiling your code');
    expect(r.firstFailure?.message).toBe("replicaset (exercise): does not compile:\nexercises/replicaset/reconcile.ts:45:22 - ')' expected.");
  });

  it('turns passing code with type errors into compile-error, keeping the score', () => {
    const typeError = "exercises/replicaset/reconcile.ts:19:9 - Type 'number' is not assignable to type 'string'.";
    const r = gradeExercise(info, report(27, []), [typeError], ctx);
    expect(r).toMatchObject({ score: 10, status: 'compile-error', firstFailure: { test: 'type check (tsc)', message: typeError } });
  });

  it('leaves a stub not-started even if the type checker complains', () => {
    expect(gradeExercise(info, report(0, [NOT_IMPLEMENTED]), ['x.ts:1:1 - oops'], ctx).status).toBe('not-started');
  });

  it('reports a run stopped by the wall clock as timeout, with nothing scored', () => {
    const r = gradeExercise(info, { kind: 'timeout', afterMs: 60_000 }, [], ctx);
    expect(r).toMatchObject({ score: 0, total: 0, status: 'timeout' });
    expect(r.firstFailure?.message).toMatch(/did not finish within 60 s.*endless loop/);
  });

  it('reports a runner that died, or a suite that could not load, as crashed', () => {
    expect(gradeExercise(info, { kind: 'crashed', detail: 'line 1\nSegmentation fault' }, [], ctx)).toMatchObject({
      status: 'crashed',
      firstFailure: { message: 'line 1\nSegmentation fault' },
    });
    const broken: SuiteOutcome = { kind: 'report', consoleOutput: [], report: { testResults: [{ status: 'failed', message: 'Cannot find module ../harness', assertionResults: [] }] } };
    expect(gradeExercise(info, broken, [], ctx)).toMatchObject({ status: 'crashed', total: 0, firstFailure: { message: 'Cannot find module ../harness' } });
  });
});

describe('classify', () => {
  it('needs every failure to be this exercise’s not-implemented, and nothing passed, for not-started', () => {
    expect(classify('replicaset', 0, ['not implemented yet: replicaset'])).toBe('not-started');
    expect(classify('replicaset', 1, ['not implemented yet: replicaset'])).toBe('failed');
    expect(classify('replicaset', 0, ['not implemented yet: replicaset', 'expected 1 to be 2'])).toBe('failed');
    expect(classify('replicaset', 0, ['not implemented yet: scheduler'])).toBe('failed');
  });

  it('counts Vitest’s own test timeout and a looping module load as timeout', () => {
    expect(classify('replicaset', 0, ['Error: Test timed out in 5000ms.'])).toBe('timeout');
    expect(classify('replicaset', 0, ['loading the module did not finish within 1000 ms (an endless loop at top level?)'])).toBe('timeout');
  });
});

describe('trimFailure', () => {
  it('drops colour codes, stack frames and the AssertionError label', () => {
    expect(trimFailure('AssertionError: expected \u001b[32m1\u001b[39m to be 2\n    at foo (x.ts:1:1)\n\n')).toBe('expected 1 to be 2');
  });

  it('keeps other error names, which tell the learner something', () => {
    expect(trimFailure("TypeError: Cannot read properties of undefined (reading 'length')")).toBe("TypeError: Cannot read properties of undefined (reading 'length')");
  });

  it('cuts long messages', () => {
    const long = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    expect(trimFailure(long, 3)).toBe('line 0\nline 1\nline 2\n… (17 more lines)');
  });
});
