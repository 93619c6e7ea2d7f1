import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { kernelSourceFiles } from './kernel-files.fixture';

/**
 * Notebook cells are compiled by tslab's own TypeScript 5.0, non-strict, against the kernel's
 * declarations (build/lab-kernel/*.d.ts, made by our newer compiler). Anything in the kernel's
 * types that 5.0 does not know, or reads differently (non-strict mode does not narrow unions
 * on boolean literals such as `{ ok: true } | { ok: false }`), would break a notebook. This
 * test compiles every kernel file the way tslab would, so such a break shows up here, with
 * its line, before a notebook fails.
 */
type Ts = typeof import('typescript');
const ts5 = require('@tslab/typescript-for-tslab') as Ts;

describe('the kernel under tslab', () => {
  it(`compiles with tslab's TypeScript ${ts5.version}, non-strict, as CommonJS`, () => {
    const files = kernelSourceFiles();
    const program = ts5.createProgram(files, {
      target: ts5.ScriptTarget.ES2020,
      module: ts5.ModuleKind.CommonJS,
      moduleResolution: ts5.ModuleResolutionKind.NodeJs,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    });
    const problems = ts5.getPreEmitDiagnostics(program).map((d) => {
      const text = ts5.flattenDiagnosticMessageText(d.messageText, ' ');
      if (d.file === undefined || d.start === undefined) return text;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${path.relative(__dirname, d.file.fileName)}:${line + 1}:${character + 1} ${text}`;
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
