import { unguarded, type Guard } from '../sim/guard';
import { RaftCluster, type RaftClusterOptions } from '../raft/raft-cluster';
import { DEFAULT_SLOT_TIMEOUT_MS, inSlotSection, loadSlot, sandboxByDefault, SLOT_IDS, type SlotId, type SlotSource, type SlotTypes } from '../slots/slots';

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
 *   exerciseCode({ replicaset: 'exercise' }).replicaset     // your reconcile, guarded
 *   exerciseCode({})['node-affinity']                      // the reference
 */
export function exerciseCode(sources: Partial<Record<SlotId, SlotSource>>, options: ImplementationOptions = {}): SlotTypes {
  const loaded: Partial<SlotTypes> = {};
  const code = {} as SlotTypes;
  for (const id of SLOT_IDS) {
    Object.defineProperty(code, id, {
      enumerable: true,
      get: () => (loaded[id] ??= implementation(id, sources[id] ?? 'solution', options) as never),
    });
  }
  return code;
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
  return new RaftCluster({ ...rest, newRaft: options.newRaft ?? loadSlot('raft', source), guard: slotGuard() });
}
