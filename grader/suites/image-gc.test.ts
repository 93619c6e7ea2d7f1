/**
 * Grader suite for exercise `image-gc` (exercises/kubelet/image-gc.ts).
 *
 * Part by part through imageGC, on cases after the kubelet's own (image_gc_manager_test.go:
 * TestGarbageCollectBelowLowThreshold, TestFreeSpaceTiesBrokenByDetectedTime,
 * TestGarbageCollectImageNotOldEnough, TestGarbageCollectNotEnoughFreed), then a whole cluster
 * whose node runs your decision on a small image disk.
 */
import { describe, expect, it } from 'vitest';
import type { KubeEvent, Pod } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import { KUBE_PROXY_IMAGE } from '../../lab-kernel/cluster/kube-proxy-addon';
import { DEFAULT_IMAGE_GC_POLICY, type ImageGCDecision, type ImageGCPolicy, type ImageRecord } from '../../lab-kernel/kubelet/image-gc-contract';
import { findImage } from '../../lab-kernel/runtime/image-registry';
import { SANDBOX_IMAGE } from '../../lab-kernel/runtime/image-service';
import { traceQuery } from '../../lab-kernel/viz/trace-query';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const imageGC = slotUnderTest('image-gc');

const NOW = 3_600_000;
/** An image last used and first detected long ago (an hour before NOW), neither in use nor pinned. */
const img = (id: string, sizeBytes: number, more: Partial<ImageRecord> = {}): ImageRecord => ({ id, sizeBytes, lastUsedMs: 0, firstDetectedMs: 0, inUse: false, pinned: false, ...more });
/** The decision on a disk of 1000 bytes with `available` free. */
const decide = (available: number, images: ImageRecord[], policy: Partial<ImageGCPolicy> = {}, capacity = 1000): ImageGCDecision =>
  imageGC({ images, capacityBytes: capacity, availableBytes: available, nowMs: NOW, policy: { ...DEFAULT_IMAGE_GC_POLICY, ...policy } });
/** Everything that may go, in order: a disk so full that no amount of deleting is enough. */
const order = (images: ImageRecord[]) => decide(0, images, { lowThresholdPercent: 0 }, 1_000_000_000).toDelete;
const failure = (amount: number, freed: number) => `Failed to garbage collect required amount of images. Attempted to free ${amount} bytes, but only found ${freed} bytes eligible to free.`;

describe('Part 1: how full the disk is, and how much must go (usagePercent, amountToFree)', () => {
  it('at exactly 85% used, does the kubelet act, to get down to 80%?', () => {
    expect(decide(150, [img('a', 60)])).toEqual({ usagePercent: 85, amountToFree: 50, toDelete: ['a'], freedBytes: 60 });
  });

  it('at 84% used, is there nothing to do (amountToFree 0, nothing deleted)?', () => {
    expect(decide(160, [img('a', 60)])).toEqual({ usagePercent: 84, amountToFree: 0, toDelete: [], freedBytes: 0 });
  });

  it('is 84.3% used counted as 85%? (100 minus the free share in whole percent, rounded down: 15.7 => 15)', () => {
    expect(decide(157, [img('a', 60)])).toEqual({ usagePercent: 85, amountToFree: 43, toDelete: ['a'], freedBytes: 60 });
  });

  it('does it free down to the low threshold (80%), not just below the high one?', () => {
    expect(decide(100, [img('a', 60), img('b', 60)])).toMatchObject({ usagePercent: 90, amountToFree: 100, toDelete: ['a', 'b'], freedBytes: 120 });
  });

  it('does it use the thresholds it is given (90 / 50)?', () => {
    expect(decide(110, [img('a', 600)], { highThresholdPercent: 90, lowThresholdPercent: 50 })).toMatchObject({ usagePercent: 89, amountToFree: 0, toDelete: [] });
    expect(decide(100, [img('a', 600)], { highThresholdPercent: 90, lowThresholdPercent: 50 })).toMatchObject({ usagePercent: 90, amountToFree: 400, toDelete: ['a'] });
  });

  it('does it count a real disk right (20 GiB, 2.5 GiB free: 88%)?', () => {
    const gib = 1024 ** 3;
    expect(decide(2.5 * gib, [img('a', 2 * gib)], {}, 20 * gib)).toMatchObject({ usagePercent: 88, amountToFree: 1.5 * gib, toDelete: ['a'] });
  });
});

describe('Part 2: which images may go, and in which order (evictionOrder)', () => {
  it('is an image in use, pinned, or detected less than 2 minutes ago never chosen?', () => {
    const images = [img('used', 10, { inUse: true }), img('pause', 10, { pinned: true }), img('fresh', 10, { firstDetectedMs: NOW - 119_999 }), img('old', 10)];
    expect(order(images)).toEqual(['old']);
  });

  it('is an image detected exactly 2 minutes ago old enough?', () => {
    expect(order([img('a', 10, { firstDetectedMs: NOW - 120_000 })])).toEqual(['a']);
  });

  it('does it use the min age it is given?', () => {
    expect(order([img('a', 10, { firstDetectedMs: NOW - 60_000 })])).toEqual([]);
    expect(decide(0, [img('a', 10, { firstDetectedMs: NOW - 60_000 })], { minAgeMs: 30_000, lowThresholdPercent: 0 }).toDelete).toEqual(['a']);
  });

  it('is the least recently used image deleted first?', () => {
    const images = [img('used-late', 10, { lastUsedMs: NOW - 60_000 }), img('never', 10), img('used-early', 10, { lastUsedMs: NOW - 3_000_000 })];
    expect(order(images)).toEqual(['never', 'used-early', 'used-late']);
  });

  it('for images last used at the same time, does the one detected first go first?', () => {
    const images = [img('c', 10, { lastUsedMs: 600_000, firstDetectedMs: 300_000 }), img('a', 10, { lastUsedMs: 600_000, firstDetectedMs: 0 }), img('b', 10, { firstDetectedMs: 900_000 }), img('d', 10, { firstDetectedMs: 0 })];
    expect(order(images)).toEqual(['d', 'b', 'a', 'c']);
  });
});

describe('Part 3: the decision: delete until enough, or say why not (imageGC)', () => {
  it('does it stop as soon as what it deleted reaches amountToFree?', () => {
    expect(decide(150, [img('a', 30), img('b', 30), img('c', 30)])).toEqual({ usagePercent: 85, amountToFree: 50, toDelete: ['a', 'b'], freedBytes: 60 });
  });

  it('is exactly enough enough (no more deleted, no error)?', () => {
    expect(decide(150, [img('a', 50), img('b', 30)])).toEqual({ usagePercent: 85, amountToFree: 50, toDelete: ['a'], freedBytes: 50 });
  });

  it("when it cannot free enough, does it delete what it can and give the kubelet's error with both numbers?", () => {
    expect(decide(150, [img('a', 20), img('b', 15), img('used', 500, { inUse: true })])).toEqual({
      usagePercent: 85, amountToFree: 50, toDelete: ['a', 'b'], freedBytes: 35, error: failure(50, 35),
    });
  });

  it('with nothing it may delete, does it say it found 0 bytes?', () => {
    expect(decide(100, [img('pause', 1, { pinned: true }), img('web', 800, { inUse: true })])).toEqual({
      usagePercent: 90, amountToFree: 100, toDelete: [], freedBytes: 0, error: failure(100, 0),
    });
  });

  it('does it leave the error out when all is well?', () => {
    expect(Object.keys(decide(150, [img('a', 60)])).sort()).toEqual(['amountToFree', 'freedBytes', 'toDelete', 'usagePercent']);
  });
});

describe('Part 4: a node whose small image disk fills up, on your decision', () => {
  const size = (ref: string) => findImage(ref)!.sizeBytes;
  const pod = (name: string, image: string, never = false) =>
    `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: default }\nspec:\n  nodeName: node-1\n${never ? '  restartPolicy: Never\n' : ''}  containers: [{ name: app, image: "${image}" }]\n`;
  const run = (imageFsBytes: number) => {
    const cluster = createCluster({ seed: SEED, workers: 1, imageFsBytes, use: { 'image-gc': SOURCE } });
    const said = () => {
      const last = [...cluster.trace.all()].reverse().find((e) => e.kind === 'error' && e.actor === 'kubelet/node-1');
      return last ? `; the kubelet last said: ${last.summary}` : '';
    };
    const removed = () => traceQuery(cluster.trace, { actor: 'kubelet/node-1', summary: /^RemoveImage / }).map((e) => e.summary.split(' ')[1]);
    const phase = (name: string) => (cluster.apiServer.cache.get('pods', 'default', name) as Pod | undefined)?.status?.phase;
    return { cluster, said, removed, phase };
  };

  it('do the images of pods that are gone go, least recently used first, until the disk is back under 80%?', () => {
    // A 1.095 GB disk, which also holds the node's kube-proxy image. pi-old (perl:5.34.0) runs and is deleted; pi-new
    // (perl:latest) runs, is still there at the 5-minute look (its image in use then), and is deleted; three nginx pods
    // fill the disk to 85%: the image GC's high threshold, with just over 15% still free, so the eviction manager
    // (imagefs.available < 15%) stays out of it.
    const disk = 1_095_000_000;
    const { cluster, said, removed, phase } = run(disk);
    cluster.apply(pod('pi-old', 'perl:5.34.0', true));
    expect(cluster.runUntil(() => phase('pi-old') === 'Succeeded', 60_000), `pi-old Succeeded${said()}`).toBe(true);
    cluster.kubectl.delete('pod', 'pi-old');
    cluster.apply(pod('pi-new', 'perl:latest', true));
    cluster.sim.runUntilTime(320_000);
    cluster.kubectl.delete('pod', 'pi-new');
    for (const [i, tag] of ['1.27', '1.26', '1.25'].entries()) cluster.apply(pod(`web-${i + 1}`, `nginx:${tag}`));
    cluster.sim.runUntilTime(700_000);
    const used = [SANDBOX_IMAGE, KUBE_PROXY_IMAGE, 'perl:5.34.0', 'perl:latest', 'nginx:1.27', 'nginx:1.26', 'nginx:1.25'].reduce((n, ref) => n + size(ref), 0);
    const said90 = traceQuery(cluster.trace, { actor: 'kubelet/node-1', kind: 'action', summary: /^image filesystem/ }).map((e) => e.summary);
    expect(said90, `what the kubelet said it would free${said()}`).toEqual([`image filesystem 85% used (high threshold 85%): freeing ${disk * 0.2 - (disk - used)} bytes to get down to 80%`]);
    expect(removed(), `the images the kubelet removed${said()}`).toEqual(['docker.io/library/perl:5.34.0']);
    expect(traceQuery(cluster.trace, { actor: 'kubelet/control-plane', summary: /^RemoveImage / }), 'nothing on the control plane (15% used)').toEqual([]);
  });

  it('when every image on a full disk is in use, does the image GC fail at each look, saying FreeDiskSpaceFailed on the node?', () => {
    // A 530 MB disk, 85% used once both run beside the node's kube-proxy: the GC's threshold, not yet the eviction manager's (under 15% free).
    const disk = 530_000_000;
    const { cluster, said, removed } = run(disk);
    cluster.apply(pod('pi', 'perl:latest', true));
    cluster.apply(pod('web', 'nginx:1.27'));
    cluster.sim.runUntilTime(620_000);
    const available = disk - [SANDBOX_IMAGE, KUBE_PROXY_IMAGE, 'perl:latest', 'nginx:1.27'].reduce((n, ref) => n + size(ref), 0);
    const message = failure(disk * 0.2 - available, 0);
    const failures = traceQuery(cluster.trace, { actor: 'kubelet/node-1', kind: 'error', summary: /^image garbage collection failed/ });
    expect(failures.map((e) => `${Math.round(e.time / 60_000)} min: ${e.summary}`), `the kubelet's failed image GC runs${said()}`).toEqual(
      [5, 10].map((min) => `${min} min: image garbage collection failed: ${message}`),
    );
    const nodeEvent = (reason: string) => (cluster.kubectl.getObjects('events') as KubeEvent[]).find((e) => e.involvedObject.name === 'node-1' && e.reason === reason);
    const freeDiskSpace = nodeEvent('FreeDiskSpaceFailed');
    expect(freeDiskSpace?.message, `the FreeDiskSpaceFailed Warning on node-1${said()}`).toBe(message);
    expect(freeDiskSpace!.count, 'FreeDiskSpaceFailed at the looks at 5 and 10 minutes').toBe(2);
    expect(nodeEvent('ImageGCFailed')?.message, 'ImageGCFailed once the GC has failed twice in a row').toBe(message);
    expect(removed(), 'nothing removed: the container of a finished pod still uses its image').toEqual([]);
  });
});
