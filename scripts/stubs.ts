/**
 * One source per exercise. The reference in solutions/ is the source; the learner's stub in
 * exercises/ is made from it (nbgrader's idea), so the two can never drift apart:
 *
 *   solutions/store/version-at.ts                      exercises/store/version-at.ts
 *
 *   export function versionAt(h, r) {                  export function versionAt(h, r) {
 *     // BEGIN SOLUTION                        =>        throw notImplemented('mvcc-read');
 *     const i = latestAtOrBefore(h, r);                }
 *     return i < 0 || isTombstone(h[i]) ? null : h[i];
 *     // END SOLUTION
 *   }
 *
 * What a region becomes: `throw notImplemented('<id>')` at the region's indentation, where
 * <id> is the exercise the file belongs to, or the one the marker names when a file serves
 * several (`// BEGIN SOLUTION raft-replication`). Imports that only the removed code used are
 * dropped, and `notImplemented` is imported. Everything outside the regions — the prose,
 * the TODO(n) comments, the signatures, the given helpers — is copied as it is. Given
 * top-level declarations that only solution code uses must be exported (the stub keeps them
 * for the learner, and the compiler does not flag an unused export).
 *
 *   npm run stubs                say which stub differs from what its solution makes (exit 1)
 *   npm run stubs -- --write     write those stubs (a maintainer's command: it overwrites exercises/)
 *
 * `keep` makes a partial reference: the regions of the named exercises stay as they are
 * (parts 1..k of a multi-part exercise on the reference, the rest stubs).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadManifest, repoRoot } from '../lab-kernel/slots/manifest';

const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION(?:\s+([a-z0-9-]+))?\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const NOT_IMPLEMENTED_MODULE = 'lab-kernel/sim/not-implemented';

export class StubError extends Error {}

export interface StubOptions {
  /** The exercise a region belongs to when its marker names none. */
  defaultId?: string;
  /** Exercises whose regions stay in (a partial reference). */
  keep?: readonly string[];
  /** Where the stub will live, relative to the repository (to write the notImplemented import). */
  stubPath: string;
}

/** The stub text made from a solution's text. */
export function makeStub(source: string, options: StubOptions): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let replaced = false;
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]);
    if (begin === null) {
      if (END.test(lines[i])) throw new StubError(`${options.stubPath}:${i + 1}: END SOLUTION without a BEGIN SOLUTION`);
      out.push(lines[i]);
      continue;
    }
    const id = begin[2] ?? options.defaultId;
    if (id === undefined) throw new StubError(`${options.stubPath}:${i + 1}: this file serves several exercises: name one (// BEGIN SOLUTION <exercise-id>)`);
    let end = i + 1;
    while (end < lines.length && !END.test(lines[end])) {
      if (BEGIN.test(lines[end])) throw new StubError(`${options.stubPath}:${end + 1}: BEGIN SOLUTION inside another region (opened at line ${i + 1})`);
      end++;
    }
    if (end === lines.length) throw new StubError(`${options.stubPath}:${i + 1}: BEGIN SOLUTION is never closed by // END SOLUTION`);
    if (options.keep?.includes(id)) {
      out.push(...lines.slice(i, end + 1));
    } else {
      out.push(`${begin[1]}throw notImplemented('${id}');`);
      replaced = true;
    }
    i = end;
  }
  let text = pruneImports(out.join('\n'));
  if (replaced && !/\bimport\s*\{[^}]*\bnotImplemented\b[^}]*\}/.test(text)) text = addImport(text, options.stubPath);
  return text;
}

/** An import statement: `import { a, type B, c as d } from 'x';` or `import type { ... } from 'x';`, possibly over several lines. */
const IMPORT = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+('[^']+'|"[^"]+");?[ \t]*\n/gm;

/** Drops the named imports that nothing else in the file's code mentions, comments aside (and import statements left empty). */
function pruneImports(text: string): string {
  const rest = text.replace(IMPORT, '').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  return text.replace(IMPORT, (statement, typeOnly: string | undefined, names: string, from: string) => {
    const kept = names
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '')
      .filter((n) => {
        const local = n.replace(/^type\s+/, '').split(/\s+as\s+/).pop()!;
        return new RegExp(`\\b${local}\\b`).test(rest);
      });
    if (kept.length === 0) return '';
    const original = names.split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (kept.length === original.length) return statement;
    return `import ${typeOnly ?? ''}{ ${kept.join(', ')} } from ${from};\n`;
  });
}

/** Adds `import { notImplemented } from '<relative>/lab-kernel/sim/not-implemented';` after the last import. */
function addImport(text: string, stubPath: string): string {
  let relative = path.posix.relative(path.posix.dirname(stubPath), NOT_IMPLEMENTED_MODULE);
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const statement = `import { notImplemented } from '${relative}';\n`;
  let last = -1;
  for (const m of text.matchAll(/^import\s[^;]*;[ \t]*\n/gm)) last = m.index! + m[0].length;
  return last < 0 ? statement + text : text.slice(0, last) + statement + text.slice(last);
}

export interface StubFile {
  /** Relative to the repository: solutions/<file> and exercises/<file>. */
  solution: string;
  stub: string;
  /** The exercise the file belongs to when it belongs to one only. */
  defaultId?: string;
}

/** Every exercise file, from the manifest: which exercises share it decides its default id. */
export function stubFiles(root: string = repoRoot()): StubFile[] {
  const owners = new Map<string, string[]>();
  for (const e of loadManifest(root)) for (const f of e.files) owners.set(f, [...(owners.get(f) ?? []), e.id]);
  return [...owners].map(([file, ids]) => ({
    solution: path.posix.join('solutions', file),
    stub: path.posix.join('exercises', file),
    defaultId: ids.length === 1 ? ids[0] : undefined,
  }));
}

/** What exercises/<file> should hold. */
export function expectedStub(file: StubFile, root: string = repoRoot(), keep?: readonly string[]): string {
  const source = fs.readFileSync(path.join(root, file.solution), 'utf8');
  return makeStub(source, { defaultId: file.defaultId, stubPath: file.stub, keep });
}

function main(argv: string[]): number {
  const root = repoRoot();
  const check = !argv.includes('--write');
  let stale = 0;
  for (const file of stubFiles(root)) {
    const want = expectedStub(file, root);
    const target = path.join(root, file.stub);
    const have = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (have === want) continue;
    stale++;
    if (check) console.log(`${file.stub} differs from what ${file.solution} makes (npm run stubs -- --write writes it)`);
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, want);
      console.log(`wrote ${file.stub}`);
    }
  }
  if (check) console.log(stale === 0 ? 'every stub is what its solution makes' : `${stale} stub(s) out of date`);
  return check && stale > 0 ? 1 : 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
