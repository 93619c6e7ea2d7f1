/**
 * The sandbox's child process: where learner code runs when the grader grades it
 * (sandbox.ts starts it and explains the whole design).
 *
 * It is started as `node --experimental-permission -e <this file, transpiled>` with no file
 * access granted: it reads no file and starts no process. Everything it runs arrives over
 * fd 4, the parent's requests, as transpiled modules; every answer leaves over fd 3:
 *
 *   parent → child   { op: 'init', modules }                        the guard's own files
 *                    { op: 'load', slot, entry, modules, ... }      => { fn }
 *                    { op: 'call', fn, args, frozen }               => { value } | { handle, className }
 *                    { op: 'invoke', handle, method, args }         => the same
 *                    { op: 'get', handle, prop }                    => { value }
 *                    { op: 'drive', handle, method, args }          => { value, readys, stop?, status }
 *                    { op: 'drain', handle }                        => { readys, stop?, status }
 *                    { op: 'status', handle }                       => { status }
 *                    { op: 'ping' }                                 => {}
 *   every answer also carries { logs, dropped }: what the code printed, capped.
 *
 * A frame is a 4-byte length and a V8-serialized value (the structured clone of the data).
 * Only Node built-ins are imported here, and only by this file and the guard's files; a
 * learner's file may require only its own folder and the kernel modules its slot lists.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import * as v8 from 'v8';
import * as vm from 'vm';

const REPLIES = 3;
const REQUESTS = 4;
/** What the code may print: the first lines, each cut short; the rest are only counted. */
const MAX_LINES = 100;
const MAX_LINE = 300;

type GuardModule = typeof import('./guard');
type DeepFreezeModule = typeof import('../sim/deep-freeze');
type PositionsModule = typeof import('./source-position');

interface LoadRequest {
  op: 'load';
  slot: string;
  source: 'solution' | 'exercise';
  entry: string;
  exportName: string;
  /** The folder the code lives in: its own files, which it may require freely. */
  ownFolder: string;
  /** Kernel modules it may require (absolute paths without '.ts'). */
  allowed: string[];
  /** How to name them in a refusal (repository-relative). */
  allowedNames: string[];
  modules: Record<string, string>;
  /** Repository root, to name files in messages. */
  root: string;
  timeoutMs: number;
}

type Request =
  | { op: 'init'; modules: Record<string, string>; guard: string; deepFreeze: string; positions: string }
  | LoadRequest
  | { op: 'call'; fn: number; args: unknown[]; frozen: (string | number)[][] }
  | { op: 'invoke'; handle: number; method: string; args: unknown[]; frozen: (string | number)[][] }
  | { op: 'get'; handle: number; prop: string }
  | { op: 'drive'; handle: number; method: string; args: unknown[] }
  | { op: 'drain'; handle: number }
  | { op: 'status'; handle: number }
  | { op: 'ping' };

let guardModule: GuardModule;
let deepFreezeModule: DeepFreezeModule;
let positions: PositionsModule;
type Target = Record<string, (...args: unknown[]) => unknown>;
const functions = new Map<number, (...args: unknown[]) => unknown>();
const handles = new Map<number, Target>();
let nextId = 1;

// ---- what the code prints ----------------------------------------------------------------

let logs: string[] = [];
let shown = 0;
let dropped = 0;

function capture(...args: unknown[]): void {
  if (shown >= MAX_LINES) {
    dropped++;
    return;
  }
  for (const line of util.format(...args).split('\n')) {
    if (shown >= MAX_LINES) {
      dropped++;
      continue;
    }
    shown++;
    logs.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… (${line.length - MAX_LINE} more characters)` : line);
  }
}
for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[name] = capture;

// ---- frames ------------------------------------------------------------------------------

function readExactly(n: number): Buffer | undefined {
  const buf = Buffer.allocUnsafe(n);
  let got = 0;
  while (got < n) {
    const k = fs.readSync(REQUESTS, buf, got, n - got, null);
    if (k === 0) return undefined; // the parent is gone
    got += k;
  }
  return buf;
}

function reply(value: Record<string, unknown>): void {
  let body: Buffer;
  try {
    body = v8.serialize(Object.assign({}, value, { logs, dropped }));
  } catch (err) {
    body = v8.serialize({ error: { failure: 'bad-result', message: `returned something that is not plain data (${(err as Error).message})` }, logs, dropped });
  }
  logs = [];
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32LE(body.length, 0);
  const frame = Buffer.concat([head, body]);
  for (let off = 0; off < frame.length; ) off += fs.writeSync(REPLIES, frame, off);
}

// ---- modules -----------------------------------------------------------------------------

type Require = (spec: string) => unknown;

/** A module failed to load; `failure` and `message` are what the parent reports. */
class LoadFailure extends Error {
  constructor(
    readonly failure: 'threw' | 'refused-import',
    message: string,
  ) {
    super(message);
  }
}

/** Runs a module's code. An endless loop at its top level is the parent's to stop (it kills this process). */
function evaluate(file: string, name: string, code: string, require: Require): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const fn = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: file }) as (...a: unknown[]) => void;
  try {
    fn(module.exports, require, module, file, path.dirname(file));
  } catch (err) {
    if (err instanceof LoadFailure) throw err;
    throw new LoadFailure('threw', `${name}: loading the module threw: ${(err as Error)?.message ?? String(err)}`);
  }
  return module.exports;
}

/** The guard's own files: trusted, and allowed the Node built-ins they use. */
const HOST_BUILTINS: Record<string, unknown> = { vm, module: require('module') };

function init(modules: Record<string, string>, guardFile: string, deepFreezeFile: string, positionsFile: string): void {
  const cache = new Map<string, Record<string, unknown>>();
  const load = (file: string): Record<string, unknown> => {
    const hit = cache.get(file);
    if (hit) return hit;
    const module = { exports: {} as Record<string, unknown> };
    cache.set(file, module.exports);
    const fn = vm.runInThisContext(`(function (exports, require, module) {${modules[file]}\n})`, { filename: file }) as (...a: unknown[]) => void;
    fn(module.exports, (spec: string) => HOST_BUILTINS[spec] ?? load(resolve(file, spec, modules) ?? spec), module);
    cache.set(file, module.exports);
    return module.exports;
  };
  guardModule = load(guardFile) as unknown as GuardModule;
  deepFreezeModule = load(deepFreezeFile) as unknown as DeepFreezeModule;
  positions = load(positionsFile) as unknown as PositionsModule;
}

function resolve(from: string, spec: string, modules: Record<string, string>): string | undefined {
  if (!spec.startsWith('.') && !path.isAbsolute(spec)) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  return [base, `${base}.ts`, path.join(base, 'index.ts')].find((f) => f in modules);
}

/** Loads a slot's code afresh (module state starts over, as on the host), under the import rules. */
function loadSlot(req: LoadRequest): unknown {
  const cache = new Map<string, { exports: Record<string, unknown> }>();
  const rel = (file: string) => path.relative(req.root, file);
  const own = (file: string) => file.startsWith(req.ownFolder + path.sep);
  const refuse = (from: string, spec: string): never => {
    throw new LoadFailure(
      'refused-import',
      `${rel(from)} imports '${spec}': ${req.source === 'exercise' ? 'exercises' : 'solutions'} may only import their own files ` +
        `(${rel(req.ownFolder)}/) and ${req.allowedNames.join(', ')}`,
    );
  };
  const load = (file: string): Record<string, unknown> => {
    const hit = cache.get(file);
    if (hit) return hit.exports;
    const module = { exports: {} as Record<string, unknown> };
    cache.set(file, module);
    const require = (spec: string): unknown => {
      const target = resolve(file, String(spec), req.modules);
      const allowed = target !== undefined && (own(target) || !own(file) || req.allowed.includes(target.replace(/\.ts$/, '')));
      if (!allowed) return refuse(file, String(spec));
      return load(target!);
    };
    try {
      module.exports = evaluate(file, rel(file), req.modules[file]!, require);
    } catch (err) {
      cache.delete(file);
      throw err;
    }
    return module.exports;
  };
  const exported = load(req.entry)[req.exportName];
  if (typeof exported !== 'function') {
    throw new guardModule.SlotError(req.slot, req.source, 'missing-export', `${req.slot} (${req.source}): ${rel(req.entry)} must export a function named ${req.exportName}`);
  }
  return exported;
}

// ---- requests ----------------------------------------------------------------------------

function freezeAt(args: unknown[], frozen: (string | number)[][]): void {
  for (const at of frozen) {
    let value: unknown = args;
    for (const key of at) value = (value as Record<string | number, unknown>)[key];
    deepFreezeModule.deepFreeze(value);
  }
}

function isInstance(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto !== Object.prototype && proto !== null;
}

/** A result: plain data as it is (serialized by reply), an object with methods as a handle. */
function result(value: unknown): Record<string, unknown> {
  if (!isInstance(value)) return { value };
  const id = nextId++;
  handles.set(id, value as Target);
  return { handle: id, className: (value as object).constructor?.name ?? 'object' };
}

function encodeError(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; message?: string; failure?: string; stack?: string };
  return { error: { failure: e?.failure ?? 'threw', message: e?.message ?? String(err), stack: e?.stack, slotError: e?.name === 'SlotError' } };
}

/** After a step of a Raft node: every Ready it has, in order, each acknowledged as the runtime would. */
function drain(node: Target): Record<string, unknown> {
  const readys: unknown[] = [];
  let stop: Record<string, unknown> | undefined;
  for (;;) {
    let has: unknown;
    try {
      has = node.hasReady!();
    } catch (err) {
      stop = { at: 'hasReady', ...encodeError(err) };
      break;
    }
    if (!has) break;
    try {
      readys.push(node.ready!());
    } catch (err) {
      stop = { at: 'ready', ...encodeError(err) };
      break;
    }
    try {
      node.advance!();
    } catch (err) {
      stop = { at: 'advance', ...encodeError(err) };
      break;
    }
  }
  return { readys, ...(stop && { stop }), status: statusOf(node) };
}

function statusOf(node: Target): Record<string, unknown> {
  try {
    return { value: node.status!() };
  } catch (err) {
    return encodeError(err);
  }
}

function handleRequest(req: Request): Record<string, unknown> {
  switch (req.op) {
    case 'init':
      init(req.modules, req.guard, req.deepFreeze, req.positions);
      return {};
    case 'load': {
      const fn = loadSlot(req) as (...args: unknown[]) => unknown;
      const id = nextId++;
      functions.set(id, guardModule.guard(req.slot, req.source, fn, { timeoutMs: req.timeoutMs, sandboxed: true, locate: (stack) => positions.learnerLocation(stack, (file) => req.modules[file]) }));
      return { fn: id };
    }
    case 'call': {
      freezeAt(req.args, req.frozen);
      return result(functions.get(req.fn)!(...req.args));
    }
    case 'invoke': {
      freezeAt(req.args, req.frozen);
      return result(handles.get(req.handle)![req.method]!(...req.args));
    }
    case 'get': {
      return { value: handles.get(req.handle)![req.prop] };
    }
    case 'drive': {
      const target = handles.get(req.handle)!;
      let value: unknown;
      try {
        value = target[req.method]!(...req.args);
      } catch (err) {
        return Object.assign({}, encodeError(err), { status: statusOf(target) });
      }
      return { value, ...drain(target) };
    }
    case 'drain':
      return drain(handles.get(req.handle)!);
    case 'status':
      return { status: statusOf(handles.get(req.handle)!) };
    case 'ping':
      return {};
  }
}

// Nothing below needs them, and learner code should not find them lying about.
for (const name of ['require', 'module', 'exports', '__filename', '__dirname']) delete (globalThis as Record<string, unknown>)[name];

for (;;) {
  const head = readExactly(4);
  if (head === undefined) process.exit(0);
  const body = readExactly(head.readUInt32LE(0));
  if (body === undefined) process.exit(0);
  const req = v8.deserialize(body) as Request;
  let answer: Record<string, unknown>;
  try {
    answer = handleRequest(req);
  } catch (err) {
    answer = encodeError(err);
  }
  reply(answer);
}
