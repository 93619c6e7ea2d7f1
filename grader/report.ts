/**
 * How grades are printed: for a person (optionally in colour) or as JSON for tools.
 *
 *   replicaset — ReplicaSet reconcile (chapter 00)
 *     score 7.4/10 (20/27 tests) — failed
 *     first failure: Part 3: choosing which pods to delete › deletes a Pending pod before a Running one
 *       expected [ 'running' ] to deeply equal [ 'pending' ]
 *     seed 1 · replay: npm run grade -- replicaset --seed 1
 *     hint: npm run grade -- replicaset --hint
 */
import type { SlotSource } from '../lab-kernel/slots/slots';
import type { ExerciseResult, Status } from './grade';

const STATUS_TEXT: Record<Status, string> = {
  passed: 'passed',
  failed: 'failed',
  'not-started': 'not started yet',
  'compile-error': 'does not compile',
  timeout: 'timed out',
  'out-of-memory': 'used too much memory',
  crashed: 'the grader crashed',
};

const MAX_CONSOLE_LINES = 10;
const MAX_CONSOLE_LINE = 200;

/** Colour only for a terminal, and never when the NO_COLOR convention asks for none (no-color.org). */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

type Paint = (text: string) => string;

function palette(colour: boolean): Record<'bold' | 'dim' | 'red' | 'green' | 'yellow', Paint> {
  const sgr = (code: number, reset: number): Paint => (colour ? (text) => `\u001b[${code}m${text}\u001b[${reset}m` : (text) => text);
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) };
}

export function formatExercise(r: ExerciseResult, colour: boolean): string {
  const c = palette(colour);
  const statusColour = r.status === 'passed' ? c.green : r.status === 'not-started' ? c.yellow : c.red;
  const lines = [
    c.bold(`${r.id} — ${r.title} (chapter ${r.chapter})`),
    `  score ${r.score}/${r.points} (${r.passed}/${r.total} tests) — ${statusColour(STATUS_TEXT[r.status])}`,
  ];
  if (r.firstFailure !== undefined) {
    lines.push(`  first failure: ${r.firstFailure.test}`);
    lines.push(...r.firstFailure.message.split('\n').map((line) => c.red(`    ${line}`)));
  }
  if (r.consoleOutput !== undefined) {
    const printed = r.consoleOutput.flatMap((entry) => entry.split('\n'));
    const cut = (line: string) => (line.length > MAX_CONSOLE_LINE ? `${line.slice(0, MAX_CONSOLE_LINE)}…` : line);
    lines.push('  your console.log output:', ...printed.slice(0, MAX_CONSOLE_LINES).map((line) => c.dim(`    ${cut(line)}`)));
    if (printed.length > MAX_CONSOLE_LINES) lines.push(c.dim(`    … (${printed.length - MAX_CONSOLE_LINES} more lines)`));
  }
  lines.push(c.dim(`  seed ${r.seed} · replay: ${r.replay}`));
  if (r.status !== 'passed') lines.push(`  hint: npm run grade -- ${r.id} --hint`);
  return lines.join('\n');
}

/**
 * One line per exercise, for a report on many: id, chapter, score, status.
 *
 *   replicaset             ch 00    7.4/10   failed
 */
export function formatRow(r: ExerciseResult, colour: boolean): string {
  const c = palette(colour);
  const statusColour = r.status === 'passed' ? c.green : r.status === 'not-started' ? c.yellow : c.red;
  return `${r.id.padEnd(22)} ch ${r.chapter.padEnd(4)} ${`${r.score}/${r.points}`.padStart(7)}   ${statusColour(STATUS_TEXT[r.status])}`;
}

/** `[########------------] 0/1 exercises complete, 7.4/10 points` — the bar fills with points. */
export function progressBar(results: ExerciseResult[], width = 20): string {
  const { score, points } = totals(results);
  const filled = points === 0 ? 0 : Math.round((width * score) / points);
  const complete = results.filter((r) => r.status === 'passed').length;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${complete}/${results.length} exercises complete, ${score}/${points} points`;
}

/** The closing lines. CI log parsers read the `N passed, M failed` line: keep it alone on its line. */
export function formatSummary(results: ExerciseResult[]): string {
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  const { score, points } = totals(results);
  return [progressBar(results), `${passed} passed, ${failed} failed`, `total ${score}/${points} points`].join('\n');
}

export function toJson(results: ExerciseResult[], source: SlotSource, seed: number): string {
  const exercises = results.map(({ consoleOutput: _notInJson, ...rest }) => rest);
  return JSON.stringify({ source, seed, total: totals(results), exercises }, null, 2);
}

function totals(results: ExerciseResult[]): { score: number; points: number } {
  const sum = (pick: (r: ExerciseResult) => number) => Math.round(results.reduce((s, r) => s + pick(r), 0) * 10) / 10;
  return { score: sum((r) => r.score), points: sum((r) => r.points) };
}
