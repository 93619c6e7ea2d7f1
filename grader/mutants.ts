/**
 * `npm run mutants`: does each grader suite catch the bugs learners really make?
 *
 * Beside each suite, `grader/suites/<id>.mutants.ts` lists realistic wrong implementations of
 * its exercise, each a small edit of the reference with a one-line description: the classic
 * mistake, the boundary, the forgotten case.
 *
 *   export const MUTANTS: Mutant[] = [
 *     { name: 'counts pods that are being deleted as active', file: 'replicaset/reconcile.ts',
 *       find: 'p.metadata.deletionTimestamp === undefined', replace: 'true' },
 *   ];
 *
 * For each, the runner writes the reference with that one edit as the learner's code into a
 * scratch folder (KUBELAB_CODE_ROOT, see slots.ts), grades it with the exercise's suite, and
 * expects the suite to fail it while still passing at least one test (an edit that breaks
 * everything teaches nothing about the suite). Every mutant must be killed.
 *
 *   npm run mutants                     every exercise, every mutant
 *   npm run mutants -- replicaset rbac  those exercises
 *   npm run mutants -- --fast           the first mutant of each exercise (npm test runs this)
 *   npm run mutants -- --quick raft-persistence   every mutant against watch mode's quick check
 *                                                 only (how sharp is the first verdict?)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { loadManifest, repoRoot, type ExerciseInfo } from '../lab-kernel/slots/manifest';
import { slotOf } from '../lab-kernel/slots/registry';
import { gradeExercise } from './grade';
import { SuiteRunner } from './run-suite';

export interface Mutant {
  /** What the bug is, in a few words: the line the report shows. */
  name: string;
  /** The reference file to edit, relative to solutions/. */
  file: string;
  /** Text that occurs exactly once in that file ... */
  find: string;
  /** ... and what it becomes. */
  replace: string;
}

export type MutantVerdict = 'killed' | 'survived' | 'kills-everything' | 'does-not-apply';

export interface MutantResult {
  exercise: string;
  mutant: Mutant;
  verdict: MutantVerdict;
  passed: number;
  total: number;
  /** The first failed expectation, for a killed mutant. */
  caughtBy?: string;
}

/** The mutants listed beside an exercise's suite, or none. */
export function mutantsOf(root: string, info: ExerciseInfo): Mutant[] {
  const file = path.join(root, info.suite.replace(/\.test\.ts$/, '.mutants.ts'));
  if (!fs.existsSync(file)) return [];
  return (require(file) as { MUTANTS: Mutant[] }).MUTANTS;
}

/** The reference text with the mutant's edit, or undefined if `find` does not occur exactly once. */
export function applyMutant(text: string, mutant: Mutant): string | undefined {
  const at = text.indexOf(mutant.find);
  if (at < 0 || text.indexOf(mutant.find, at + 1) >= 0) return undefined;
  return text.slice(0, at) + mutant.replace + text.slice(at + mutant.find.length);
}

/**
 * A scratch folder that looks like the repository to exercise code: exercises/ (written per
 * mutant) and a link to lab-kernel/ for its imports.
 */
export function scratchRoot(root: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-mutants-'));
  fs.symlinkSync(path.join(root, 'lab-kernel'), path.join(dir, 'lab-kernel'));
  return dir;
}

/** Every file of the exercise's slot (a Raft part's code spans the other parts' files too). */
function slotFiles(manifest: ExerciseInfo[], info: ExerciseInfo): string[] {
  const slot = slotOf(info.id);
  return [...new Set(manifest.filter((e) => slotOf(e.id) === slot).flatMap((e) => e.files))];
}

export async function runMutants(ids: string[], options: { fast: boolean; quick?: boolean; say: (line: string) => void }): Promise<MutantResult[]> {
  const root = repoRoot();
  const manifest = loadManifest(root);
  const scratch = scratchRoot(root);
  process.env.KUBELAB_CODE_ROOT = scratch; // the suite's child process reads the learner's code there
  const runner = new SuiteRunner(root, options.quick ? { source: 'exercise', seed: 1, runs: 1, quick: true } : { source: 'exercise', seed: 1 });
  const results: MutantResult[] = [];
  try {
    for (const info of manifest.filter((e) => ids.length === 0 || ids.includes(e.id))) {
      const mutants = mutantsOf(root, info);
      for (const mutant of options.fast ? mutants.slice(0, 1) : mutants) {
        const result = await runOne(root, scratch, manifest, info, mutant, runner);
        results.push(result);
        options.say(describe(result));
      }
    }
  } finally {
    runner.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

async function runOne(root: string, scratch: string, manifest: ExerciseInfo[], info: ExerciseInfo, mutant: Mutant, runner: SuiteRunner): Promise<MutantResult> {
  for (const f of slotFiles(manifest, info)) {
    const target = path.join(scratch, 'exercises', f);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(root, 'solutions', f), target);
  }
  const file = path.join(scratch, 'exercises', mutant.file);
  const edited = fs.existsSync(file) ? applyMutant(fs.readFileSync(file, 'utf8'), mutant) : undefined;
  if (edited === undefined) return { exercise: info.id, mutant, verdict: 'does-not-apply', passed: 0, total: 0 };
  fs.writeFileSync(file, edited);
  const outcome = await runner.run(path.join(root, info.suite));
  const graded = gradeExercise(info, outcome, [], { source: 'exercise', seed: 1, durationMs: 0 });
  const verdict: MutantVerdict = graded.status === 'passed' ? 'survived' : graded.passed === 0 ? 'kills-everything' : 'killed';
  return { exercise: info.id, mutant, verdict, passed: graded.passed, total: graded.total, caughtBy: graded.firstFailure?.test };
}

function describe(r: MutantResult): string {
  const label = { killed: 'killed  ', survived: 'SURVIVED', 'kills-everything': 'TOO BIG ', 'does-not-apply': 'NO MATCH' }[r.verdict];
  const counts = r.total > 0 ? ` (passes ${r.passed}/${r.total})` : '';
  const why = r.verdict === 'survived' ? ': the suite passes this bug' : r.verdict === 'kills-everything' ? ': no test passes, so it says nothing about the suite' : r.verdict === 'does-not-apply' ? `: "${r.mutant.find}" is not in solutions/${r.mutant.file} exactly once` : '';
  return `${label} ${r.exercise}: ${r.mutant.name}${counts}${why}`;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { fast: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false } } });
  const results = await runMutants(positionals, { fast: values.fast, quick: values.quick, say: (line) => console.log(line) });
  const killed = results.filter((r) => r.verdict === 'killed').length;
  const perExercise = new Map<string, number>();
  for (const r of results) perExercise.set(r.exercise, (perExercise.get(r.exercise) ?? 0) + (r.verdict === 'killed' ? 1 : 0));
  console.log(`\nkilled per exercise: ${[...perExercise].map(([id, n]) => `${id} ${n}`).join(', ')}`);
  console.log(`mutants: ${killed} passed, ${results.length - killed} failed`);
  return results.length > 0 && killed === results.length ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}
