import * as path from 'path';
import { repoRoot } from './manifest';
import { SLOTS, type SlotId, type SlotTypes } from './registry';
import { isDeepFrozen } from '../sim/deep-freeze';
import { isNotImplemented } from '../sim/not-implemented';
import { isTimeout, LoadError, runWithTimeout, TsModuleLoader } from './ts-module-loader';

/**
 * Exercise slots: the places where the cluster calls code a learner can replace.
 *
 * By default the cluster runs the reference solutions. Any slot can run the learner's code
 * from exercises/ instead:
 *
 *   const reconcile = loadSlot('replicaset', 'exercise');
 *   reconcile({ replicaSet, pods, now })   // runs exercises/replicaset/reconcile.ts
 *
 * The returned function is guarded: arguments are copied in and results copied out (so the
 * code cannot change the caller's objects), and whatever goes wrong — not implemented yet,
 * a throw, an endless loop, a Promise instead of a value — comes back as a SlotError that
 * names the exercise. Nothing a learner writes can crash or hang the cluster.
 */
export { SLOT_IDS, SLOTS, slotOf, type SlotId, type SlotTypes } from './registry';
export type SlotSource = 'solution' | 'exercise';

export type SlotFailure = 'not-implemented' | 'compile-error' | 'threw' | 'timeout' | 'bad-result' | 'missing-export' | 'not-found';

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

export interface SlotOptions {
  timeoutMs?: number;
  /** Where exercises/ or solutions/ are (default: this repository; for exercises, KUBELAB_CODE_ROOT if set). */
  root?: string;
  /**
   * Call the reference solution directly, without copies or a watchdog: for hot paths (the
   * scheduler's plugins run once per node per pod) where the guard would cost more than the
   * work. Only ever for source 'solution': learner code is always guarded.
   */
  trustSolution?: boolean;
}

/**
 * Where learner code is read from: this repository, unless KUBELAB_CODE_ROOT names another
 * folder holding an exercises/ tree (the grader's mutant runner grades edited copies there).
 */
export function exercisesRoot(): string {
  return process.env.KUBELAB_CODE_ROOT ?? repoRoot();
}

export function slotFile(id: SlotId, source: SlotSource, root: string = repoRoot()): string {
  return path.join(root, source === 'exercise' ? 'exercises' : 'solutions', SLOTS[id].module);
}

export function loadSlot<K extends SlotId>(id: K, source: SlotSource, options: SlotOptions = {}): SlotTypes[K] {
  const root = options.root ?? (source === 'exercise' ? exercisesRoot() : repoRoot());
  const timeoutMs = options.timeoutMs ?? DEFAULT_SLOT_TIMEOUT_MS;
  const info = SLOTS[id];
  const file = slotFile(id, source, root);
  let mod: Record<string, unknown>;
  try {
    mod = new TsModuleLoader({ timeoutMs }).load(file);
  } catch (err) {
    if (err instanceof LoadError) {
      throw new SlotError(id, source, err.kind, `${id} (${source}): ${err.message}`);
    }
    throw err;
  }
  const fn = mod[info.export];
  if (typeof fn !== 'function') {
    throw new SlotError(id, source, 'missing-export', `${id} (${source}): ${path.relative(root, file)} must export a function named ${info.export}`);
  }
  if (source === 'solution' && options.trustSolution === true) return fn as SlotTypes[K];
  return guard(id, source, fn as (...args: unknown[]) => unknown, timeoutMs) as SlotTypes[K];
}

/** Shared by a slot's function and every handle it returns: an endless loop poisons them all. */
interface GuardState {
  hung?: SlotError;
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
 */
function guard(id: string, source: SlotSource, fn: (...args: unknown[]) => unknown, timeoutMs: number, name = fn.name || 'function', state: GuardState = {}): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    // After one endless loop the code is not run again (each try would cost the full time
    // limit); loading it afresh gives it a new chance.
    if (state.hung !== undefined) throw state.hung;
    const copies = copyIn(args) as unknown[];
    let result: unknown;
    try {
      if (section === undefined) {
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
      const message = err instanceof Error ? err.message : String(err);
      const error = new SlotError(id, source, 'threw', `${id} (${source}): ${name} threw: ${message}`);
      if (err instanceof Error && err.stack) error.stack = `${error.name}: ${error.message}\n${learnerFrames(err.stack)}`;
      throw error;
    }
    if (result instanceof Promise || (result !== null && typeof (result as { then?: unknown })?.then === 'function')) {
      throw new SlotError(id, source, 'bad-result', `${id} (${source}): ${name} must return its result directly, not a Promise (remove async)`);
    }
    if (isInstance(result)) return handle(id, source, result, timeoutMs, state);
    try {
      return structuredClone(result);
    } catch (err) {
      throw new SlotError(id, source, 'bad-result', `${id} (${source}): ${name} returned something that is not plain data (${(err as Error).message})`);
    }
  };
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
function handle(id: string, source: SlotSource, target: object, timeoutMs: number, state: GuardState): object {
  const methods = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  const className = target.constructor?.name || 'object';
  return new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      if (typeof value !== 'function') return typeof value === 'object' && value !== null ? structuredClone(value) : value;
      let method = methods.get(prop);
      if (method === undefined) {
        method = guard(id, source, (value as (...a: unknown[]) => unknown).bind(obj), timeoutMs, `${className}.${String(prop)}`, state);
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
