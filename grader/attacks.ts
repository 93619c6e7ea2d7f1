/**
 * What a hostile or careless learner might hand in, and what the grader must answer: each
 * attack is a file written as the learner's `exercises/store/version-at.ts` (the mvcc-read
 * exercise: a small suite, so the whole list grades in well under a minute) and graded as
 * `npm run grade` would grade it. attacks.test.ts runs them all, in `npm test`.
 *
 *   { name: 're-exports the reference solution',
 *     code: "export { versionAt } from '../../solutions/store/version-at';",
 *     status: 'failed', says: /imports '..\/..\/solutions\/store\/version-at': exercises may only import/ }
 *
 * Learner code runs in the sandbox (lab-kernel/slots/sandbox.ts): a child process under
 * Node's permission model that reads no file, and whose `require` knows only the exercise's
 * own folder and the kernel modules its registry entry lists.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Status } from './grade';

export interface Attack {
  name: string;
  /** The learner's file, whole. */
  code: string;
  /** The status the grade must have. */
  status: Status;
  /** What the first failure must say: the thing refused. */
  says: RegExp;
}

const EXPORT = 'export function versionAt(history: any, revision: number): any';

/** The reference, with `line` run first in versionAt: for attacks that must otherwise be correct. */
function referenceWith(root: string, line: string): string {
  const text = fs.readFileSync(path.join(root, 'solutions', 'store', 'version-at.ts'), 'utf8');
  const head = 'export function versionAt(history: readonly KeyRevision[], revision: number): KeyRevision | null {';
  if (!text.includes(head)) throw new Error(`solutions/store/version-at.ts no longer declares: ${head}`);
  return text.replace(head, `${head}\n  ${line}`);
}

export function attacks(root: string): Attack[] {
  const solution = path.join(root, 'solutions', 'store', 'version-at.ts');
  const refused = (spec: string) => new RegExp(`imports '${spec.replace(/[./]/g, (c) => `\\${c}`)}': exercises may only import their own files`);
  const denied = /ERR_ACCESS_DENIED|Access to this API has been restricted/;
  return [
    {
      name: 're-exports the reference solution',
      code: `export { versionAt } from '../../solutions/store/version-at';`,
      status: 'failed',
      says: refused('../../solutions/store/version-at'),
    },
    {
      name: 'reads the reference with fs to run it',
      code: `import * as fs from 'fs';\nconst reference = fs.readFileSync(${JSON.stringify(solution)}, 'utf8');\n${EXPORT} { return reference as any; }`,
      status: 'failed',
      says: refused('fs'),
    },
    {
      name: 'runs a shell command with child_process',
      code: `import { execSync } from 'child_process';\n${EXPORT} { console.log(execSync('id').toString()); return null; }`,
      status: 'failed',
      says: refused('child_process'),
    },
    {
      name: "rewrites the grader's files so that later runs pass",
      code: `import { writeFileSync } from 'fs';\nwriteFileSync(${JSON.stringify(path.join(root, 'grader', 'grade.ts'))}, 'export {}');\n${EXPORT} { return null; }`,
      status: 'failed',
      says: refused('fs'),
    },
    {
      name: 'reaches the test runner to mark its tests passed',
      code: `import { expect } from 'vitest';\n${EXPORT} { (globalThis as any).__vitest_worker__.current.result = { state: 'pass' }; void expect; return null; }`,
      status: 'failed',
      says: refused('vitest'),
    },
    {
      name: 'hides the module name from a reader of the code (a computed specifier)',
      code: `${EXPORT} { const name = ['f', 's'].join(''); return require(name).readFileSync(${JSON.stringify(solution)}, 'utf8'); }`,
      status: 'failed',
      says: refused('fs'),
    },
    {
      name: "Function('return process')() and the fs module Node hands to any code",
      code: `${EXPORT} { const p = Function('return process')(); return p.getBuiltinModule('fs').readFileSync(${JSON.stringify(solution)}, 'utf8'); }`,
      status: 'failed',
      says: denied,
    },
    {
      name: 'reads the transpiled copies other runs left in the temporary folder',
      code: `${EXPORT} { const p = Function('return process')(); const os = p.getBuiltinModule('os'); return p.getBuiltinModule('fs').readdirSync(os.tmpdir()); }`,
      status: 'failed',
      says: denied,
    },
    {
      name: "process.binding('fs'), Node's internal file access",
      code: `${EXPORT} { return (process as any).binding('fs'); }`,
      status: 'failed',
      says: denied,
    },
    {
      name: 'a dynamic import()',
      code: `${EXPORT} { return import('fs').then((fs) => fs.readFileSync(${JSON.stringify(solution)}, 'utf8')); }`,
      status: 'failed',
      says: /must return its result directly, not a Promise/,
    },
    {
      name: "module.constructor._load, Node's module loader",
      code: `${EXPORT} { return (module as any).constructor._load('fs').readFileSync(${JSON.stringify(solution)}, 'utf8'); }`,
      status: 'failed',
      says: /_load is not a function/,
    },
    {
      name: 'starts a worker thread',
      code: `${EXPORT} { const p = Function('return process')(); const { Worker } = p.getBuiltinModule('worker_threads'); new Worker('1', { eval: true }); return null; }`,
      status: 'failed',
      says: denied,
    },
    {
      name: 'ends its own process',
      code: `${EXPORT} { process.exit(0); }`,
      status: 'failed',
      says: /the process running your code ended during versionAt/,
    },
    {
      name: 'an endless loop',
      code: `${EXPORT} { for (;;) {} }`,
      status: 'timeout',
      says: /versionAt did not return within 1000 ms/,
    },
    {
      name: 'leaks 8 MB on every call, until memory runs out',
      code: referenceWith(root, `(globalThis as any).hoard = [...((globalThis as any).hoard ?? []), new Array(1e6).fill(revision)];`),
      status: 'out-of-memory',
      says: /versionAt used more than 512 MB of memory/,
    },
    {
      name: 'prints a megabyte on every call (otherwise correct: it passes, its output capped)',
      code: referenceWith(root, `for (let i = 0; i < 4; i++) console.log('x'.repeat(1 << 18));`),
      status: 'passed',
      says: /^$/,
    },
  ];
}
