import { formatQuantity } from '../api/quantity';

/**
 * The eviction manager's decision at each of its 10 s looks at the node (synchronize): which
 * hard thresholds the node's signals cross, the node conditions that follow, and the one pod to
 * evict, if any. Pure: the runtime (eviction-manager.ts) reads the stats and applies it.
 *
 * Signals and the kubelet's default hard thresholds (evictionHard; a hard threshold has no grace
 * period): memory.available < 100Mi, nodefs.available < 10%, imagefs.available < 15%. A signal
 * crossing its threshold sets a node condition (memory => MemoryPressure, the disks =>
 * DiskPressure), which stays True until it has not been seen for evictionPressureTransitionPeriod
 * (5 minutes).
 *
 * Memory is reclaimed first (byEvictionPriority). Its pods are ranked (rankMemoryPressure):
 * those whose working set exceeds their memory request first, then by lower priority, then by
 * the larger usage above the request; BestEffort pods (request 0) thus come before a Burstable
 * pod under its request, and a Guaranteed pod (usage within its limit = request) comes last.
 * The first is evicted, with the message the kubelet writes:
 *
 *   planEviction({ nowMs: 60_000, signals: { memoryAvailableBytes: 80 Mi, memoryCapacityBytes: 8 Gi, ... },
 *                  thresholds: HARD_EVICTION_DEFAULTS, lastObserved: {}, pods: [hog, web] })
 *   // => { conditions: ['MemoryPressure'], lastObserved: { MemoryPressure: 60_000 }, reclaim: 'memory',
 *   //      evict: { uid: hog.uid, message: 'The node was low on resource: memory. Threshold quantity: 100Mi,
 *   //        available: 81920Ki. Container stress was using 7340032Ki, request is 0, has larger consumption of memory. ' } }
 *   planEviction({ same, signals: memory fine again, nowMs: 200_000 })   // => { conditions: ['MemoryPressure'] }: within 5 minutes
 *   planEviction({ same, nowMs: 360_001 })                                // => { conditions: [] }
 *
 * Disk: a disk signal sets DiskPressure and asks for ephemeral-storage. The kubelet first tries
 * to free the disk without evicting anyone (reclaimNodeLevelResources: the node's image
 * filesystem is its root filesystem, so it deletes every dead container it may, then every
 * unused image), then looks again; the plan says so with `reclaimNodeLevel`, and the second
 * plan (`nodeReclaimed: true`) evicts only if a threshold is still crossed. Pods are then
 * ranked as rankDiskPressureFunc does, over the containers' writable layers and logs and the
 * pod's local volumes (emptyDir, configMap, hostPath): usage over the ephemeral-storage request
 * first, then lower priority, then the larger usage above the request.
 *
 *   planEviction({ signals: { 'nodefs.available': 1.5 Gi of 20 Gi, ... }, pods: [filler, web] })
 *   // => { conditions: ['DiskPressure'], reclaim: 'ephemeral-storage', reclaimNodeLevel: true }
 *   planEviction({ same, nodeReclaimed: true })   // still under 2Gi after the garbage collection
 *   // => { ..., evict: { uid: filler.uid, message: 'The node was low on resource: ephemeral-storage. Threshold quantity: 2Gi,
 *   //        available: 1536Mi. Container filler was using 18Gi, request is 0, has larger consumption of ephemeral-storage. ' } }
 */
export type EvictionSignal = 'memory.available' | 'nodefs.available' | 'imagefs.available';
export type PressureCondition = 'MemoryPressure' | 'DiskPressure';

export interface Threshold {
  signal: EvictionSignal;
  /** An absolute quantity, or a percentage of the capacity. */
  value: { bytes: number; text: string } | { percentage: number };
}

/** evictionHard's defaults on Linux. */
export const HARD_EVICTION_DEFAULTS: readonly Threshold[] = [
  { signal: 'memory.available', value: { bytes: 100 * 1024 * 1024, text: '100Mi' } },
  { signal: 'nodefs.available', value: { percentage: 0.1 } },
  { signal: 'imagefs.available', value: { percentage: 0.15 } },
];
/** evictionPressureTransitionPeriod's default. */
export const PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;

export interface Observation {
  availableBytes: number;
  capacityBytes: number;
}

/** A pod's use of one resource against its request, and its app containers' (for the message). */
export interface ResourceUse {
  usedBytes: number;
  requestBytes: number;
  containers: readonly { name: string; usedBytes: number; requestBytes: number; request: string }[];
}

export interface EvictionCandidate {
  uid: string;
  /** spec.priority (0 when unset). */
  priority: number;
  /** The working set. */
  memory: ResourceUse;
  /** Local ephemeral storage: writable layers and logs (the pod's also counts its local volumes). */
  disk: ResourceUse;
}

export interface EvictionInput {
  nowMs: number;
  signals: Partial<Record<EvictionSignal, Observation>>;
  thresholds: readonly Threshold[];
  /** When each condition was last seen, from the previous plan. */
  lastObserved: Partial<Record<PressureCondition, number>>;
  /** The active pods (admitted, running, not critical). */
  pods: readonly EvictionCandidate[];
  /** Set for the look after the node-level reclaim (garbage collection) a disk threshold asked for. */
  nodeReclaimed?: boolean;
}

export interface EvictionPlan {
  /** The node conditions to report True. */
  conditions: PressureCondition[];
  lastObserved: Partial<Record<PressureCondition, number>>;
  /** The resource to reclaim now, if a threshold is crossed. */
  reclaim?: Resource;
  /** Free the disk by garbage collection first, then plan again with nodeReclaimed. */
  reclaimNodeLevel?: boolean;
  evict?: { uid: string; message: string };
}

type Resource = 'memory' | 'ephemeral-storage';
const RESOURCE: Record<EvictionSignal, Resource> = { 'memory.available': 'memory', 'nodefs.available': 'ephemeral-storage', 'imagefs.available': 'ephemeral-storage' };
const CONDITION: Record<EvictionSignal, PressureCondition> = { 'memory.available': 'MemoryPressure', 'nodefs.available': 'DiskPressure', 'imagefs.available': 'DiskPressure' };

/** A byte count as the kubelet prints it (a BinarySI quantity): 83886080 => '80Mi', 83890176 => '81924Ki'. */
export function bytesQuantity(bytes: number): string {
  return formatQuantity({ nanos: BigInt(Math.round(bytes)) * 1_000_000_000n, format: 'BinarySI' });
}

/** The threshold's quantity against a capacity: 100Mi, or 10% of 20Gi as a whole number of bytes. */
function thresholdBytes(t: Threshold, capacityBytes: number): number {
  return 'bytes' in t.value ? t.value.bytes : Math.trunc(capacityBytes * t.value.percentage);
}

export function planEviction(input: EvictionInput): EvictionPlan {
  const met = input.thresholds.filter((t) => {
    const o = input.signals[t.signal];
    return o !== undefined && o.availableBytes < thresholdBytes(t, o.capacityBytes);
  });
  const lastObserved = { ...input.lastObserved };
  for (const t of met) lastObserved[CONDITION[t.signal]] = input.nowMs;
  const conditions = (['MemoryPressure', 'DiskPressure'] as const).filter((c) => lastObserved[c] !== undefined && input.nowMs - lastObserved[c]! < PRESSURE_TRANSITION_PERIOD_MS);
  // byEvictionPriority: memory before the disks.
  const threshold = met.find((t) => RESOURCE[t.signal] === 'memory') ?? met[0];
  if (threshold === undefined) return { conditions, lastObserved };
  const reclaim = RESOURCE[threshold.signal];
  if (reclaim === 'ephemeral-storage' && input.nodeReclaimed !== true) return { conditions, lastObserved, reclaim, reclaimNodeLevel: true };
  const victim = (reclaim === 'memory' ? rankMemoryPressure : rankDiskPressure)(input.pods)[0];
  if (victim === undefined) return { conditions, lastObserved, reclaim };
  const o = input.signals[threshold.signal]!;
  let message = `The node was low on resource: ${reclaim}. Threshold quantity: ${bytesQuantity(thresholdBytes(threshold, o.capacityBytes))}, available: ${bytesQuantity(o.availableBytes)}. `;
  for (const c of (reclaim === 'memory' ? victim.memory : victim.disk).containers) {
    if (c.usedBytes > c.requestBytes) message += `Container ${c.name} was using ${bytesQuantity(c.usedBytes)}, request is ${c.request}, has larger consumption of ${reclaim}. `;
  }
  return { conditions, lastObserved, reclaim, evict: { uid: victim.uid, message } };
}

/** orderedBy(exceeds the request, priority, usage above the request) over one resource. */
function rankBy(pods: readonly EvictionCandidate[], use: (p: EvictionCandidate) => ResourceUse): EvictionCandidate[] {
  const exceeds = (p: EvictionCandidate) => use(p).usedBytes > use(p).requestBytes;
  const above = (p: EvictionCandidate) => use(p).usedBytes - use(p).requestBytes;
  return [...pods].sort((a, b) => Number(exceeds(b)) - Number(exceeds(a)) || a.priority - b.priority || above(b) - above(a));
}

/**
 * The pods in the order the kubelet evicts them under memory pressure: usage over request first,
 * then lower priority, then larger usage above request.
 *
 *   rankMemoryPressure([burstableUnder, bestEffort, burstableOver]).map((p) => p.uid)
 *   // => ['bestEffort' or 'burstableOver' (the larger above its request), the other, 'burstableUnder']
 */
export function rankMemoryPressure(pods: readonly EvictionCandidate[]): EvictionCandidate[] {
  return rankBy(pods, (p) => p.memory);
}

/**
 * The pods in the order the kubelet evicts them under disk pressure (rankDiskPressureFunc): disk
 * use over the ephemeral-storage request first, then lower priority, then larger use above it.
 *
 *   rankDiskPressure([logger (2Gi, request 4Gi), filler (18Gi, no request)]).map((p) => p.uid)   // => ['filler', 'logger']
 */
export function rankDiskPressure(pods: readonly EvictionCandidate[]): EvictionCandidate[] {
  return rankBy(pods, (p) => p.disk);
}
