import { SourceMap } from 'module';

/**
 * Where in the learner's TypeScript an error happened. Exercise files run as JavaScript
 * transpiled with an inline source map (ts-module-loader.ts), so a stack frame's line and
 * column are the JavaScript's; this maps the first frame inside exercises/ (or solutions/)
 * back to the file the learner wrote:
 *
 *   learnerLocation('TypeError: ...\n    at reconcileReplicaSet (/repo/exercises/replicaset/reconcile.ts:61:30)', codeOf)
 *     // => 'exercises/replicaset/reconcile.ts:58:22'
 *
 * `codeOf(file)` gives the JavaScript that ran for a file (undefined: unknown, the frame is
 * named as it is). Only Node built-ins: the sandbox's child process uses this too.
 */
const FRAME = /\(?((?:[^()\s]*[\\/])?(?:exercises|solutions)[\\/][^()\s]+\.ts):(\d+):(\d+)\)?\s*$/;

export function learnerLocation(stack: string, codeOf: (file: string) => string | undefined): string | undefined {
  for (const line of stack.split('\n')) {
    if (!/^\s+at /.test(line)) continue;
    const m = FRAME.exec(line);
    if (m === null) continue;
    const [, file, lineText, columnText] = m as unknown as [string, string, string, string];
    const shown = file.replace(/^.*?[\\/]((?:exercises|solutions)[\\/])/, '$1');
    const original = originalPosition(codeOf(file), Number(lineText), Number(columnText));
    return original === undefined ? `${shown}:${lineText}:${columnText}` : `${shown}:${original.line}:${original.column}`;
  }
  return undefined;
}

const maps = new Map<string, SourceMap | null>();

/** 1-based line and column in the source, from the inline source map at the end of `code`. */
function originalPosition(code: string | undefined, line: number, column: number): { line: number; column: number } | undefined {
  if (code === undefined) return undefined;
  const url = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code)?.[1];
  if (url === undefined) return undefined;
  let map = maps.get(url);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(Buffer.from(url, 'base64').toString('utf8')));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  const entry = map?.findEntry(line - 1, column - 1) as { originalLine?: number; originalColumn?: number } | undefined;
  if (entry?.originalLine === undefined) return undefined;
  return { line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
}
