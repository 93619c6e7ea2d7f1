import { describe, expect, it } from 'vitest';
import { imageGC } from '../../solutions/kubelet/image-gc';
import { containerConfig, node, ok, runPod, sandboxConfig } from '../runtime/containerd.fixture';
import { findImage } from '../runtime/image-registry';
import { SANDBOX_IMAGE } from '../runtime/image-service';
import { traceQuery } from '../viz/trace-query';
import { DEFAULT_IMAGE_GC_POLICY, type ImageGCInput } from './image-gc-contract';
import { DEFAULT_IMAGE_FS_BYTES, IMAGE_GC_PERIOD_MS, ImageGCManager } from './image-gc-manager';

const size = (ref: string) => findImage(ref)!.sizeBytes;

/** A node's runtime and its image GC manager (started unless asked not to), on the reference decision; what the decision was asked, and the events. */
function manager(capacityBytes = DEFAULT_IMAGE_FS_BYTES, start = true) {
  const { sim, runtime } = node();
  const asked: ImageGCInput[] = [];
  const events: string[] = [];
  const gc = new ImageGCManager({
    sim, runtime, component: 'kubelet/node-1', runtimeName: 'containerd/node-1', node: 'node-1', capacityBytes,
    recorder: { event: (_ref, type, reason, message) => events.push(`${type} ${reason}: ${message}`) },
    decide: (input) => (asked.push(structuredClone(input)), imageGC(input)),
  });
  if (start) gc.start();
  const imageId = (ref: string) => ok(sim, runtime, 'imageStatus', { image: { image: ref } }).image!.id;
  return { sim, runtime, gc, asked, events, imageId };
}

describe("the kubelet's image garbage collection", () => {
  it("has 1.32's defaults: every 5 minutes, at 85% down to 80%, images at least 2 minutes old", () => {
    expect([IMAGE_GC_PERIOD_MS, DEFAULT_IMAGE_GC_POLICY]).toEqual([300_000, { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 120_000 }]);
  });

  it('looks every 5 minutes: when it first saw each image, when it last saw one in use (exited containers count), and it forgets images gone', () => {
    const { sim, runtime, gc, asked, imageId } = manager();
    sim.runFor(10);
    expect(asked.map((a) => a.nowMs), 'a look at once').toEqual([3]);
    ok(sim, runtime, 'pullImage', { image: { image: 'nginx:1.27' } });
    const { ids: [app] } = runPod(sim, runtime, sandboxConfig('job'), [containerConfig('app', 'busybox:1.36', { command: ['sh', '-c', 'exit 0'] })]);
    sim.runUntilTime(300_100);
    const first = asked[1].nowMs;
    expect(first).toBeGreaterThanOrEqual(300_000);
    const byId = () => new Map(gc.records().map((r) => [r.id, r]));
    expect(byId().get(imageId('nginx:1.27'))).toMatchObject({ firstDetectedMs: first, lastUsedMs: 0, inUse: false, pinned: false, sizeBytes: size('nginx:1.27') });
    expect(byId().get(imageId('busybox:1.36')), 'its container has exited, and is still there').toMatchObject({ firstDetectedMs: first, lastUsedMs: first, inUse: true });
    expect(byId().get(imageId(SANDBOX_IMAGE))).toMatchObject({ pinned: true, inUse: false });
    ok(sim, runtime, 'removeContainer', { containerId: app });
    ok(sim, runtime, 'removeImage', { image: { image: 'nginx:1.27' } });
    sim.runUntilTime(600_200);
    expect(asked).toHaveLength(3);
    expect(byId().get(imageId('busybox:1.36')), 'last used at the look before').toMatchObject({ firstDetectedMs: first, lastUsedMs: first, inUse: false });
    expect([...byId().values()].map((r) => r.sizeBytes).sort((a, b) => a - b)).toEqual([size(SANDBOX_IMAGE), size('busybox:1.36')]);
  });

  it('tells the decision the disk: its capacity, and what the images leave of it', () => {
    const { sim, runtime, asked } = manager(100_000_000);
    ok(sim, runtime, 'pullImage', { image: { image: 'nginx:1.27' } });
    sim.runUntilTime(300_100);
    expect(asked[1]).toMatchObject({ capacityBytes: 100_000_000, availableBytes: 100_000_000 - size('nginx:1.27'), policy: DEFAULT_IMAGE_GC_POLICY });
  });

  it('deletes what the decision chose over CRI, least recently used first, and leaves no trace below the high threshold', () => {
    const { sim, runtime, gc, imageId } = manager(280_000_000);
    const { ids: [old] } = runPod(sim, runtime, sandboxConfig('old'), [containerConfig('web', 'nginx:1.27')]);
    ok(sim, runtime, 'pullImage', { image: { image: 'nginx:1.26' } });
    runPod(sim, runtime, sandboxConfig('web'), [containerConfig('web', 'nginx:1.25')]);
    sim.runUntilTime(300_100);
    expect(traceQuery(sim.trace, { actor: 'kubelet/node-1' }), '77% used: nothing to say').toEqual([]);
    // nginx:1.27's container goes (its image was in use at the last look, 1.26's never); fluentd fills the disk to 91%.
    ok(sim, runtime, 'removeContainer', { containerId: old });
    ok(sim, runtime, 'pullImage', { image: { image: 'fluentd:latest' } });
    const lru = imageId('nginx:1.26');
    sim.runUntilTime(600_200);
    const used = [SANDBOX_IMAGE, 'nginx:1.27', 'nginx:1.26', 'nginx:1.25', 'fluentd:latest'].reduce((sum, ref) => sum + size(ref), 0);
    const calls = traceQuery(sim.trace, { actor: 'kubelet/node-1' }).map((e) => e.summary);
    expect(calls).toEqual([
      `image filesystem 91% used (high threshold 85%): freeing ${56_000_000 - (280_000_000 - used)} bytes to get down to 80%`,
      `RemoveImage docker.io/library/nginx:1.26 (${size('nginx:1.26')} bytes)`,
    ]);
    expect(gc.records().map((r) => r.id)).not.toContain(lru);
    expect(ok(sim, runtime, 'imageFsInfo', {}).imageFilesystems[0].usedBytes).toBe(used - size('nginx:1.26'));
  });

  it('counts 84.3% used as 85%, the high threshold: frees down to 80%, sparing the image in use, the pinned one and, at its first look, the one just detected', () => {
    // nginx:1.25 in use, pause pinned, nginx:1.27 unused; 15.7% of the disk free, which the kubelet counts as 15.
    const used = [SANDBOX_IMAGE, 'nginx:1.25', 'nginx:1.27'].reduce((sum, ref) => sum + size(ref), 0);
    const capacity = Math.round(used / 0.843);
    const { sim, runtime, gc, events } = manager(capacity, false);
    runPod(sim, runtime, sandboxConfig('web'), [containerConfig('web', 'nginx:1.25')]);
    ok(sim, runtime, 'pullImage', { image: { image: 'nginx:1.27' } });
    gc.start();
    sim.runUntilTime(sim.now() + 300_100);
    const amount = Math.floor(capacity / 5) - (capacity - used);
    const message = `Failed to garbage collect required amount of images. Attempted to free ${amount} bytes, but only found 0 bytes eligible to free.`;
    expect(events, 'at the first look nginx:1.27 was just detected').toEqual([`Warning FreeDiskSpaceFailed: ${message}`]);
    expect(traceQuery(sim.trace, { actor: 'kubelet/node-1' }).map((e) => e.summary)).toEqual([
      `image garbage collection failed: ${message}`,
      `image filesystem 85% used (high threshold 85%): freeing ${amount} bytes to get down to 80%`,
      `RemoveImage docker.io/library/nginx:1.27 (${size('nginx:1.27')} bytes)`,
    ]);
  });

  it('records FreeDiskSpaceFailed on its Node when it cannot free enough, and ImageGCFailed too from the second failure in a row', () => {
    const { sim, runtime, events } = manager(80_000_000);
    runPod(sim, runtime, sandboxConfig('web'), [containerConfig('web', 'nginx:1.27')]);
    sim.runUntilTime(600_200);
    const used = size(SANDBOX_IMAGE) + size('nginx:1.27');
    const message = `Failed to garbage collect required amount of images. Attempted to free ${16_000_000 - (80_000_000 - used)} bytes, but only found 0 bytes eligible to free.`;
    expect(events).toEqual([`Warning FreeDiskSpaceFailed: ${message}`, `Warning FreeDiskSpaceFailed: ${message}`, `Warning ImageGCFailed: ${message}`]);
    expect(traceQuery(sim.trace, { actor: 'kubelet/node-1', kind: 'error' }).map((e) => e.summary)).toEqual([1, 2].map(() => `image garbage collection failed: ${message}`));
  });

  it('counts a decision that throws as a failed run', () => {
    const { sim, runtime } = node();
    const events: string[] = [];
    const gc = new ImageGCManager({
      sim, runtime, component: 'kubelet/node-1', runtimeName: 'containerd/node-1', node: 'node-1', capacityBytes: DEFAULT_IMAGE_FS_BYTES,
      recorder: { event: (_ref, _type, reason, message) => events.push(`${reason}: ${message}`) },
      decide: () => {
        throw new Error('not implemented yet: image-gc');
      },
    });
    gc.start();
    sim.runUntilTime(300_100);
    expect(events).toEqual(['ImageGCFailed: not implemented yet: image-gc']);
    expect(traceQuery(sim.trace, { kind: 'error' }).map((e) => e.summary)).toEqual([1, 2].map(() => 'image garbage collection failed: not implemented yet: image-gc'));
  });
});

describe('the decision it runs by default (the image-gc reference)', () => {
  it('deletes the image used longest ago first and, of images last used at the same time, the one detected first', () => {
    const img = (id: string, lastUsedMs: number, firstDetectedMs: number) => ({ id, sizeBytes: 10, lastUsedMs, firstDetectedMs, inUse: false, pinned: false });
    const images = [img('used-later', 600_000, 0), img('used-detected-later', 300_000, 200_000), img('never-detected-later', 0, 300_000), img('used-detected-first', 300_000, 100_000), img('never-detected-first', 0, 0)];
    const decision = imageGC({ images, capacityBytes: 1000, availableBytes: 0, nowMs: 3_600_000, policy: DEFAULT_IMAGE_GC_POLICY });
    expect(decision.toDelete).toEqual(['never-detected-first', 'never-detected-later', 'used-detected-first', 'used-detected-later', 'used-later']);
  });
});
