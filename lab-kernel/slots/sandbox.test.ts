import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { RaftCluster } from '../raft/raft-cluster';
import type { NewRaft } from '../raft/types';
import { deepFreeze } from '../sim/deep-freeze';
import { repoRoot } from './manifest';
import { frozenPaths } from './sandbox';
import { loadSlot, SlotError } from './slots';

/** A throwaway repository whose exercises/store/version-at.ts says what we choose. */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-sandbox-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function learner(body: string): string {
  const root = fs.mkdtempSync(path.join(scratch, 'repo-'));
  fs.mkdirSync(path.join(root, 'exercises', 'store'), { recursive: true });
  fs.writeFileSync(path.join(root, 'exercises', 'store', 'version-at.ts'), body);
  return root;
}

function failure(run: () => unknown): SlotError {
  try {
    run();
  } catch (err) {
    if (err instanceof SlotError) return err;
    throw err;
  }
  throw new Error('expected a SlotError');
}

const history = [
  { modRevision: 2, createRevision: 2, version: 1 },
  { modRevision: 5, createRevision: 2, version: 2 },
];

describe('the sandbox (learner code in a child process)', () => {
  it('runs a slot there and answers with plain data, as the code in this process would', () => {
    const inSandbox = loadSlot('mvcc-read', 'solution', { sandbox: true });
    const here = loadSlot('mvcc-read', 'solution', { sandbox: false });
    for (const revision of [1, 2, 4, 5, 9]) expect(inSandbox(history, revision)).toEqual(here(history, revision));
  });

  it('refuses an import outside the exercise folder and its listed kernel modules, naming the file, the import and what is allowed', () => {
    const root = learner(`import * as os from 'os';\nexport function versionAt() { return os.hostname() as any; }`);
    const err = failure(() => loadSlot('mvcc-read', 'exercise', { sandbox: true, root }));
    expect(err.failure).toBe('refused-import');
    expect(err.message).toBe(
      "mvcc-read (exercise): exercises/store/version-at.ts imports 'os': exercises may only import their own files (exercises/store/) and lab-kernel/store/version-at-contract, lab-kernel/sim/not-implemented",
    );
  });

  it('stops a call that never returns, names it, and fails every later call of that code at once', () => {
    const root = learner('export function versionAt(): any { for (;;) {} }');
    const versionAt = loadSlot('mvcc-read', 'exercise', { sandbox: true, root, timeoutMs: 100 });
    const err = failure(() => versionAt(history, 1));
    expect(err.failure).toBe('timeout');
    expect(err.message).toMatch(/versionAt did not return within 100 ms/);
    expect(failure(() => versionAt(history, 2))).toBe(err);
    expect(loadSlot('mvcc-read', 'solution', { sandbox: true })(history, 5), 'a fresh load runs in a fresh child').toEqual(history[1]);
  });

  it('keeps data that was deeply frozen here frozen there: a write to an informer’s object fails loudly', () => {
    const root = learner('export function versionAt(history: any[]): any { history[0].version = 9; return null; }');
    const versionAt = loadSlot('mvcc-read', 'exercise', { sandbox: true, root });
    expect(failure(() => versionAt(deepFreeze(structuredClone(history)), 1)).message).toMatch(/read.only|Cannot assign/);
    expect(versionAt(structuredClone(history), 1), 'a plain copy is the code’s to change').toBeNull();
  });

  it('finds the frozen parts of a call’s arguments', () => {
    const pod = deepFreeze({ name: 'a' });
    expect(frozenPaths([{ replicaSet: pod, pods: [pod, { name: 'b' }] }, 3])).toEqual([
      [0, 'replicaSet'],
      [0, 'pods', 0],
    ]);
  });

  it('drives a Raft node in the child with one request per event and the same trace as the node run here', () => {
    const traceOf = (newRaft: NewRaft) => {
      const c = new RaftCluster({ seed: 3, peers: 3, newRaft });
      c.one('x', 3, false);
      c.disconnect(c.checkOneLeader());
      c.one('y', 2, false);
      return JSON.stringify(c.sim.trace.all());
    };
    expect(traceOf(loadSlot('raft', 'solution', { sandbox: true }))).toBe(traceOf(loadSlot('raft', 'solution', { trustSolution: true })));
  });

  it('names the line of the learner’s TypeScript where an error was thrown, in the sandbox and here', () => {
    const root = learner(['import type { KeyRevision } from "../../lab-kernel/store/version-at-contract";', '', 'interface Box { count: number }', '', 'export function versionAt(history: readonly KeyRevision[]): KeyRevision | null {', '  const box = undefined as unknown as Box;', '  return history[box.count] ?? null;', '}'].join('\n'));
    for (const sandbox of [true, false]) {
      expect(failure(() => loadSlot('mvcc-read', 'exercise', { sandbox, root })(history, 1)).message).toMatch(/versionAt threw: Cannot read properties of undefined \(reading 'count'\) \(at exercises\/store\/version-at\.ts:7:\d+\)$/);
    }
  });

  it('reads no file of its own: the reference cannot be read from inside', () => {
    const solution = path.join(repoRoot(), 'solutions', 'store', 'version-at.ts');
    const root = learner(`export function versionAt(): any { return Function('return process')().getBuiltinModule('fs').readFileSync(${JSON.stringify(solution)}, 'utf8'); }`);
    expect(failure(() => loadSlot('mvcc-read', 'exercise', { sandbox: true, root })(history, 1)).message).toMatch(/ERR_ACCESS_DENIED/);
  });
});
