/**
 * Turning a suite run into a grade: the score, the status and the first failure to show.
 * Everything here is pure (no files, no processes), so grade.test.ts can test it directly.
 *
 *   score(10, 20, 27)   // => 7.4
 *   gradeExercise(info, { kind: 'report', report }, [], { source: 'exercise', seed: 1, durationMs: 900 })
 *     // => { id: 'replicaset', score: 7.4, passed: 20, failed: 7, status: 'failed', firstFailure: {...}, ... }
 */
import type { ExerciseInfo } from '../lab-kernel/slots/manifest';
import { NOT_IMPLEMENTED_PREFIX } from '../lab-kernel/sim/not-implemented';
import type { SlotSource } from '../lab-kernel/slots/slots';

/** The part of Vitest's JSON report (`vitest run --reporter=json`) the grader reads. */
export interface VitestJsonReport {
  testResults: {
    /** 'passed' | 'failed'; 'failed' with no assertionResults when the suite file itself broke. */
    status: string;
    message: string;
    assertionResults: {
      ancestorTitles: string[];
      title: string;
      /** 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' */
      status: string;
      failureMessages: string[];
    }[];
  }[];
}

/** What running one suite produced. */
export type SuiteOutcome =
  | { kind: 'report'; report: VitestJsonReport; consoleOutput: string[] }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'crashed'; detail: string };

export type Status = 'passed' | 'failed' | 'not-started' | 'compile-error' | 'timeout' | 'out-of-memory' | 'crashed';

export interface ExerciseResult {
  id: string;
  title: string;
  chapter: string;
  points: number;
  score: number;
  passed: number;
  failed: number;
  total: number;
  status: Status;
  firstFailure?: { test: string; message: string };
  seed: number;
  replay: string;
  durationMs: number;
  /** What the learner's code printed with console.log (human report only, not in --json). */
  consoleOutput?: string[];
}

export interface GradeContext {
  source: SlotSource;
  seed: number;
  durationMs: number;
}

/** points × passed/total, rounded to one decimal. */
export function score(points: number, passed: number, total: number): number {
  return total === 0 ? 0 : Math.round((points * passed * 10) / total) / 10;
}

/** The command that grades this exercise again, the same way. */
export function replayCommand(id: string, seed: number, source: SlotSource): string {
  return `npm run grade -- ${id} --seed ${seed}${source === 'solution' ? ' --solutions' : ''}`;
}

// The texts lab-kernel/slots tells its failures apart with (slots.ts, ts-module-loader.ts).
const COMPILE_ERROR = /does not compile/;
export const ENDLESS_LOOP = /did not return within|did not finish within|Test timed out in/;
// The sandbox's report of code over its memory ceiling (lab-kernel/slots/sandbox.ts).
export const OUT_OF_MEMORY = /used more than \d+ MB of memory/;
/** Failures after which the grader stops the suite: each later test would only pay the same limit again. */
export const STOPS_THE_SUITE = new RegExp(`${ENDLESS_LOOP.source}|${OUT_OF_MEMORY.source}`);

/**
 * Grades one exercise. `typeErrors` are the type checker's complaints about the exercise's
 * files ("exercises/x.ts:3:7 - ..."); they turn a `passed` or `failed` run into
 * `compile-error` but never hide a stub's `not-started`.
 */
export function gradeExercise(info: ExerciseInfo, outcome: SuiteOutcome, typeErrors: string[], ctx: GradeContext): ExerciseResult {
  const verdict = judge(info.id, outcome);
  if (typeErrors.length > 0 && (verdict.status === 'passed' || verdict.status === 'failed')) {
    verdict.status = 'compile-error';
    verdict.firstFailure = { test: 'type check (tsc)', message: typeErrors.join('\n') };
  }
  const { passed, failed, status, firstFailure } = verdict;
  const seed = (firstFailure && failedRunSeed(info.id, firstFailure.message)) ?? ctx.seed;
  const consoleOutput = outcome.kind === 'report' ? outcome.consoleOutput : [];
  // Built field by field so that --json lists them in this order.
  return {
    id: info.id,
    title: info.title,
    chapter: info.chapter,
    points: info.points,
    score: score(info.points, passed, passed + failed),
    passed,
    failed,
    total: passed + failed,
    status,
    ...(firstFailure && { firstFailure }),
    seed,
    replay: replayCommand(info.id, seed, ctx.source),
    durationMs: Math.round(ctx.durationMs),
    ...(consoleOutput.length > 0 && { consoleOutput }),
  };
}

/**
 * The seed of the run that failed, when the failure names its own replay: a scenario that runs
 * on several seeds (`--seed 6` runs 6 and 7) says which of them failed, and the report then
 * points at that run, not at the first seed of the series.
 *
 *   failedRunSeed('raft-persistence', '... (seed 7, replay: npm run grade -- raft-persistence --seed 7) ...')  // => 7
 *   failedRunSeed('replicaset', 'expected [] to have a length of 1')                                           // => undefined
 */
export function failedRunSeed(id: string, message: string): number | undefined {
  const named = new RegExp(`replay: npm run grade -- ${id} --seed (\\d+)`).exec(message);
  return named === null ? undefined : Number(named[1]);
}

type Verdict = Pick<ExerciseResult, 'passed' | 'failed' | 'status' | 'firstFailure'>;

/** Counts, status and the failure to show, from the suite run alone. */
function judge(id: string, outcome: SuiteOutcome): Verdict {
  if (outcome.kind === 'timeout') {
    const message =
      `the tests did not finish within ${outcome.afterMs / 1000} s, so the grader stopped them. ` +
      'An endless loop in your code is the likely cause (a loop whose condition never becomes false).';
    return { passed: 0, failed: 0, status: 'timeout', firstFailure: { test: 'the whole suite', message } };
  }
  if (outcome.kind === 'crashed') {
    return { passed: 0, failed: 0, status: 'crashed', firstFailure: { test: 'the test runner', message: tail(outcome.detail) } };
  }
  const file = outcome.report.testResults[0];
  const tests = (file?.assertionResults ?? []).filter((t) => t.status === 'passed' || t.status === 'failed');
  if (tests.length === 0) {
    // The suite could not even be collected (an error while importing it): nothing to score.
    return { passed: 0, failed: 0, status: 'crashed', firstFailure: { test: 'loading the suite', message: tail(file?.message || 'the suite has no tests') } };
  }
  const failures = tests.filter((t) => t.status === 'failed');
  const passed = tests.length - failures.length;
  const messages = failures.map((t) => t.failureMessages.join('\n'));
  const status = classify(id, passed, messages);
  // Show the failure that explains the status: the endless loop, not an ordinary failure before it.
  const reason = status === 'compile-error' ? COMPILE_ERROR : status === 'timeout' ? ENDLESS_LOOP : status === 'out-of-memory' ? OUT_OF_MEMORY : /./;
  const shown = Math.max(0, messages.findIndex((m) => reason.test(m)));
  const first = failures[shown];
  return {
    passed,
    failed: failures.length,
    status,
    // A compile error is about the file, not about the test that happened to load it first.
    ...(first && { firstFailure: { test: status === 'compile-error' ? 'compiling your code' : [...first.ancestorTitles, first.title].join(' › '), message: trimFailure(messages[shown]!) } }),
  };
}

/** The status a run earns, from its failure messages (one per failed test). */
export function classify(id: string, passed: number, failureMessages: string[]): Status {
  if (failureMessages.length === 0) return 'passed';
  if (failureMessages.some((m) => COMPILE_ERROR.test(m))) return 'compile-error';
  if (failureMessages.some((m) => ENDLESS_LOOP.test(m))) return 'timeout';
  if (failureMessages.some((m) => OUT_OF_MEMORY.test(m))) return 'out-of-memory';
  const stub = `${NOT_IMPLEMENTED_PREFIX}${id}`;
  if (passed === 0 && failureMessages.every((m) => m.includes(stub))) return 'not-started';
  return 'failed';
}

/**
 * A failure message as a learner wants to read it: no colour codes, no stack frames
 * (they point into Vitest, and line numbers in your code would be off after transpiling),
 * no "AssertionError:" label, at most `maxLines` lines.
 */
export function trimFailure(message: string, maxLines = 14): string {
  const lines = stripAnsi(message)
    .replace(/^(AssertionError|SlotError): /, '')
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length <= maxLines) return lines.join('\n');
  return [...lines.slice(0, maxLines), `… (${lines.length - maxLines} more lines)`].join('\n');
}

export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** The last lines of a long text (a crashed runner's stderr). */
function tail(text: string, maxLines = 20): string {
  return stripAnsi(text).trimEnd().split('\n').slice(-maxLines).join('\n');
}
