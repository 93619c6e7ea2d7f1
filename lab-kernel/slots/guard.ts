import { isDeepFrozen } from '../sim/deep-freeze';
import { isNotImplemented } from '../sim/not-implemented';
import { isTimeout, runWithTimeout } from './watchdog';

/**
 * The guard around learner code: arguments copied in, results copied out, and whatever goes
 * wrong (not implemented yet, a throw, an endless loop, a Promise instead of a value) turned
 * into a SlotError that names the exercise.
 *
 *   const reconcile = guard('replicaset', 'exercise', learnerFn, 1000);
 *   reconcile(input)   // learnerFn's result as a copy, or a SlotError
 *
 * Only Node built-ins and two small kernel files: the sandbox's child process runs this file
 * around the learner's code (sandbox-child.ts).
 */
export type SlotSource = 'solution' | 'exercise';

export type SlotFailure = 'not-implemented' | 'compile-error' | 'threw' | 'timeout' | 'bad-result' | 'missing-export' | 'not-found' | 'refused-import' | 'out-of-memory' | 'crashed';

export class SlotError extends Error {
  constructor(
    readonly exerciseId: string,
    readonly source: SlotSource,
    readonly failure: SlotFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SlotError';
  }
}

/** How long one call of learner code may run before it counts as an endless loop. */
export const DEFAULT_SLOT_TIMEOUT_MS = 1000;

/** Shared by a slot's function and every handle it returns: an endless loop poisons them all. */
interface GuardState {
  hung?: SlotError;
  locate?: (stack: string) => string | undefined;
}

/**
 * A watchdog costs about 50 µs to start: too much to start one per call when a Raft node is
 * called some forty times per committed entry. So a runtime that makes many calls in a row
 * (one network delivery: step, then ready/advance until done) runs them in one section, under
 * one watchdog:
 *
 *   inSlotSection(() => { node.step(m); while (node.hasReady()) { ... node.advance(); } });
 *
 * If the section's time runs out, the guarded call that was running is the one that hung: it
 * gets the timeout error, and its slot is poisoned as usual.
 */
interface Section {
  timeoutMs: number;
  /** The guarded call running now (left set if an endless loop is cut short inside it). */
  current?: { id: string; source: SlotSource; name: string; state: GuardState };
}

let section: Section | undefined;

export function inSlotSection<T>(run: () => T, timeoutMs = DEFAULT_SLOT_TIMEOUT_MS): T {
  if (section !== undefined) return run(); // an outer section's watchdog already covers it
  const mine: Section = { timeoutMs };
  section = mine;
  try {
    return runWithTimeout(run, timeoutMs);
  } catch (err) {
    const hung = mine.current;
    if (isTimeout(err) && hung !== undefined) throw poison(hung.id, hung.source, hung.name, mine.timeoutMs, hung.state);
    throw err;
  } finally {
    section = undefined;
  }
}

function poison(id: string, source: SlotSource, name: string, timeoutMs: number, state: GuardState): SlotError {
  state.hung = new SlotError(id, source, 'timeout', `${id} (${source}): ${name} did not return within ${timeoutMs} ms (an endless loop?); not called again until the code is reloaded`);
  return state.hung;
}

/**
 * Wraps one function of learner code. Plain data goes in and out as copies. A class instance
 * that comes out (a Raft node, say) comes out as a handle whose methods are guarded the same way.
 * `sandboxed` is for the sandbox's child process, which does two things itself: its arguments
 * arrive as fresh copies and its results leave serialized (so no copies here), and the parent
 * times each request from outside, killing the child if it overruns (so no watchdog here).
 */
export interface GuardOptions {
  timeoutMs: number;
  sandboxed?: boolean;
  /** Where in the learner's file an error's stack points (source-position.ts); undefined: not known. */
  locate?: (stack: string) => string | undefined;
}

export function guard(id: string, source: SlotSource, fn: (...args: unknown[]) => unknown, options: GuardOptions): (...args: unknown[]) => unknown {
  return guarded(id, source, fn, options.timeoutMs, !options.sandboxed, fn.name || 'function', { locate: options.locate });
}

/** `inProcess` false: the sandboxed mode above. */
function guarded(id: string, source: SlotSource, fn: (...args: unknown[]) => unknown, timeoutMs: number, inProcess: boolean, name: string, state: GuardState): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    // After one endless loop the code is not run again (each try would cost the full time
    // limit); loading it afresh gives it a new chance.
    if (state.hung !== undefined) throw state.hung;
    const copies = inProcess ? (copyIn(args) as unknown[]) : args;
    let result: unknown;
    try {
      if (!inProcess) {
        result = fn(...copies);
      } else if (section === undefined) {
        result = runWithTimeout(() => fn(...copies), timeoutMs);
      } else {
        const outer = section.current;
        section.current = { id, source, name, state };
        try {
          result = fn(...copies); // an endless loop here is cut short by the section's watchdog
        } catch (err) {
          section.current = outer;
          throw err;
        }
        section.current = outer;
      }
    } catch (err) {
      if (isTimeout(err)) throw poison(id, source, name, timeoutMs, state);
      if (isNotImplemented(err)) throw new SlotError(id, source, 'not-implemented', (err as Error).message);
      const at = err instanceof Error && err.stack ? state.locate?.(err.stack) : undefined;
      const error = new SlotError(id, source, 'threw', `${id} (${source}): ${name} threw: ${describeThrown(err)}${at ? ` (at ${at})` : ''}`);
      if (err instanceof Error && err.stack) error.stack = `${error.name}: ${error.message}\n${learnerFrames(err.stack)}`;
      throw error;
    }
    if (result instanceof Promise || (result !== null && typeof (result as { then?: unknown })?.then === 'function')) {
      throw new SlotError(id, source, 'bad-result', `${id} (${source}): ${name} must return its result directly, not a Promise (remove async)`);
    }
    if (isInstance(result)) return handle(id, source, result, timeoutMs, inProcess, state);
    if (!inProcess) return result;
    try {
      return structuredClone(result);
    } catch (err) {
      throw new SlotError(id, source, 'bad-result', `${id} (${source}): ${name} returned something that is not plain data (${(err as Error).message})`);
    }
  };
}

/**
 * What was thrown, as the report says it. Node's permission model (the grader's sandbox)
 * refuses with a bare message such as "process.binding": say what that means.
 */
function describeThrown(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if ((err as { code?: unknown })?.code !== 'ERR_ACCESS_DENIED') return message;
  return `${message}: refused (ERR_ACCESS_DENIED): graded code has no access to files, processes or threads`;
}

/**
 * The arguments as the learner's code gets them: deeply frozen data (an informer's cached
 * objects) as it is, since a write to it fails loudly anyway; everything else a copy, so the
 * code cannot change the caller's objects. Copying only what needs it keeps a reconcile that
 * is handed a thousand cached pods from copying a thousand pods on every call.
 */
function copyIn(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || isDeepFrozen(value)) return value;
  if (Array.isArray(value)) return value.map(copyIn);
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copyIn(v);
    return out;
  }
  return structuredClone(value);
}

/** An object made by a class (not a plain object or array): its methods are the interface. */
function isInstance(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto !== Object.prototype && proto !== null;
}

/** A stand-in for a learner's object: every method call is guarded; other properties read as copies. */
function handle(id: string, source: SlotSource, target: object, timeoutMs: number, inProcess: boolean, state: GuardState): object {
  const methods = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  const className = target.constructor?.name || 'object';
  return new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      if (typeof value !== 'function') return inProcess && typeof value === 'object' && value !== null ? structuredClone(value) : value;
      let method = methods.get(prop);
      if (method === undefined) {
        method = guarded(id, source, (value as (...a: unknown[]) => unknown).bind(obj), timeoutMs, inProcess, `${className}.${String(prop)}`, state);
        methods.set(prop, method);
      }
      return method;
    },
    set() {
      throw new SlotError(id, source, 'bad-result', `${id} (${source}): the ${className} object can only be used through its methods`);
    },
  });
}

/** The stack frames inside exercises/ or solutions/: where the learner should look. */
function learnerFrames(stack: string): string {
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l) && /(exercises|solutions)[\\/]/.test(l));
  return frames.join('\n');
}
