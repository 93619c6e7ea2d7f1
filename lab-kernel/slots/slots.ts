import * as path from 'path';
import { repoRoot } from './manifest';
import { sandboxedSlot } from './sandbox';
import { SLOTS, type SlotId, type SlotTypes } from './registry';
import { DEFAULT_SLOT_TIMEOUT_MS, guard, SlotError, type SlotSource } from './guard';
import { learnerLocation } from './source-position';
import { LoadError, transpiledCode, TsModuleLoader } from './ts-module-loader';

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
export { DEFAULT_SLOT_TIMEOUT_MS, inSlotSection, SlotError, type SlotFailure, type SlotSource } from './guard';

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
  /**
   * Run the code in the sandbox's child process (sandbox.ts). Default: when KUBELAB_SANDBOX=1,
   * as the grader sets it; the trusted reference (trustSolution) never is.
   */
  sandbox?: boolean;
  /** With sandbox, for the raft slot: see SandboxOptions.exact. */
  exact?: boolean;
}

/** Whether learner code runs in the sandbox by default: the grader turns it on. */
export function sandboxByDefault(): boolean {
  return process.env.KUBELAB_SANDBOX === '1';
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
  if (options.trustSolution !== true && (options.sandbox ?? sandboxByDefault())) return sandboxedSlot(id, source, { root, timeoutMs, exact: options.exact });
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
  const locate = (stack: string) => learnerLocation(stack, transpiledCode);
  return guard(id, source, fn as (...args: unknown[]) => unknown, { timeoutMs, locate }) as SlotTypes[K];
}

