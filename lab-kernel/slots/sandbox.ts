import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { Worker } from 'worker_threads';
import { isDeepFrozen } from '../sim/deep-freeze';
import { SlotError, type SlotFailure, type SlotSource } from './guard';
import { SLOTS, type SlotId, type SlotTypes } from './registry';
import { resolveTs, transpiled } from './ts-module-loader';

/**
 * The sandbox: learner code runs in a child process of its own, and only plain data crosses.
 *
 *   const reconcile = sandboxedSlot('replicaset', 'exercise', { root, timeoutMs: 1000 });
 *   reconcile(input)   // sent to the child, run there under the guard, the result sent back
 *
 * Why a process: code that shares a process with the grader can read the reference solution,
 * rewrite the grader's files, start a shell or reach the test runner and mark its tests as
 * passed; a vm context does not stop it (a host object's constructor chain leads back to
 * `process`). So the grader's side (the simulation, the test runner, the assertions, the
 * score) stays here, and the learner's code runs in a child started under Node's permission
 * model with no file access at all: no reads (not even of solutions/ or the grader), no
 * writes, no child processes, no worker threads. Node calls its permission model a seat belt,
 * not a wall; the closing note of issue 10 says what remains possible.
 *
 * The child reads nothing: this side transpiles the code it may run (the slot's own folder,
 * the kernel modules its registry entry lists, and theirs) and sends it over. The child's
 * `require` refuses anything else, with a message naming the file, the import and what is
 * allowed (sandbox-child.ts).
 *
 * Calls are synchronous, as the simulation needs: each is one frame over a pipe each way
 * (named pipes opened blocking, so a read waits without spinning), about 50 µs. A class
 * instance that comes back (a Raft node) stays in the child; here it is a handle whose
 * methods are calls. The Raft runtime's node (`drivenRaft`) asks for a step and every Ready
 * it produces in one call, which keeps a Raft scenario to one call per event.
 *
 * Limits: each call has the guard's time limit, enforced in the child; the child's heap is
 * capped at 512 MB, and a child that runs out is reported as "used more than 512 MB" naming
 * the call; what the code prints is capped at its first 100 lines (long lines cut), the rest
 * counted. After the child dies every later call fails at once with the same report.
 */
export const MEMORY_LIMIT_MB = 512;
/** Starting Node takes a moment, longer on a busy machine. */
const START_TIMEOUT_MS = 20_000;

interface RemoteError {
  failure: SlotFailure;
  message: string;
  stack?: string;
  slotError?: boolean;
}

interface Reply {
  error?: RemoteError;
  value?: unknown;
  fn?: number;
  handle?: number;
  className?: string;
  readys?: unknown[];
  stop?: { at: 'hasReady' | 'ready' | 'advance'; error: RemoteError };
  status?: { value?: unknown; error?: RemoteError };
  logs: string[];
  dropped: number;
}

interface SlotRef {
  id: string;
  source: SlotSource;
}

/** What a request is, for a report if it fails: whose code, which call, its time limit. */
interface Call {
  slot: SlotRef;
  /** 'reconcileReplicaSet()', 'RaftNode.step()', 'loading exercises/raft/raft.ts' */
  what: string;
  timeoutMs: number;
  /** Loading a module: an overrun is an endless loop at its top level. */
  loading?: boolean;
}

/** One child process, started on first use and shared by every sandboxed slot of this process. */
class Sandbox {
  private readonly requests: number;
  private readonly replies: number;
  /** Our read end of the file the child's stderr goes to (already unlinked): how it died. */
  private readonly stderr: number;
  /** Set once the child has died: every later call throws it. */
  private dead: SlotError | undefined;
  private droppedShown = 0;
  /** Shared with the watchdog thread (sandbox-watchdog.ts): the request in flight, its limit, the one killed. */
  private readonly control = new Int32Array(new SharedArrayBuffer(16));
  private readonly watchdog: Worker;
  private requestNumber = 0;

  constructor() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-sandbox-'));
    const requestPipe = path.join(dir, 'requests');
    const replyPipe = path.join(dir, 'replies');
    execFileSync('mkfifo', ['-m', '600', requestPipe, replyPipe]);
    // Opening a named pipe read-write never blocks; once a writer exists a read-only open
    // does not block either. The child gets the only write end of the reply pipe (so a dead
    // child reads here as the end of the pipe) and the only read end of the request pipe (so a
    // dead parent reads there as the end, and the child exits).
    this.requests = fs.openSync(requestPipe, 'r+');
    const childRequests = fs.openSync(requestPipe, 'r');
    const childReplies = fs.openSync(replyPipe, 'r+');
    this.replies = fs.openSync(replyPipe, 'r');
    const stderrFile = path.join(dir, 'stderr');
    const stderr = fs.openSync(stderrFile, 'w');
    this.stderr = fs.openSync(stderrFile, 'r');
    const child = spawn(
      process.execPath,
      ['--experimental-permission', '--no-warnings', `--max-old-space-size=${MEMORY_LIMIT_MB}`, '-e', transpiled(path.join(__dirname, 'sandbox-child.ts'))],
      { stdio: ['ignore', 'ignore', stderr, childReplies, childRequests], env: {} },
    );
    child.on('error', () => undefined); // a child that cannot start reads as a dead one
    child.unref();
    this.watchdog = new Worker(transpiled(path.join(__dirname, 'sandbox-watchdog.ts')), { eval: true, workerData: { control: this.control.buffer, pid: child.pid ?? 0 } });
    this.watchdog.unref();
    for (const fd of [childRequests, childReplies, stderr]) fs.closeSync(fd);
    // Every file is open where it is needed: nothing needs to stay on disk.
    fs.rmSync(dir, { recursive: true, force: true });
    const file = (rel: string) => path.join(__dirname, rel);
    const guardFiles = ['guard.ts', '../sim/deep-freeze.ts', 'source-position.ts', 'watchdog.ts', '../sim/not-implemented.ts'].map(file);
    this.request(
      { op: 'init', modules: Object.fromEntries(guardFiles.map((f) => [f, transpiled(f)])), guard: guardFiles[0], deepFreeze: guardFiles[1], positions: guardFiles[2] },
      { slot: { id: 'sandbox', source: 'exercise' }, what: 'starting the sandbox', timeoutMs: START_TIMEOUT_MS },
    );
  }

  /** One request and its reply, under the watchdog. */
  request(message: Record<string, unknown>, call: Call): Reply {
    if (this.dead !== undefined) throw this.dead;
    const number = ++this.requestNumber;
    Atomics.store(this.control, 1, call.timeoutMs);
    Atomics.store(this.control, 0, number);
    try {
      return this.exchange(message, call);
    } finally {
      Atomics.store(this.control, 0, 0);
    }
  }

  private exchange(message: Record<string, unknown>, call: Call): Reply {
    const body = v8.serialize(message);
    const head = Buffer.allocUnsafe(4);
    head.writeUInt32LE(body.length, 0);
    const frame = Buffer.concat([head, body]);
    try {
      for (let off = 0; off < frame.length; ) off += fs.writeSync(this.requests, frame, off);
    } catch {
      throw this.died(call);
    }
    const replyHead = this.read(4);
    const length = replyHead?.readUInt32LE(0);
    const replyBody = length === undefined ? undefined : this.read(length);
    if (replyBody === undefined) throw this.died(call);
    let reply: Reply;
    try {
      reply = v8.deserialize(replyBody) as Reply;
    } catch {
      throw this.died(call);
    }
    this.show(reply);
    return reply;
  }

  private read(n: number): Buffer | undefined {
    const buf = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const k = fs.readSync(this.replies, buf, got, n - got, null);
      if (k === 0) return undefined;
      got += k;
    }
    return buf;
  }

  /** What the code printed, printed here (where the test runner collects it). */
  private show(reply: Reply): void {
    for (const line of reply.logs ?? []) console.log(line);
    if ((reply.dropped ?? 0) > 0 && this.droppedShown === 0) {
      console.log(`… your code's output is capped at its first 100 lines; the rest is counted, not shown`);
    }
    this.droppedShown = reply.dropped ?? 0;
  }

  /** How many printed lines were not shown (for a closing line in a report). */
  get droppedLines(): number {
    return this.droppedShown;
  }

  private died(call: Call): SlotError {
    const { slot, what } = call;
    let stderr = '';
    try {
      const buf = Buffer.alloc(64 * 1024);
      stderr = buf.subarray(0, fs.readSync(this.stderr, buf, 0, buf.length, 0)).toString('utf8');
    } catch {
      // nothing written
    }
    const prefix = `${slot.id} (${slot.source})`;
    const killed = Atomics.load(this.control, 2) === this.requestNumber;
    this.dead = killed
      ? new SlotError(slot.id, slot.source, 'timeout', call.loading
          ? `${prefix}: ${what}: loading the module did not finish within ${call.timeoutMs} ms (an endless loop at top level?)`
          : `${prefix}: ${what} did not return within ${call.timeoutMs} ms (an endless loop?); not called again until the code is reloaded`)
      : /heap limit|out of memory/i.test(stderr)
      ? new SlotError(slot.id, slot.source, 'out-of-memory', `${prefix}: ${what} used more than ${MEMORY_LIMIT_MB} MB of memory, so the grader stopped it; not called again until the code is reloaded`)
      : new SlotError(slot.id, slot.source, 'crashed', `${prefix}: the process running your code ended during ${what}${firstLine(stderr)}; not called again until the code is reloaded`);
    for (const fd of [this.requests, this.replies, this.stderr]) fs.closeSync(fd);
    void this.watchdog.terminate();
    return this.dead;
  }
}

function firstLine(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '');
  return line === undefined ? '' : ` (${line.trim().slice(0, 200)})`;
}

let shared: Sandbox | undefined;

/** The process's sandbox; a fresh one after the last one died (loading the code again is a new chance). */
function sandbox(): Sandbox {
  try {
    shared ??= new Sandbox();
    shared.request({ op: 'ping' }, { slot: { id: 'sandbox', source: 'exercise' }, what: 'a check that it runs', timeoutMs: START_TIMEOUT_MS });
  } catch {
    shared = new Sandbox();
  }
  return shared;
}

export interface SandboxOptions {
  root: string;
  timeoutMs: number;
  /**
   * For the raft slot: nodes that answer each call as it is made (a test driving a node by
   * hand) rather than the runtime's node that carries out Readys ahead (DrivenRaftNode).
   */
  exact?: boolean;
}

/**
 * A slot's function, running in the sandbox. Loading errors (a compile error, a refused
 * import, an endless loop at top level) throw a SlotError here, as loadSlot's do.
 */
export function sandboxedSlot<K extends SlotId>(id: K, source: SlotSource, options: SandboxOptions): SlotTypes[K] {
  const box = sandbox();
  const slot: SlotRef = { id, source };
  const info = SLOTS[id];
  const entry = path.join(options.root, source === 'exercise' ? 'exercises' : 'solutions', info.module);
  const ownFolder = path.dirname(entry);
  // Kernel modules as the code names them: under its own root (a scratch copy of the
  // repository links lab-kernel/ there), so that its relative imports resolve to them.
  const allowedNames = [...info.imports, 'lab-kernel/sim/not-implemented'];
  const allowed = allowedNames.map((m) => path.join(options.root, m));
  let modules: Record<string, string>;
  try {
    modules = codeFor(entry, ownFolder, allowed);
  } catch (err) {
    const e = err as { kind?: SlotFailure; message: string };
    throw new SlotError(id, source, e.kind ?? 'threw', `${id} (${source}): ${e.message}`);
  }
  const reply = box.request(
    { op: 'load', slot: id, source, entry, exportName: info.export, ownFolder, allowed, allowedNames, modules, root: options.root, timeoutMs: options.timeoutMs },
    { slot, what: path.relative(options.root, entry), timeoutMs: options.timeoutMs, loading: true },
  );
  if (reply.error) throw loadError(slot, reply.error);
  const fn = reply.fn!;
  const driven = id === 'raft' && options.exact !== true;
  const call: Call = { slot, what: info.export, timeoutMs: options.timeoutMs };
  const remote = (...args: unknown[]) => decode(box, box.request({ op: 'call', fn, args, frozen: frozenPaths(args) }, call), call, driven);
  return remote as unknown as SlotTypes[K];
}

/** A failure while loading: the child already names the file. */
function loadError(slot: SlotRef, error: RemoteError): SlotError {
  if (error.slotError) return new SlotError(slot.id, slot.source, error.failure, error.message);
  return new SlotError(slot.id, slot.source, error.failure, `${slot.id} (${slot.source}): ${error.message}`);
}

function remoteError(slot: SlotRef, error: RemoteError): SlotError {
  const err = new SlotError(slot.id, slot.source, error.failure, error.message);
  if (error.stack !== undefined && error.slotError) err.stack = error.stack;
  return err;
}

/** A reply as a value: plain data, or a handle for an object that stays in the child. */
function decode(box: Sandbox, reply: Reply, call: Call, driven: boolean): unknown {
  if (reply.error) throw remoteError(call.slot, reply.error);
  if (reply.handle === undefined) return reply.value;
  const className = reply.className ?? 'object';
  return driven ? new DrivenRaftNode(box, reply.handle, className, call) : remoteObject(box, reply.handle, className, call);
}

/** An object that lives in the child: each method call is a request. */
function remoteObject(box: Sandbox, handle: number, className: string, { slot, timeoutMs }: Call): object {
  const methods = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  return new Proxy(
    {},
    {
      get(_target, prop) {
        if (typeof prop === 'symbol' || prop === 'then') return undefined;
        let method = methods.get(prop);
        if (method === undefined) {
          const call: Call = { slot, what: `${className}.${prop}`, timeoutMs };
          method = (...args: unknown[]) => decode(box, box.request({ op: 'invoke', handle, method: prop, args, frozen: frozenPaths(args) }, call), call, false);
          methods.set(prop, method);
        }
        return method;
      },
      set() {
        throw new SlotError(slot.id, slot.source, 'bad-result', `${slot.id} (${slot.source}): the ${className} object can only be used through its methods`);
      },
    },
  );
}

/**
 * Where the arguments hold deeply frozen data (an informer's cached objects): the child
 * freezes its copies there too, so a write to them fails loudly there as it would here.
 *
 *   frozenPaths([{ replicaSet: frozenRs, pods: [frozenPod, frozenPod] }])
 *     // => [[0, 'replicaSet'], [0, 'pods', 0], [0, 'pods', 1]]
 */
export function frozenPaths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return out;
  if (isDeepFrozen(value)) {
    out.push(at);
    return out;
  }
  if (Array.isArray(value)) value.forEach((v, i) => frozenPaths(v, [...at, i], out));
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const [k, v] of Object.entries(value)) frozenPaths(v, [...at, k], out);
  return out;
}

/**
 * The code a slot may run, transpiled: every file in its own folder, and the kernel modules
 * it may import with theirs. An entry that does not compile throws its compile error; a
 * sibling that does not compile fails only when something requires it.
 */
function codeFor(entry: string, ownFolder: string, allowed: string[]): Record<string, string> {
  const modules: Record<string, string> = {};
  if (resolveTs(entry) === undefined) throw Object.assign(new Error(`cannot find module ${entry}`), { kind: 'not-found' });
  modules[entry] = transpiled(entry);
  for (const file of filesUnder(ownFolder)) {
    if (file in modules) continue;
    try {
      modules[file] = transpiled(file);
    } catch (err) {
      modules[file] = `throw new Error(${JSON.stringify((err as Error).message)});`;
    }
  }
  const queue = allowed.map((m) => `${m}.ts`).filter((f) => fs.existsSync(f));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (file in modules) continue;
    modules[file] = transpiled(file);
    for (const m of modules[file].matchAll(/\brequire\("(\.[^"]+)"\)/g)) {
      const dep = resolveTs(path.resolve(path.dirname(file), m[1]!));
      if (dep !== undefined && !(dep in modules)) queue.push(dep);
    }
  }
  return modules;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => path.join(d.parentPath ?? (d as unknown as { path: string }).path, d.name));
}

/**
 * A Raft node in the child, as the Raft runtime (raft/raft-peer.ts) drives it: a step, a tick
 * or a proposal comes back with every Ready it produced, each already acknowledged in the child
 * (ready(), then advance(), as the runtime would call them), and the node's status after. The
 * runtime then reads those Readys here one by one: the same calls in the same order, in one
 * request instead of one per call. A failure part-way (a ready() that throws) is thrown at the
 * matching call here. compact() is a plain call; the next step's request collects anything it
 * left pending.
 */
class DrivenRaftNode {
  private queue: unknown[] = [];
  private stop: Reply['stop'];
  private lastStatus: Reply['status'] = undefined;
  /** A step failed part-way: whatever it left pending is collected by the next hasReady(). */
  private pending = false;

  constructor(
    private readonly box: Sandbox,
    private readonly handle: number,
    private readonly className: string,
    private readonly made: Call,
  ) {}

  private call(method: string): Call {
    return { slot: this.made.slot, what: `${this.className}.${method}`, timeoutMs: this.made.timeoutMs };
  }

  private get slot(): SlotRef {
    return this.made.slot;
  }

  tick(): void {
    this.drive('tick', []);
  }

  step(m: unknown): void {
    this.drive('step', [m]);
  }

  propose(data: string): boolean {
    return this.drive('propose', [data]) as boolean;
  }

  readIndex(requestCtx: string): boolean {
    return this.drive('readIndex', [requestCtx]) as boolean;
  }

  compact(index: number, data: string): unknown {
    const call = this.call('compact');
    const reply = this.box.request({ op: 'invoke', handle: this.handle, method: 'compact', args: [index, data], frozen: [] }, call);
    this.pending = true;
    return decode(this.box, reply, call, false);
  }

  hasReady(): boolean {
    if (this.queue.length > 0) return true;
    if (this.pending) this.collect(this.box.request({ op: 'drain', handle: this.handle }, this.call('hasReady')));
    if (this.queue.length > 0) return true;
    if (this.stop?.at === 'hasReady') this.throwStop();
    return this.stop?.at === 'ready';
  }

  ready(): unknown {
    if (this.queue.length > 0) return this.queue[0];
    if (this.stop?.at === 'ready') this.throwStop();
    throw new Error('the Raft runtime called ready() with nothing pending');
  }

  advance(): void {
    this.queue.shift();
    if (this.queue.length === 0 && this.stop?.at === 'advance') this.throwStop();
  }

  status(): unknown {
    this.lastStatus ??= this.box.request({ op: 'status', handle: this.handle }, this.call('status')).status;
    if (this.lastStatus?.error) throw remoteError(this.slot, this.lastStatus.error);
    return this.lastStatus?.value;
  }

  private drive(method: string, args: unknown[]): unknown {
    if (this.queue.length > 0) throw new Error(`the Raft runtime called ${method}() before carrying out every Ready`);
    const reply = this.box.request({ op: 'drive', handle: this.handle, method, args }, this.call(method));
    this.lastStatus = reply.status;
    if (reply.error) {
      this.pending = true;
      throw remoteError(this.slot, reply.error);
    }
    this.collect(reply);
    return reply.value;
  }

  private collect(reply: Reply): void {
    this.pending = false;
    this.queue.push(...(reply.readys ?? []));
    this.stop = reply.stop;
    if (reply.status !== undefined) this.lastStatus = reply.status;
  }

  private throwStop(): never {
    const stop = this.stop!;
    this.stop = undefined;
    throw remoteError(this.slot, stop.error);
  }
}
