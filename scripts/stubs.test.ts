import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { expectedStub, makeStub, StubError, stubFiles } from './stubs';
import { repoRoot } from '../lab-kernel/slots/manifest';

const source = `import { helper } from '../../lab-kernel/x';
import type { Shape } from '../../lab-kernel/shape';

/** TODO(1) Count the shapes (helper does it). */
export function count(shapes: Shape[]): number {
  // BEGIN SOLUTION
  return helper(shapes);
  // END SOLUTION
}
`;

describe('a stub made from its solution', () => {
  it('replaces each region with the not-implemented throw, drops imports only the region used (a comment naming one is no use), and imports notImplemented', () => {
    expect(makeStub(source, { defaultId: 'shapes', stubPath: 'exercises/shapes/count.ts' })).toBe(`import type { Shape } from '../../lab-kernel/shape';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/** TODO(1) Count the shapes (helper does it). */
export function count(shapes: Shape[]): number {
  throw notImplemented('shapes');
}
`);
  });

  it('names the exercise a marker names, and keeps the regions of the exercises asked for (a partial reference)', () => {
    const two = `export function a() {\n  // BEGIN SOLUTION part-1\n  return 1;\n  // END SOLUTION\n}\nexport function b() {\n  // BEGIN SOLUTION part-2\n  return 2;\n  // END SOLUTION\n}\n`;
    const stub = makeStub(two, { stubPath: 'exercises/p/p.ts', keep: ['part-1'] });
    expect(stub).toContain('return 1;');
    expect(stub).toContain("throw notImplemented('part-2');");
  });

  it('refuses an unclosed region, a stray END and a region with no exercise to name', () => {
    expect(() => makeStub('// BEGIN SOLUTION\nx();\n', { defaultId: 'a', stubPath: 's.ts' })).toThrow(/never closed/);
    expect(() => makeStub('// END SOLUTION\n', { defaultId: 'a', stubPath: 's.ts' })).toThrow(StubError);
    expect(() => makeStub('// BEGIN SOLUTION\nx();\n// END SOLUTION\n', { stubPath: 's.ts' })).toThrow(/name one/);
  });
});

describe('the committed stubs', () => {
  const root = repoRoot();
  for (const file of stubFiles(root)) {
    it(`${file.stub} is exactly what ${file.solution} makes (npm run stubs -- --write after changing a solution)`, () => {
      expect(fs.readFileSync(path.join(root, file.stub), 'utf8')).toBe(expectedStub(file, root));
    });
  }
});
