import { describe, expect, it } from 'vitest';
import { bytesQuantity, HARD_EVICTION_DEFAULTS, planEviction, rankDiskPressure, rankMemoryPressure, type EvictionCandidate, type EvictionInput } from './eviction-plan';

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;
/** A one-container pod's use of a resource: `usedMi` against a request of `requestMi` (0: none). */
const use = (name: string, usedMi: number, requestMi: number) => ({
  usedBytes: usedMi * Mi, requestBytes: requestMi * Mi, containers: [{ name, usedBytes: usedMi * Mi, requestBytes: requestMi * Mi, request: requestMi === 0 ? '0' : `${requestMi}Mi` }],
});
/** A pod using `usedMi` of memory (and no disk) against a request of `requestMi`. */
const pod = (uid: string, usedMi: number, requestMi = 0, priority = 0): EvictionCandidate => ({ uid, priority, memory: use(uid, usedMi, requestMi), disk: use(uid, 0, 0) });
/** A pod writing `usedMi` to its disk against an ephemeral-storage request of `requestMi`, using little memory. */
const writer = (uid: string, usedMi: number, requestMi = 0, priority = 0): EvictionCandidate => ({ uid, priority, memory: use(uid, 10, 0), disk: use(uid, usedMi, requestMi) });
const input = (availableMi: number, pods: EvictionCandidate[], more: Partial<EvictionInput> = {}): EvictionInput => ({
  nowMs: 60_000,
  signals: {
    'memory.available': { availableBytes: availableMi * Mi, capacityBytes: 8 * Gi },
    'nodefs.available': { availableBytes: 15 * Gi, capacityBytes: 20 * Gi },
    'imagefs.available': { availableBytes: 15 * Gi, capacityBytes: 20 * Gi },
  },
  thresholds: HARD_EVICTION_DEFAULTS,
  lastObserved: {},
  pods,
  ...more,
});

describe("the eviction manager's decision", () => {
  it('ranks pods under memory pressure: over their request first, then by lower priority, then by larger usage above the request', () => {
    const rank = (pods: EvictionCandidate[]) => rankMemoryPressure(pods).map((p) => p.uid);
    // A BestEffort pod (request 0) before a Burstable one under its request.
    expect(rank([pod('burstable-under', 100, 200), pod('besteffort', 50)])).toEqual(['besteffort', 'burstable-under']);
    // Over its request first, whatever the priority.
    expect(rank([pod('over-high', 300, 200, 1000), pod('under-low', 100, 200, 0)])).toEqual(['over-high', 'under-low']);
    // Then the lower priority.
    expect(rank([pod('big-high', 900, 0, 10), pod('small-low', 50, 0, 0)])).toEqual(['small-low', 'big-high']);
    // Then the larger usage above the request.
    expect(rank([pod('a', 400, 300), pod('b', 250, 0), pod('c', 350, 300)])).toEqual(['b', 'a', 'c']);
  });

  it("evicts the first ranked pod when memory.available is under 100Mi, with the kubelet's message", () => {
    const plan = planEviction(input(80, [pod('web', 100, 200), pod('hog', 7000)]));
    expect(plan.conditions).toEqual(['MemoryPressure']);
    expect(plan.evict).toEqual({
      uid: 'hog',
      message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi. Container hog was using 7000Mi, request is 0, has larger consumption of memory. ',
    });
  });

  it('evicts nothing and reports no condition while every signal is above its threshold', () => {
    expect(planEviction(input(100, [pod('hog', 7000)]))).toEqual({ conditions: [], lastObserved: {} });
  });

  it('keeps MemoryPressure for 5 minutes after the threshold was last crossed', () => {
    const crossed = planEviction(input(80, [], { nowMs: 60_000 }));
    expect(crossed).toMatchObject({ conditions: ['MemoryPressure'], reclaim: 'memory' });
    const later = (nowMs: number) => planEviction(input(500, [pod('hog', 100)], { nowMs, lastObserved: crossed.lastObserved }));
    expect(later(359_999)).toEqual({ conditions: ['MemoryPressure'], lastObserved: { MemoryPressure: 60_000 } });
    expect(later(360_000).conditions).toEqual([]);
  });

  it('sets DiskPressure under 10% of nodefs or 15% of imagefs, and asks for garbage collection before evicting anyone', () => {
    const plan = planEviction(input(500, [writer('filler', 15 * 1024)], { signals: { 'imagefs.available': { availableBytes: 2.9 * Gi, capacityBytes: 20 * Gi } } }));
    expect(plan).toEqual({ conditions: ['DiskPressure'], lastObserved: { DiskPressure: 60_000 }, reclaim: 'ephemeral-storage', reclaimNodeLevel: true });
  });

  it("evicts for disk after the garbage collection only if a threshold is still crossed, with the kubelet's ephemeral-storage message", () => {
    const low = { 'nodefs.available': { availableBytes: 1.5 * Gi, capacityBytes: 20 * Gi } };
    const pods = [writer('logger', 2 * 1024, 4 * 1024), writer('filler', 15 * 1024)];
    expect(planEviction(input(500, pods, { signals: low, nodeReclaimed: true })).evict).toEqual({
      uid: 'filler',
      message: 'The node was low on resource: ephemeral-storage. Threshold quantity: 2Gi, available: 1536Mi. Container filler was using 15Gi, request is 0, has larger consumption of ephemeral-storage. ',
    });
    // The collection freed enough: DiskPressure stays (it was seen at this look), nobody is evicted.
    const freed = planEviction(input(500, pods, { signals: { 'nodefs.available': { availableBytes: 5 * Gi, capacityBytes: 20 * Gi } }, lastObserved: { DiskPressure: 60_000 }, nodeReclaimed: true }));
    expect(freed).toEqual({ conditions: ['DiskPressure'], lastObserved: { DiskPressure: 60_000 } });
  });

  it('reclaims memory before disk when both are short', () => {
    const signals = { ...input(80, []).signals, 'nodefs.available': { availableBytes: 1 * Gi, capacityBytes: 20 * Gi } };
    const plan = planEviction(input(80, [writer('filler', 15 * 1024), pod('hog', 7000)], { signals }));
    expect(plan).toMatchObject({ conditions: ['MemoryPressure', 'DiskPressure'], reclaim: 'memory', evict: { uid: 'hog' } });
  });

  it('ranks pods under disk pressure: over their ephemeral-storage request first, then by lower priority, then by larger use above the request', () => {
    const rank = (pods: EvictionCandidate[]) => rankDiskPressure(pods).map((p) => p.uid);
    expect(rank([writer('logger', 2048, 4096), writer('filler', 1024)])).toEqual(['filler', 'logger']);
    expect(rank([writer('big-high', 9000, 0, 10), writer('small-low', 50, 0, 0)])).toEqual(['small-low', 'big-high']);
    expect(rank([writer('a', 400, 300), writer('b', 250, 0), writer('c', 350, 300)])).toEqual(['b', 'a', 'c']);
  });

  it.each([[100 * Mi, '100Mi'], [83_890_176, '81924Ki'], [1000, '1k'], [1500, '1500'], [0, '0']])('prints %d bytes as %s', (bytes, text) => {
    expect(bytesQuantity(bytes)).toBe(text);
  });
});
