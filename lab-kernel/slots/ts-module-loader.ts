import * as crypto from 'crypto';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { isTimeout, runWithTimeout } from './watchdog';

/**
 * Loads a TypeScript module from disk at run time — fresh on every load, so an edited
 * exercise is picked up — and never lets it hang the process:
 *
 *   const loader = new TsModuleLoader({ timeoutMs: 1000 });
 *   const mod = loader.load('/repo/exercises/replicaset/reconcile.ts');
 *   mod.reconcileReplicaSet  // the learner's function
 *
 * Types are stripped without type-checking (the grader type-checks separately), relative
 * imports are loaded the same way, packages come from node_modules. A syntax error throws a
 * LoadError naming file, line and column; module code that runs longer than the timeout
 * (a `while (true)` at top level) throws a LoadError too.
 */
export class LoadError extends Error {
  constructor(
    message: string,
    readonly kind: 'compile-error' | 'timeout' | 'threw' | 'not-found',
  ) {
    super(message);
    this.name = 'LoadError';
  }
}

type Ts = typeof import('typescript');
let typescript: Ts | undefined;

interface LoadedModule {
  exports: Record<string, unknown>;
}

export class TsModuleLoader {
  private readonly cache = new Map<string, LoadedModule>();

  constructor(private readonly options: { timeoutMs: number }) {}

  load(file: string): Record<string, unknown> {
    const resolved = resolveTs(file);
    if (resolved === undefined) throw new LoadError(`cannot find module ${file}`, 'not-found');
    const cached = this.cache.get(resolved);
    if (cached !== undefined) return cached.exports;
    const code = transpiled(resolved);
    // Transpile everything it imports first: on a busy machine compiling a large graph (the
    // Raft parts and the kernel modules they import) could take longer than the time limit,
    // which is for running the module's code, not for compiling it.
    if (this.cache.size === 0) prefetch(resolved, code, new Set([resolved]));
    const module: LoadedModule = { exports: {} };
    this.cache.set(resolved, module);
    const hostRequire = createRequire(resolved);
    const localRequire = (spec: string): unknown => {
      if (spec.startsWith('.') || path.isAbsolute(spec)) return this.load(path.resolve(path.dirname(resolved), spec));
      return hostRequire(spec);
    };
    const wrapper = `(function (exports, require, module, __filename, __dirname) {${code}\n})`;
    let fn: (...args: unknown[]) => void;
    try {
      fn = vm.runInThisContext(wrapper, { filename: resolved }) as typeof fn;
    } catch (err) {
      throw new LoadError(`${relative(resolved)}: ${(err as Error).message}`, 'compile-error');
    }
    try {
      runWithTimeout(() => fn(module.exports, localRequire, module, resolved, path.dirname(resolved)), this.options.timeoutMs);
    } catch (err) {
      this.cache.delete(resolved);
      if (err instanceof LoadError) throw err;
      if (isTimeout(err)) {
        throw new LoadError(`${relative(resolved)}: loading the module did not finish within ${this.options.timeoutMs} ms (an endless loop at top level?)`, 'timeout');
      }
      throw new LoadError(`${relative(resolved)}: loading the module threw: ${(err as Error)?.message ?? String(err)}`, 'threw');
    }
    return module.exports;
  }
}

/**
 * The file's JavaScript, transpiled again only when the file's text has changed (a hash of
 * it, so two saves within one clock tick are told apart): a cluster loads every slot, and
 * transpiling is most of the cost. The result is kept in memory and in the system's
 * temporary folder, so a fresh process (a notebook's first cluster) does not even load the
 * TypeScript compiler when nothing changed.
 */
const transpileCache = new Map<string, { stamp: string; code: string }>();
const DISK_CACHE = path.join(os.tmpdir(), 'kubelab-transpiled');
/** Part of the disk cache's key: another compiler may transpile differently. */
const COMPILER_VERSION = (require('typescript/package.json') as { version: string }).version;
/** Part of the disk cache's key too: what the cached code holds (2: an inline source map at its end). */
const CACHE_FORMAT = 2;

/** The JavaScript last made for a file in this process, if any (for mapping a stack frame back). */
export function transpiledCode(file: string): string | undefined {
  return transpileCache.get(file)?.code;
}

export function transpiled(file: string): string {
  const source = fs.readFileSync(file, 'utf8');
  const stamp = crypto.createHash('sha1').update(source).digest('hex');
  const hit = transpileCache.get(file);
  if (hit !== undefined && hit.stamp === stamp) return hit.code;
  const cached = path.join(DISK_CACHE, `${crypto.createHash('sha1').update(`${COMPILER_VERSION}\0${CACHE_FORMAT}\0${file}\0${stamp}`).digest('hex')}.js`);
  let code: string;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    code = transpile(file, source);
    try {
      fs.mkdirSync(DISK_CACHE, { recursive: true });
      fs.writeFileSync(cached, code);
    } catch {
      // A read-only temporary folder only costs speed.
    }
  }
  transpileCache.set(file, { stamp, code });
  return code;
}

/** Transpiles (into the cache) every TypeScript file that `code` requires by a relative path, and theirs. */
function prefetch(file: string, code: string, seen: Set<string>): void {
  for (const m of code.matchAll(/\brequire\("(\.[^"]+)"\)/g)) {
    const child = resolveTs(path.resolve(path.dirname(file), m[1]));
    if (child === undefined || seen.has(child)) continue;
    seen.add(child);
    prefetch(child, transpiled(child), seen);
  }
}

/** Compiles TypeScript to CommonJS JavaScript; syntax errors become a LoadError. */
function transpile(file: string, source: string): string {
  typescript ??= require('typescript') as Ts;
  const ts = typescript;
  const out = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    // The inline source map lets an error name the line in the learner's TypeScript (source-position.ts).
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const lines = errors.map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.file === undefined || d.start === undefined) return text;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${relative(file)}:${line + 1}:${character + 1} - ${text}`;
    });
    throw new LoadError(`does not compile:\n${lines.join('\n')}`, 'compile-error');
  }
  return out.outputText;
}

export function resolveTs(file: string): string | undefined {
  for (const candidate of [file, `${file}.ts`, path.join(file, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}
