// Executes every chapter notebook top to bottom with the project's kernel, as a learner would,
// into build/notebooks/. Fails on any cell error, and on anything a cell printed to stderr
// (tslab reports compile errors there).
//
//   node scripts/run-notebooks.mjs            # every chapters/*.ipynb
//   node scripts/run-notebooks.mjs 00         # the chapters whose file name starts with 00
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKernel, findJupyter, INSTALL_HINT, registerKernel, ROOT } from './jupyter.mjs';

if (!findJupyter()) {
  console.error(INSTALL_HINT);
  process.exit(1);
}
buildKernel();
const env = registerKernel();
const outDir = join(ROOT, 'build', 'notebooks');
mkdirSync(outDir, { recursive: true });
const only = process.argv.slice(2);
const notebooks = readdirSync(join(ROOT, 'chapters'))
  .filter((f) => f.endsWith('.ipynb') && (only.length === 0 || only.some((p) => f.startsWith(p))))
  .sort();
if (notebooks.length === 0) {
  console.error('no notebooks to run');
  process.exit(1);
}

const PINS = process.env.KUBELAB_TRACE_PINS;
const PIN_MARK = 'KUBELAB-TRACE-PINS ';

let failed = 0;
for (const nb of notebooks) {
  // Chapters are committed clean: outputs belong to the learner's run, not to the repository.
  const stored = JSON.parse(readFileSync(join(ROOT, 'chapters', nb), 'utf8'));
  if (stored.cells.some((c) => (c.outputs ?? []).length > 0 || (c.execution_count ?? null) !== null)) {
    failed++;
    console.log(`FAIL  ${nb}: committed with outputs; clear them (Kernel > Restart & Clear Output) before committing`);
    continue;
  }
  const started = Date.now(); // wall-clock: timing the run for the report
  // Run from chapters/ (the notebooks import ./lab-kernel), reading the notebook from stdin so
  // that a pinning run can wrap it in its two extra cells.
  const run = spawnSync(
    'jupyter',
    ['nbconvert', '--stdin', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=300', `--output-dir=${outDir}`, `--output=${nb}`],
    { env, encoding: 'utf8', cwd: join(ROOT, 'chapters'), input: JSON.stringify(PINS ? withPinCells(stored) : stored) },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status === 0 && PINS) recordPins(nb, join(outDir, nb));
  const problems = run.status === 0 ? cellProblems(join(outDir, nb)) : [lastLines(run.stderr, 25)];
  if (problems.length === 0) {
    console.log(`ok    ${nb} (${seconds} s, slowest cell ${slowestCell(join(outDir, nb))})`);
  } else {
    failed++;
    console.log(`FAIL  ${nb} (${seconds} s)\n${problems.join('\n')}`);
  }
}
console.log(`notebooks: ${notebooks.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

/**
 * A pinning run (KUBELAB_TRACE_PINS=<folder>, see trace-pins.mjs): a first cell that asks the
 * kernel to remember every Simulation, and a last one that prints the hash of each trace.
 */
function withPinCells(nb) {
  const cell = (id, source) => ({ cell_type: 'code', id, metadata: {}, execution_count: null, outputs: [], source });
  const list = `((globalThis as any)[Symbol.for('kubelab.pinned-simulations')] as any[])`;
  return {
    ...nb,
    cells: [
      cell('pins-start', `(globalThis as any)[Symbol.for('kubelab.pinned-simulations')] = [];`),
      ...nb.cells,
      cell('pins-end', `console.log('${PIN_MARK}' + JSON.stringify(${list}.map((s) => s.seed + ':' + s.trace.hash())));`),
    ],
  };
}

/** Writes the hashes the last cell printed to the pins folder, and takes the two cells out of the executed notebook. */
function recordPins(nb, file) {
  const executed = JSON.parse(readFileSync(file, 'utf8'));
  const last = executed.cells.at(-1);
  const printed = (last.outputs ?? []).flatMap((o) => [].concat(o.text ?? [])).join('');
  const line = printed.split('\n').find((l) => l.startsWith(PIN_MARK));
  const hashes = line === undefined ? ['(the notebook printed no hashes)'] : JSON.parse(line.slice(PIN_MARK.length));
  mkdirSync(PINS, { recursive: true });
  appendFileSync(join(PINS, 'notebooks.jsonl'), JSON.stringify({ group: 'notebooks', key: `chapters/${nb}`, hashes }) + '\n');
  executed.cells = executed.cells.filter((c) => c.id !== 'pins-start' && c.id !== 'pins-end');
  writeFileSync(file, JSON.stringify(executed, null, 1));
}

/** Error outputs and stderr streams in an executed notebook, one line each. */
function cellProblems(file) {
  const nb = JSON.parse(readFileSync(file, 'utf8'));
  const problems = [];
  nb.cells.forEach((cell, i) => {
    for (const out of cell.outputs ?? []) {
      if (out.output_type === 'error') problems.push(`  cell ${i}: ${out.ename}: ${out.evalue}`);
      if (out.output_type === 'stream' && out.name === 'stderr') problems.push(`  cell ${i} wrote to stderr: ${[].concat(out.text).join('').trim()}`);
    }
  });
  return problems;
}

function slowestCell(file) {
  const nb = JSON.parse(readFileSync(file, 'utf8'));
  let worst = 0;
  for (const cell of nb.cells) {
    const ex = cell.metadata?.execution;
    // tslab replies before its output is flushed: busy -> idle is the time a learner waits.
    if (ex?.['iopub.status.busy'] && ex?.['iopub.status.idle']) {
      worst = Math.max(worst, Date.parse(ex['iopub.status.idle']) - Date.parse(ex['iopub.status.busy']));
    }
  }
  return `${worst} ms`;
}

function lastLines(text, n) {
  return (text ?? '').trim().split('\n').slice(-n).map((l) => `  ${l}`).join('\n');
}
