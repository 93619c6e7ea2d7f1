/**
 * `npm run grade -- --seeds 1..200 --solutions [<exercise-id>]`: grades the exercises on every
 * seed of a range and lists each seed on which they lose points. Run on the references before
 * every release of a chapter, it finds the rare seeds where a reference (or the kernel under
 * it) fails — a bug a learner would otherwise meet at midnight, with no way to tell it from
 * their own.
 *
 *   seed 6 (1/2): all 15 exercises full marks, 38 s
 *   seed 7 (2/2): 1 of 15 exercises lose points, 41 s
 *     raft-persistence 18.6/20: a replicated etcd on your Raft, ... › stays linearizable, ...
 *       expected every change delivered to the watcher once, in order (seed 7, ...
 *       replay: npm run grade -- raft-persistence --seed 7 --solutions
 *   scanned 2 seeds (6..7) × 15 exercises in 1 min 19 s: 1 seed loses points
 *     seed 7  raft-persistence 18.6/20  npm run grade -- raft-persistence --seed 7 --solutions
 *
 * A line per seed, so it can run in the background for an hour (`> scan.log &`) and be
 * followed with `tail -f`. Exit code 1 if any seed loses points.
 *
 * Each seed runs every scenario once, on that seed alone (KUBELAB_SEEDS=1): a scenario that a
 * grade runs on seeds 6 and 7 (with --seed 6) runs here on 6 when the scan is at 6, and on 7
 * at 7. So each failed run is listed once, under its own seed, and its replay line reproduces
 * exactly that run (the first one the replay makes).
 */
import type { ExerciseInfo } from '../lab-kernel/slots/manifest';
import type { SlotSource } from '../lab-kernel/slots/slots';
import { gradeExercise, type ExerciseResult } from './grade';
import type { SuiteRunner } from './run-suite';

export interface ScanOptions {
  exercises: ExerciseInfo[];
  seeds: number[];
  source: SlotSource;
  /** A fresh runner grading with this seed, one run per scenario. */
  runnerFor(seed: number): SuiteRunner;
  say(line: string): void;
}

/** An exercise that lost points on a seed. */
export interface ScanLoss {
  seed: number;
  result: ExerciseResult;
}

/**
 * The seeds of a --seeds argument: a range, a list, or both.
 *
 *   parseSeeds('1..200')   // => [1, 2, ..., 200]
 *   parseSeeds('6,7,82')   // => [6, 7, 82]
 *   parseSeeds('1..3,10')  // => [1, 2, 3, 10]
 *   parseSeeds('3..1')     // => undefined (not a range)
 */
export function parseSeeds(text: string): number[] | undefined {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const range = /^(\d+)(?:\.\.(\d+))?$/.exec(part.trim());
    if (range === null) return undefined;
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) return undefined;
    for (let seed = from; seed <= to; seed++) seeds.push(seed);
  }
  return seeds;
}

/** Grades every exercise on every seed, printing a line per seed; returns the exit code (1 if any loss). */
export async function scanSeeds(options: ScanOptions): Promise<number> {
  const { exercises, seeds, source, say } = options;
  const started = performance.now();
  const losses: ScanLoss[] = [];
  for (const [k, seed] of seeds.entries()) {
    const seedStarted = performance.now();
    const runner = options.runnerFor(seed);
    const results: ExerciseResult[] = [];
    try {
      for (const info of exercises) {
        // The references are type-checked by `npm test`: the scan grades behaviour only.
        results.push(gradeExercise(info, await runner.run(info.suite), [], { source, seed, durationMs: 0 }));
      }
    } finally {
      runner.close();
    }
    const lost = results.filter((r) => r.status !== 'passed');
    say(seedLine(seed, k, seeds.length, results.length, lost.length, performance.now() - seedStarted));
    for (const result of lost) {
      losses.push({ seed, result });
      say(formatLoss(result));
    }
  }
  say(formatScanSummary(seeds, exercises.length, losses, performance.now() - started));
  return losses.length > 0 ? 1 : 0;
}

/** `seed 7 (2/200): 1 of 15 exercises lose points, 41 s` */
export function seedLine(seed: number, k: number, of: number, exercises: number, lost: number, ms: number): string {
  const all = exercises === 1 ? 'full marks' : `all ${exercises} exercises full marks`;
  const verdict = lost === 0 ? all : `${lost} of ${exercises} exercise${exercises === 1 ? '' : 's'} lose${lost === 1 && exercises === 1 ? 's' : ''} points`;
  return `seed ${seed} (${k + 1}/${of}): ${verdict}, ${duration(ms)}`;
}

/** What one loss looks like under its seed's line: the score, the test, the first line of why, the replay. */
export function formatLoss(r: ExerciseResult): string {
  const why = (r.firstFailure?.message ?? '').split('\n')[0]!;
  const more = r.failed > 1 ? ` (and ${r.failed - 1} more failed tests)` : '';
  return [
    `  ${r.id} ${r.score}/${r.points}: ${r.firstFailure?.test ?? r.status}${more}`,
    ...(why === '' ? [] : [`    ${clip(why, 240)}`]),
    `    replay: ${r.replay}`,
  ].join('\n');
}

/** The closing lines: how much was scanned, and every loss again, one line each. */
export function formatScanSummary(seeds: number[], exercises: number, losses: ScanLoss[], ms: number): string {
  const lossySeeds = new Set(losses.map((l) => l.seed)).size;
  const consecutive = seeds.every((seed, i) => i === 0 || seed === seeds[i - 1]! + 1);
  const range = seeds.length === 0 ? '' : consecutive ? ` (${seeds[0]}..${seeds[seeds.length - 1]})` : ` (${clip(seeds.join(','), 40)})`;
  const verdict = lossySeeds === 0 ? 'full marks on every seed' : `${lossySeeds} seed${lossySeeds === 1 ? ' loses' : 's lose'} points`;
  return [
    `scanned ${seeds.length} seed${seeds.length === 1 ? '' : 's'}${range} × ${exercises} exercise${exercises === 1 ? '' : 's'} in ${duration(ms)}: ${verdict}`,
    ...losses.map((l) => `  seed ${l.seed}  ${l.result.id} ${l.result.score}/${l.result.points}  ${l.result.replay}`),
  ].join('\n');
}

/** 41 s, 3 min 5 s, 1 h 2 min. */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
