// `npm test`: everything CI runs, in order. Each step runs even if an earlier one failed, so
// one run shows every problem; the exit code is non-zero if any step failed.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './jupyter.mjs';
import { RECORDING } from './trace-pins.mjs';
import { RESULTS as UNIT_RESULTS } from './check-fidelity.mjs';

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const grade = (...args) => [bin('ts-node'), ['--transpile-only', join(ROOT, 'grader', 'cli.ts'), ...args]];

/** The chapter notebooks, in order. */
const chapters = () => readdirSync(join(ROOT, 'chapters')).filter((f) => f.endsWith('.ipynb')).sort();

// Steps that record the hash of every simulation's trace (scripts/trace-pins.mjs) name their group.
const pinned = (group) => ({ KUBELAB_TRACE_PINS: RECORDING, KUBELAB_TRACE_GROUP: group });

const STEPS = [
  ['strict type-check', bin('tsc'), ['--noEmit', '-p', ROOT]],
  // The grader's suites are left out here: they grade exercises, and run in the next two steps.
  // --no-isolate: the test files of a worker share loaded modules instead of each importing the
  // whole kernel again (a quarter of the time). The kernel keeps no state between simulations
  // but pure caches, which the trace pins check: every test's trace hashes as it does alone.
  ['kernel and grader unit tests', bin('vitest'), ['run', '--no-isolate', '--exclude', 'grader/suites/**', '--reporter=default', '--reporter=json', `--outputFile=${UNIT_RESULTS}`], pinned('unit')],
  ['grader on the solutions: full marks', ...grade('--solutions'), pinned('grader')],
  ['grader on the stubs: each fails as not implemented', ...grade('--expect-stubs')],
  ['the grader fails a planted bug in each exercise (npm run mutants -- --fast)', bin('ts-node'), ['--transpile-only', join(ROOT, 'grader', 'mutants.ts'), '--fast']],
  ['every notebook executes', 'node', [join(ROOT, 'scripts', 'run-notebooks.mjs')], pinned('notebooks')],
  ['every notebook\'s diagrams render to SVG in Chromium', 'node', [join(ROOT, 'scripts', 'check-rendered-html.mjs'), ...chapters().map((nb) => join(ROOT, 'build', 'notebooks', nb))]],
  ['syllabus topics map to notebook sections', 'node', [join(ROOT, 'scripts', 'check-syllabus.mjs')]],
  ['every trace matches its pinned hash', 'node', [join(ROOT, 'scripts', 'trace-pins.mjs'), 'check', RECORDING]],
  ['every fidelity claim is pinned by a test that passed in the unit tests', 'node', [join(ROOT, 'scripts', 'check-fidelity.mjs'), UNIT_RESULTS]],
];

rmSync(RECORDING, { recursive: true, force: true });
rmSync(UNIT_RESULTS, { force: true });

const results = [];
for (const [name, cmd, args, extraEnv = {}] of STEPS) {
  console.log(`\n=== ${name}`);
  const started = Date.now(); // wall-clock: step timing for the report
  const run = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0', ...extraEnv } });
  results.push({ name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
