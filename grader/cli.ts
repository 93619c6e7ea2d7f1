/**
 * `npm run grade` — grades the learner's code in exercises/ with the suites in grader/suites/.
 * Run `npm run grade -- --help` for the commands. How it fits together:
 *
 *   cli.ts          reads the command line, grades the exercises in manifest order, prints
 *   run-suite.ts    runs one suite in a child process with a hard time limit
 *   suite-server.ts that child: one warm Vitest answering "run this suite"
 *   typecheck.ts    type errors in the exercise's files
 *   grade.ts        score, status, first failure (pure)
 *   report.ts       the human and JSON reports (pure)
 *   hints.ts        --hint, remembered in .kubelab/hints.json
 *   watch.ts        --watch
 *   scan.ts         --seeds: every seed of a range, listing those that lose points
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { loadManifest, repoRoot, type ExerciseInfo } from '../lab-kernel/slots/manifest';
import { NOT_IMPLEMENTED_PREFIX } from '../lab-kernel/sim/not-implemented';
import { slotOf, type SlotSource } from '../lab-kernel/slots/slots';
import { gradeExercise, type ExerciseResult } from './grade';
import { parseSeeds, scanSeeds } from './scan';
import { nextHint } from './hints';
import { formatExercise, formatRow, formatSummary, toJson, wantsColour } from './report';
import { SuiteRunner } from './run-suite';
import { typeErrors } from './typecheck';
import { watchExercises } from './watch';

const USAGE = `Usage: npm run grade -- [<exercise-id>] [options]

  npm run grade                         grade every exercise, in the order of the lab
  npm run grade -- replicaset           grade one exercise
  npm run grade -- replicaset --hint    show the next hint for it (one more each time)
  npm run grade -- --watch              re-grade an exercise each time you save one of its files
  npm run grade -- --seeds 1..200 --solutions [<exercise-id>]
                                        scan many seeds: list each seed where the references lose points

Options:
  --seed <n>       seed of the simulated clusters (default 1); every report names it to replay it
  --seeds <list>   grade on each of these seeds (1..200, 6,7,82), each scenario once per seed; a
                   line per seed, then every seed that lost points with its replay command
  --solutions      grade the reference solutions (solutions/) instead of your code (exercises/)
  --json           print a machine-readable report on stdout, and nothing else
  --hint           print the next hint for <exercise-id>
  --watch          grade once, then again on every save; h shows a hint, q quits
  --expect-stubs   CI: succeed only if every exercise is still an untouched stub (not started)
  -h, --help       print this text

Exit code: 0 when every graded exercise passes (with --expect-stubs: when every one is an
untouched stub), 1 otherwise, 2 for a command-line mistake.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string', default: '1' },
      seeds: { type: 'string' },
      solutions: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      hint: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      'expect-stubs': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const root = repoRoot();
  const manifest = loadManifest(root);
  const selected = selectExercises(manifest, positionals);
  if (!/^\d+$/.test(flags.seed)) throw new UsageError(`--seed needs a whole number, not "${flags.seed}"`);
  const seed = Number(flags.seed);
  if (flags['expect-stubs'] && flags.solutions) throw new UsageError('--expect-stubs checks the stubs in exercises/: leave out --solutions');
  if (flags.watch && (flags.json || flags['expect-stubs'])) throw new UsageError('--watch is for people: leave out --json and --expect-stubs');
  const scanned = flags.seeds === undefined ? undefined : parseSeeds(flags.seeds);
  if (flags.seeds !== undefined) {
    if (scanned === undefined) throw new UsageError(`--seeds needs a range or a list of whole numbers (1..200, 6,7,82), not "${flags.seeds}"`);
    if (flags.watch || flags.hint || flags.json || flags['expect-stubs']) throw new UsageError('--seeds scans many seeds: leave out --watch, --hint, --json and --expect-stubs');
  }

  if (flags.hint) {
    if (positionals.length === 0) throw new UsageError('--hint needs an exercise id, e.g. npm run grade -- replicaset --hint');
    const info = selected[0]!;
    const hint = nextHint(root, info);
    console.log(`hint ${hint.number}/${hint.of} for ${info.id} — ${info.title}:\n\n${hint.text}`);
    if (hint.number === hint.of) console.log('\n(That is the last hint. The reference is in solutions/ if you are really stuck.)');
    return 0;
  }

  const source: SlotSource = flags.solutions ? 'solution' : 'exercise';
  const codeDir = path.join(root, flags.solutions ? 'solutions' : 'exercises');
  let runner = new SuiteRunner(root, { source, seed });
  // However we leave (done, Ctrl-C, a crash), take the test runner's processes with us.
  process.on('exit', () => runner.close());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (flags.watch) console.log('\nstopped watching.');
      process.exit(flags.watch ? 0 : 130);
    });
  }

  if (scanned !== undefined) {
    const runnerFor = (s: number) => (runner = new SuiteRunner(root, { source, seed: s, runs: 1 }));
    return scanSeeds({ exercises: selected, seeds: scanned, source, runnerFor, say: (line) => console.log(line) });
  }

  // In watch mode a Raft part gets a quick check first: each scenario on one seed and the slow
  // ones left out, from a second warm runner; the full suite's score follows from the first.
  let quickRunner: SuiteRunner | undefined;
  process.on('exit', () => quickRunner?.close());
  const quickGrade = (info: ExerciseInfo): Promise<ExerciseResult> | undefined => {
    if (slotOf(info.id) !== 'raft') return undefined;
    quickRunner ??= new SuiteRunner(root, { source, seed, runs: 1, quick: true });
    const started = performance.now();
    return quickRunner.run(info.suite).then((outcome) => gradeExercise(info, outcome, [], { source, seed, durationMs: performance.now() - started }));
  };

  // The suite runs in the child process while this one type-checks: the two overlap.
  const grade = async (info: ExerciseInfo): Promise<ExerciseResult> => {
    const started = performance.now();
    const outcome = runner.run(info.suite);
    const errors = typeErrors(root, info.files.map((f) => path.join(codeDir, f)));
    return gradeExercise(info, await outcome, errors, { source, seed, durationMs: performance.now() - started });
  };

  const colour = !flags.json && wantsColour(process.stdout, process.env);
  if (flags.watch) {
    await watchExercises({ root, codeDir, grade, quickGrade, colour, clearScreen: process.stdout.isTTY === true, loadExercises: () => selectExercises(loadManifest(root), positionals) });
    return new Promise<number>(() => undefined); // runs until Ctrl-C
  }

  // With --json, stdout carries the JSON only; everything for people goes to stderr.
  const say = (text: string) => (flags.json ? process.stderr : process.stdout).write(`${text}\n`);
  // One exercise: its whole report. Several: a line each as they finish, then the whole report
  // of the first one not passed yet (where to work next).
  const results: ExerciseResult[] = [];
  const table = selected.length > 1;
  for (const info of selected) {
    const result = await grade(info);
    results.push(result);
    if (!flags.json) say(table ? formatRow(result, colour) : `${formatExercise(result, colour)}\n`);
  }
  const next = results.find((r) => r.status !== 'passed');
  if (!flags.json && table && next !== undefined) say(`\nnext up:\n${formatExercise(next, colour)}\n  (details for one exercise: npm run grade -- ${next.id})\n`);
  if (!flags.json && table && next === undefined) say('');
  if (flags.json) console.log(toJson(results, source, seed));
  else say(formatSummary(results));

  if (flags['expect-stubs']) {
    const offenders = results.filter((r) => r.status !== 'not-started' || !r.firstFailure?.message.includes(`${NOT_IMPLEMENTED_PREFIX}${r.id}`));
    if (offenders.length > 0) {
      say(`--expect-stubs: not untouched stubs: ${offenders.map((r) => `${r.id} (${r.status})`).join(', ')}`);
      return 1;
    }
    say(`--expect-stubs: every exercise (${results.length}) is an untouched stub`);
    return 0;
  }
  return results.every((r) => r.status === 'passed') ? 0 : 1;
}

/** All exercises, or the one the command line names. */
function selectExercises(manifest: ExerciseInfo[], ids: string[]): ExerciseInfo[] {
  if (ids.length === 0) return manifest;
  if (ids.length > 1) throw new UsageError(`one exercise at a time, please (got ${ids.join(', ')})`);
  const found = manifest.find((info) => info.id === ids[0]);
  if (found === undefined) throw new UsageError(`unknown exercise "${ids[0]}". Known exercises: ${manifest.map((info) => info.id).join(', ')}`);
  return [found];
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // parseArgs throws errors with an ERR_PARSE_ARGS_* code for unknown or malformed options.
    const usage = err instanceof UsageError || (err as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS') === true;
    console.error(`grade: ${(err as Error)?.message ?? String(err)}`);
    if (usage) console.error('(npm run grade -- --help lists the options)');
    process.exit(usage ? 2 : 1);
  },
);
