import { unguarded, type Guard } from '../sim/guard';
import { RaftCluster, type RaftClusterOptions } from '../raft/raft-cluster';
import { DEFAULT_SLOT_TIMEOUT_MS, inSlotSection, loadSlot, sandboxByDefault, SlotError, SLOT_IDS, SLOTS, type SlotId, type SlotSource, type SlotTypes } from '../slots/slots';
import { isTimeout, runWithTimeout } from '../slots/watchdog';

/**
 * Where exercise code enters the kernel. Components below take their pluggable functions as
 * typed arguments (a ReplicaSetController takes a reconcile function, an EtcdCluster a
 * NewRaft); this module, at the top, picks which code that is:
 *
 *   implementation('replicaset', 'solution')   // the reference, called directly (it is trusted)
 *   implementation('replicaset', 'exercise')   // exercises/replicaset/reconcile.ts, behind the guard
 *   raftCluster({ seed: 12, peers: 3, source: 'exercise' })  // a Raft test cluster on your Raft
 */
export interface ImplementationOptions {
  /** How long one call of the learner's code may run before it counts as an endless loop (default 1000 ms). */
  timeoutMs?: number;
}

export function implementation<K extends SlotId>(id: K, source: SlotSource, options: ImplementationOptions = {}): SlotTypes[K] {
  return loadSlot(id, source, { timeoutMs: options.timeoutMs, trustSolution: source === 'solution' });
}

/**
 * Every slot's function, each from the source asked for (the reference by default), loaded
 * the first time it is used:
 *
 *   exerciseCode({ replicaset: 'exercise' }).replicaset     // your reconcile, guarded, each call cut off on its own
 *   exerciseCode({})['node-affinity']                      // the reference
 *
 * A learner's function that never returns fails that one call with a SlotError, thrown where
 * it was called, like any other error in their code: the ReplicaSet controller reports the
 * sync as failed and retries it, and the simulation runs on (see cutOffOnItsOwn).
 */
export function exerciseCode(sources: Partial<Record<SlotId, SlotSource>>, options: ImplementationOptions = {}): SlotTypes {
  const loaded: Partial<SlotTypes> = {};
  const code = {} as SlotTypes;
  for (const id of SLOT_IDS) {
    const source = sources[id] ?? 'solution';
    const load = () => {
      const fn = implementation(id, source, options);
      return source === 'exercise' && !sandboxByDefault() ? cutOffOnItsOwn(id, fn, options.timeoutMs ?? DEFAULT_SLOT_TIMEOUT_MS) : fn;
    };
    Object.defineProperty(code, id, {
      enumerable: true,
      get: () => (loaded[id] ??= load() as never),
    });
  }
  return code;
}

/**
 * A slice of simulation events runs for about 200 ms of wall time (sim/simulation.ts) before
 * its watchdog is renewed. A cluster's slices get this much more than one call's limit, so
 * that a learner's call that starts late in a slice still meets its own watchdog first.
 */
export const SLICE_ALLOWANCE_MS = 500;

/**
 * The watchdog for a whole cluster's simulation: one per slice of events, longer than one
 * call's (see SLICE_ALLOWANCE_MS). It still stops an endless loop in code that no call's own
 * watchdog covers (a learner's Raft node's methods), naming the call.
 */
export function clusterGuard(timeoutMs: number = DEFAULT_SLOT_TIMEOUT_MS): Guard {
  return slotGuard(timeoutMs + SLICE_ALLOWANCE_MS);
}

/**
 * A learner's slot function under a watchdog of its own, so that an endless loop in it ends
 * that call alone: the caller gets a SlotError, as for a throw, and handles it like one (a
 * controller's sync fails and is retried). Without it, the watchdog over the whole slice of
 * events would stop the simulation itself, and createCluster or runFor would throw.
 *
 * After one endless loop the function is not called again (each try would cost the full time
 * limit): every later call fails at once with the same error. A new cluster loads the file
 * afresh. Nested watchdogs: Node's vm reports a timeout to the innermost watchdog that ran
 * out, so this one, started inside a slice's, fires first (clusterGuard).
 */
export function cutOffOnItsOwn<F>(id: SlotId, fn: F, timeoutMs: number): F {
  let hung: SlotError | undefined;
  const call = (...args: unknown[]) => {
    if (hung !== undefined) throw hung;
    try {
      return runWithTimeout(() => (fn as (...a: unknown[]) => unknown)(...args), timeoutMs);
    } catch (err) {
      if (err instanceof SlotError && err.failure === 'timeout') hung = err;
      else if (isTimeout(err)) {
        const name = SLOTS[id].export;
        hung = new SlotError(id, 'exercise', 'timeout', `${id} (exercise): ${name} did not return within ${timeoutMs} ms (an endless loop?); not called again until the code is reloaded`);
      }
      throw hung ?? err;
    }
  };
  return call as F;
}

/** The watchdog for a simulation that may run a learner's code: one per slice of events (sim/guard.ts). */
export function slotGuard(timeoutMs: number = DEFAULT_SLOT_TIMEOUT_MS): Guard {
  // In the sandbox the child process times each call itself (lab-kernel/slots/sandbox.ts).
  if (sandboxByDefault()) return unguarded;
  return (run) => inSlotSection(run, timeoutMs);
}

/**
 * A Raft test cluster (raft/raft-cluster.ts) on the reference Raft, or on yours:
 *
 *   raftCluster({ seed: 12, peers: 3 })                        // solutions/raft
 *   raftCluster({ seed: 12, peers: 3, source: 'exercise' })    // exercises/raft, under the slot watchdog
 *   raftCluster({ seed: 1, peers: 3, newRaft: recorded.newRaft })  // any NewRaft (a recording wrapper)
 */
export function raftCluster(options: Omit<RaftClusterOptions, 'newRaft'> & { newRaft?: RaftClusterOptions['newRaft']; source?: SlotSource }): RaftCluster {
  const { source = 'solution', ...rest } = options;
  return new RaftCluster(Object.assign({}, rest, { newRaft: options.newRaft ?? loadSlot('raft', source), guard: slotGuard() }));
}
