/**
 * Type-checks an exercise's files the way `tsc` would, with the repository's tsconfig.json.
 *
 *   typeErrors(root, ['/repo/exercises/replicaset/reconcile.ts'])
 *   // => ['exercises/replicaset/reconcile.ts:12:7 - Type "string" is not assignable to type "number".']
 *
 * The slot loader runs learner code without type-checking (so a half-typed file still gets
 * its tests run); this is where type mistakes are reported. Only the given files' own
 * errors count: the kernel they import is the lab's business. Unused variables are not
 * errors here (the repository's tsconfig forbids them, but a learner mid-exercise has some).
 */
import * as path from 'path';
import * as ts from 'typescript';

let options: ts.CompilerOptions | undefined;
let host: ts.CompilerHost | undefined;
let previous: ts.Program | undefined;

export function typeErrors(root: string, files: string[]): string[] {
  options ??= compilerOptions(root);
  host ??= cachingHost(options);
  const program = (previous = ts.createProgram({ rootNames: files, options, host, oldProgram: previous }));
  return files.flatMap((file) => {
    const source = program.getSourceFile(file);
    if (source === undefined) return [`${path.relative(root, file)} - file not found`];
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => describe(root, d));
  });
}

/**
 * A compiler host that parses each file once and again only when it changes on disk. Parsing
 * the standard library and @types/node is most of a cold check (about 0.5 s); with the cache a
 * re-check in watch mode only parses the saved file.
 */
function cachingHost(opts: ts.CompilerOptions): ts.CompilerHost {
  const base = ts.createCompilerHost(opts);
  const parsed = new Map<string, { mtimeMs: number; file: ts.SourceFile | undefined }>();
  return {
    ...base,
    getSourceFile(fileName, languageVersion, onError) {
      const mtimeMs = ts.sys.getModifiedTime?.(fileName)?.getTime() ?? -1;
      const cached = parsed.get(fileName);
      if (cached?.mtimeMs === mtimeMs) return cached.file;
      const file = base.getSourceFile(fileName, languageVersion, onError);
      parsed.set(fileName, { mtimeMs, file });
      return file;
    },
  };
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configFile = path.join(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  return { ...parsed?.options, noUnusedLocals: false, noUnusedParameters: false, noEmit: true };
}

function describe(root: string, d: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file === undefined || d.start === undefined) return text;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${path.relative(root, d.file.fileName)}:${line + 1}:${character + 1} - ${text}`;
}
