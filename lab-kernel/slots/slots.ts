import * as path from 'path';
import type { ReconcileReplicaSet } from '../controllers/replicaset-contract';
import { exercise, repoRoot } from './manifest';
import { isNotImplemented } from './not-implemented';
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
export interface SlotTypes {
  replicaset: ReconcileReplicaSet;
}

export type SlotId = keyof SlotTypes;
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
  /** The repository root (default: found from this file). */
  root?: string;
}

export function slotFile(id: SlotId, source: SlotSource, root: string = repoRoot()): string {
  const info = exercise(id, root);
  return path.join(root, source === 'exercise' ? 'exercises' : 'solutions', info.slot.module);
}

export function loadSlot<K extends SlotId>(id: K, source: SlotSource, options: SlotOptions = {}): SlotTypes[K] {
  const root = options.root ?? repoRoot();
  const timeoutMs = options.timeoutMs ?? DEFAULT_SLOT_TIMEOUT_MS;
  const info = exercise(id, root);
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
  const fn = mod[info.slot.export];
  if (typeof fn !== 'function') {
    throw new SlotError(id, source, 'missing-export', `${id} (${source}): ${path.relative(root, file)} must export a function named ${info.slot.export}`);
  }
  return guard(id, source, fn as (...args: unknown[]) => unknown, timeoutMs) as SlotTypes[K];
}

function guard(id: string, source: SlotSource, fn: (...args: unknown[]) => unknown, timeoutMs: number): (...args: unknown[]) => unknown {
  const name = fn.name || 'function';
  // After one endless loop the function is not run again (each try would cost the full
  // time limit); loading the code afresh gives it a new chance.
  let hung: SlotError | undefined;
  return (...args: unknown[]) => {
    if (hung !== undefined) throw hung;
    const copies = structuredClone(args);
    let result: unknown;
    try {
      result = runWithTimeout(() => fn(...copies), timeoutMs);
    } catch (err) {
      if (isTimeout(err)) {
        hung = new SlotError(id, source, 'timeout', `${id} (${source}): ${name} did not return within ${timeoutMs} ms (an endless loop?); not called again until the code is reloaded`);
        throw hung;
      }
      if (isNotImplemented(err)) throw new SlotError(id, source, 'not-implemented', `not implemented yet: ${id}`);
      const message = err instanceof Error ? err.message : String(err);
      const error = new SlotError(id, source, 'threw', `${id} (${source}): ${name} threw: ${message}`);
      if (err instanceof Error && err.stack) error.stack = `${error.name}: ${error.message}\n${learnerFrames(err.stack)}`;
      throw error;
    }
    if (result instanceof Promise || (result !== null && typeof (result as { then?: unknown })?.then === 'function')) {
      throw new SlotError(id, source, 'bad-result', `${id} (${source}): ${name} must return its result directly, not a Promise (remove async)`);
    }
    try {
      return structuredClone(result);
    } catch (err) {
      throw new SlotError(id, source, 'bad-result', `${id} (${source}): ${name} returned something that is not plain data (${(err as Error).message})`);
    }
  };
}

/** The stack frames inside exercises/ or solutions/: where the learner should look. */
function learnerFrames(stack: string): string {
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l) && /(exercises|solutions)[\\/]/.test(l));
  return frames.join('\n');
}
