/**
 * `npm run grade -- --watch`: grade everything once, then re-grade an exercise each time one
 * of its files in exercises/ is saved (like rustlings' watch mode). Saving
 * exercises/manifest.yaml reloads it and re-grades everything.
 *
 * Saves are collected for DEBOUNCE_MS first, because editors often write a file in several
 * steps. Nothing a learner writes stops the loop: a broken file is just a bad grade.
 *
 * Hints are never spent behind the learner's back: a failing grade repeats the hint already
 * shown, and on a terminal the `h` key reveals the next one for the exercise graded last,
 * passed or not (`q` quits), as in rustlings.
 */
import * as path from 'path';
import { watch } from 'chokidar';
import type { ExerciseInfo } from '../lab-kernel/slots/manifest';
import type { ExerciseResult } from './grade';
import { nextHint, shownHint, type Hint } from './hints';
import { formatExercise, progressBar } from './report';

const DEBOUNCE_MS = 100;

/**
 * The quick check's lines: what passed, the first failure if any, and that the score is still
 * to come.
 *
 *   raft-replication — quick check, one seed per scenario, long ones left out (2.1 s): 27/28 tests pass
 *     first failure: log replication on a simulated cluster › basic agreement ...
 *       expected "100" to be committed on 3 peers ...
 *     the full suite is running for the score…
 */
export function formatQuickCheck(r: ExerciseResult): string {
  const lines = [`${r.id} — quick check, one seed per scenario, long ones left out (${(r.durationMs / 1000).toFixed(1)} s): ${r.passed}/${r.total} tests pass`];
  if (r.firstFailure !== undefined) {
    lines.push(`  first failure: ${r.firstFailure.test}`, ...r.firstFailure.message.split('\n').slice(0, 4).map((line) => `    ${line}`));
  }
  lines.push('  the full suite is running for the score…');
  return lines.join('\n');
}

export interface WatchOptions {
  root: string;
  /** The exercises to grade, read from the manifest (again after it changes). */
  loadExercises: () => ExerciseInfo[];
  grade: (info: ExerciseInfo) => Promise<ExerciseResult>;
  colour: boolean;
  /** Clear the terminal before each re-grade (only makes sense on a terminal). */
  clearScreen: boolean;
  /** Where the exercise files live: exercises/ (or solutions/ with --solutions). */
  codeDir: string;
  /**
   * A quick first look on a save, before the full suite, for exercises whose full suite takes
   * long (the Raft parts: every scenario on one seed instead of several); undefined when the
   * exercise has none. The score always comes from the full suite.
   */
  quickGrade?: (info: ExerciseInfo) => Promise<ExerciseResult> | undefined;
}

export async function watchExercises(o: WatchOptions): Promise<void> {
  const manifestFile = path.join(o.root, 'exercises', 'manifest.yaml');
  const print = (text: string) => process.stdout.write(`${text}\n`);
  let exercises = o.loadExercises();
  const results = new Map<string, ExerciseResult>();
  const keys = process.stdin.isTTY === true;
  /** The exercise the `h` key gives a hint for: the last one graded, passed or not. */
  let lastGraded: ExerciseInfo | undefined;
  const printHint = (hint: Hint) => print(`  hint ${hint.number}/${hint.of}: ${hint.text}`);

  const gradeAndPrint = async (info: ExerciseInfo, withHint: boolean) => {
    try {
      const quick = withHint ? o.quickGrade?.(info) : undefined;
      if (quick !== undefined) print(formatQuickCheck(await quick));
      const result = await o.grade(info);
      results.set(info.id, result);
      print(formatExercise(result, o.colour));
      lastGraded = info;
      if (withHint && result.status !== 'passed') {
        const shown = shownHint(o.root, info);
        if (shown !== undefined) printHint(shown);
        if (shown === undefined || shown.number < shown.of) {
          print(keys ? `  press h for ${shown ? 'the next' : 'a'} hint` : `  for ${shown ? 'the next' : 'a'} hint: npm run grade -- ${info.id} --hint`);
        }
      }
    } catch (err) {
      print(`could not grade ${info.id}: ${(err as Error).message}`);
    }
    print('');
  };
  const footer = () => {
    print(progressBar(exercises.flatMap((info) => results.get(info.id) ?? [])));
    print(`watching ${path.relative(o.root, o.codeDir)}/ — save a file to re-grade it, ${keys ? 'h for a hint, q to quit' : 'Ctrl-C to quit'}`);
  };
  if (keys) {
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (key: string) => {
      if (key === 'q' || key === '\u0003') process.kill(process.pid, 'SIGINT'); // q or Ctrl-C: the CLI's handler cleans up
      else if (key === 'h' && lastGraded !== undefined) printHint(nextHint(o.root, lastGraded));
    });
  }

  for (const info of exercises) await gradeAndPrint(info, false);
  footer();

  // Paths saved since the last re-grade; `busy` makes re-grades run one after another.
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let busy = false;

  const regrade = async () => {
    if (busy) return; // the running re-grade loops until `changed` is empty
    busy = true;
    while (changed.size > 0) {
      const files = [...changed];
      changed.clear();
      let todo: ExerciseInfo[];
      if (files.includes(manifestFile)) {
        try {
          exercises = o.loadExercises();
        } catch (err) {
          print(`exercises/manifest.yaml: ${(err as Error).message}`);
          continue;
        }
        todo = exercises;
      } else {
        todo = exercises.filter((info) => info.files.some((f) => files.includes(path.join(o.codeDir, f))));
      }
      if (todo.length === 0) continue;
      if (o.clearScreen) process.stdout.write('\u001b[2J\u001b[3J\u001b[H');
      for (const info of todo) await gradeAndPrint(info, true);
      footer();
    }
    busy = false;
  };

  const watcher = watch([o.codeDir, manifestFile], { ignoreInitial: true });
  watcher.on('all', (_event, file) => {
    changed.add(path.resolve(file));
    clearTimeout(timer);
    timer = setTimeout(() => void regrade(), DEBOUNCE_MS);
  });
  watcher.on('error', (err) => print(`file watcher: ${(err as Error).message}`));
}
