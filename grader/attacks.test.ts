import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, repoRoot } from '../lab-kernel/slots/manifest';
import { attacks } from './attacks';
import { gradeExercise, type ExerciseResult } from './grade';
import { scratchRoot } from './mutants';
import { SuiteRunner } from './run-suite';

/**
 * The grader against a hostile or careless learner (attacks.ts): each attack is graded as
 * `npm run grade -- mvcc-read` would grade it, from a scratch copy of exercises/, and must end
 * as not passed with a message naming what was refused. Then nothing it did may show: the
 * grader, the solutions and the exercises are byte for byte what they were, and the reference
 * graded afterwards by the same warm runner earns full marks.
 */
const root = repoRoot();
const info = loadManifest(root).find((e) => e.id === 'mvcc-read')!;
const scratch = scratchRoot(root);
const target = path.join(scratch, 'exercises', 'store', 'version-at.ts');
let runner: SuiteRunner;
let before: string;

/** A digest of every file under the folders learner code must not change. */
function digest(): string {
  const hash = crypto.createHash('sha256');
  for (const dir of ['grader', 'solutions', 'exercises']) {
    for (const entry of fs.readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      hash.update(file).update(fs.readFileSync(file));
    }
  }
  return hash.digest('hex');
}

async function grade(code: string): Promise<ExerciseResult> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, code);
  const started = performance.now();
  const outcome = await runner.run(path.join(root, info.suite));
  return gradeExercise(info, outcome, [], { source: 'exercise', seed: 1, durationMs: performance.now() - started });
}

beforeAll(() => {
  before = digest();
  process.env.KUBELAB_CODE_ROOT = scratch; // the runner's child reads the learner's code there
  // An attack's trace is not the reference's: never pin it (npm test records the unit step's traces).
  delete process.env.KUBELAB_TRACE_PINS;
  runner = new SuiteRunner(root, { source: 'exercise', seed: 1 });
});

afterAll(() => {
  runner.close();
  delete process.env.KUBELAB_CODE_ROOT;
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the grader refuses what a learner must not do', () => {
  for (const attack of attacks(root)) {
    it(`${attack.name}: ${attack.status === 'passed' ? 'passes, its output capped' : `not passed (${attack.status})`}`, async () => {
      const result = await grade(attack.code);
      expect(result.status, `${attack.name}: ${result.firstFailure?.message ?? ''}`).toBe(attack.status);
      if (attack.status === 'passed') {
        const printed = (result.consoleOutput ?? []).flatMap((entry) => entry.split('\n'));
        expect(printed.length, 'lines of console output kept').toBeLessThanOrEqual(101);
        expect(Math.max(...printed.map((l) => l.length)), 'the longest line kept').toBeLessThan(400);
        expect(printed.some((l) => /capped at its first 100 lines/.test(l)), 'a line saying the output was capped').toBe(true);
      } else {
        expect(result.firstFailure?.message).toMatch(attack.says);
      }
    });
  }

  it('leaves nothing behind: the grader, solutions and exercises are unchanged, and the reference then earns full marks', async () => {
    expect(digest(), 'a digest of grader/, solutions/ and exercises/').toBe(before);
    const result = await grade(fs.readFileSync(path.join(root, 'solutions', 'store', 'version-at.ts'), 'utf8'));
    expect(result.status).toBe('passed');
    expect(result.score).toBe(info.points);
  });
});
