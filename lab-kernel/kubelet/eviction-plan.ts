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
 * Disk signals set DiskPressure (and so admission rejects every new pod), but pods are not
 * evicted for disk here: the lab models no pod's disk use, and the kubelet first tries image and
 * container garbage collection for them.
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

export interface EvictionCandidate {
  uid: string;
  /** spec.priority (0 when unset). */
  priority: number;
  /** The pod's working set, and its containers' with their memory requests (bytes, and as written). */
  memoryBytes: number;
  containers: readonly { name: string; memoryBytes: number; requestBytes: number; request: string }[];
}

export interface EvictionInput {
  nowMs: number;
  signals: Partial<Record<EvictionSignal, Observation>>;
  thresholds: readonly Threshold[];
  /** When each condition was last seen, from the previous plan. */
  lastObserved: Partial<Record<PressureCondition, number>>;
  /** The active pods (admitted, running, not critical). */
  pods: readonly EvictionCandidate[];
}

export interface EvictionPlan {
  /** The node conditions to report True. */
  conditions: PressureCondition[];
  lastObserved: Partial<Record<PressureCondition, number>>;
  /** The resource to reclaim now, if a threshold is crossed. */
  reclaim?: 'memory' | 'ephemeral-storage';
  evict?: { uid: string; message: string };
}

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
  const memory = met.find((t) => t.signal === 'memory.available');
  if (memory === undefined) return met.length > 0 ? { conditions, lastObserved, reclaim: 'ephemeral-storage' } : { conditions, lastObserved };
  const victim = rankMemoryPressure(input.pods)[0];
  if (victim === undefined) return { conditions, lastObserved, reclaim: 'memory' };
  const o = input.signals['memory.available']!;
  let message = `The node was low on resource: memory. Threshold quantity: ${bytesQuantity(thresholdBytes(memory, o.capacityBytes))}, available: ${bytesQuantity(o.availableBytes)}. `;
  for (const c of victim.containers) {
    if (c.memoryBytes > c.requestBytes) message += `Container ${c.name} was using ${bytesQuantity(c.memoryBytes)}, request is ${c.request}, has larger consumption of memory. `;
  }
  return { conditions, lastObserved, reclaim: 'memory', evict: { uid: victim.uid, message } };
}

/**
 * The pods in the order the kubelet evicts them under memory pressure: usage over request first,
 * then lower priority, then larger usage above request.
 *
 *   rankMemoryPressure([burstableUnder, bestEffort, burstableOver]).map((p) => p.uid)
 *   // => ['bestEffort' or 'burstableOver' (the larger above its request), the other, 'burstableUnder']
 */
export function rankMemoryPressure(pods: readonly EvictionCandidate[]): EvictionCandidate[] {
  const request = (p: EvictionCandidate) => p.containers.reduce((sum, c) => sum + c.requestBytes, 0);
  const exceeds = (p: EvictionCandidate) => p.memoryBytes > request(p);
  return [...pods].sort((a, b) =>
    Number(exceeds(b)) - Number(exceeds(a))
    || a.priority - b.priority
    || (b.memoryBytes - request(b)) - (a.memoryBytes - request(a)));
}
