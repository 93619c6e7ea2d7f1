import type { EventRecorder } from '../client/event-recorder';
import type { Image } from '../runtime/cri';
import type { Simulation, Timer } from '../sim/simulation';
import { traceCri } from './cri-trace';
import { DEFAULT_IMAGE_GC_POLICY, type ImageGCDecision, type ImageGCFn, type ImageGCPolicy, type ImageRecord } from './image-gc-contract';
import { nodeReference } from './node-agent';
import type { CriRuntime } from './pod-status-reader';

/**
 * The kubelet's image garbage collection (pkg/kubelet/images/image_gc_manager.go, and the loop
 * in kubelet.go's StartGarbageCollection): every 5 minutes, counted from the end of the last
 * run, it
 *
 *   1. detects the images (detectImages): ListImages, and every container the runtime holds
 *      (running or exited); a new image is recorded as first detected now, an image some
 *      container was made from as last used now, an image gone from the list is forgotten
 *   2. reads the image filesystem: its capacity (the node's disk) and what is free on it
 *      (capacity less ImageFsInfo's usedBytes)
 *   3. asks the decision which images to delete (imageGC, the `image-gc` exercise)
 *   4. deletes them over CRI, one after the other (RemoveImage)
 *
 * When the decision could not free enough, the kubelet records a Warning FreeDiskSpaceFailed
 * on its Node with the decision's error; when a run fails right after one that failed, it also
 * records ImageGCFailed (a single failure is only logged). Below the high threshold a run
 * leaves no trace at all.
 *
 *   t=600s  image filesystem 90% used (high threshold 85%): freeing 95937296 bytes to get down to 80%
 *           kubelet/node-1 -> containerd/node-1  RemoveImage docker.io/library/perl:5.34.0 (336122048 bytes)
 *
 * The records are the kubelet's own: CRI's images carry no times. So "last used" is the time
 * of a look that saw the image in use, and an image is at least minAge old from the look that
 * first saw it, not from its pull.
 */
export const IMAGE_GC_PERIOD_MS = 300_000;

/** The size of a node's image filesystem when its config gives none: 20 GiB, a small cloud VM's disk. */
export const DEFAULT_IMAGE_FS_BYTES = 20 * 1024 ** 3;

export interface ImageGCManagerDeps {
  sim: Simulation;
  runtime: CriRuntime;
  /** The kubelet's name in the trace, and its runtime's. */
  component: string;
  runtimeName: string;
  recorder: Pick<EventRecorder, 'event'>;
  node: string;
  /** The capacity of the filesystem that holds the images (cadvisor's ImagesFsInfo on a real node). */
  capacityBytes: number;
  decide: ImageGCFn;
  policy?: Readonly<ImageGCPolicy>;
}

interface Tracked {
  firstDetectedMs: number;
  lastUsedMs: number;
  sizeBytes: number;
  pinned: boolean;
  /** At the last look. */
  inUse: boolean;
  /** Its first tag, for the trace. */
  name: string;
}

export class ImageGCManager {
  private readonly tracked = new Map<string, Tracked>();
  private timer: Timer | undefined;
  private stopped = false;
  private previousFailed = false;

  constructor(private readonly d: ImageGCManagerDeps) {}

  /** Runs at once, then every 5 minutes (wait.Until). */
  start(): void {
    this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.d.sim.cancel(this.timer);
  }

  /** The kubelet's records as of its last look, as the decision gets them. */
  records(): ImageRecord[] {
    return [...this.tracked].map(([id, t]) => ({ id, sizeBytes: t.sizeBytes, lastUsedMs: t.lastUsedMs, firstDetectedMs: t.firstDetectedMs, inUse: t.inUse, pinned: t.pinned }));
  }

  private run(): void {
    this.timer = undefined;
    this.observe((error, used) => {
      if (error !== undefined) return this.finish(error);
      const policy = this.d.policy ?? DEFAULT_IMAGE_GC_POLICY;
      const decision = this.decide(used!, policy);
      if ('error' in decision && decision.toDelete === undefined) return this.finish(decision.error);
      const made = decision as ImageGCDecision;
      this.trace(`image filesystem ${made.usagePercent}% used (high threshold ${policy.highThresholdPercent}%): freeing ${made.amountToFree} bytes to get down to ${policy.lowThresholdPercent}%`, made);
      this.free(made, () => {
        if (made.error === undefined) return this.finish(undefined);
        this.d.recorder.event(nodeReference(this.d.node), 'Warning', 'FreeDiskSpaceFailed', made.error);
        this.finish(made.error);
      });
    });
  }

  /**
   * DeleteUnusedImages, for the eviction manager under disk pressure: every image no container
   * uses, older than minAge and not pinned, whatever the thresholds (the decision asked to free
   * all that is used). What could not be freed is no failure here.
   */
  deleteUnused(done: () => void): void {
    this.observe((error, used) => {
      if (error !== undefined) return done();
      const policy = Object.assign({}, this.d.policy ?? DEFAULT_IMAGE_GC_POLICY, { highThresholdPercent: 0, lowThresholdPercent: 0 });
      const decision = this.decide(used!, policy);
      if (decision.toDelete === undefined) return done();
      this.trace('deleting unused images', decision as ImageGCDecision);
      this.free(decision as ImageGCDecision, done);
    });
  }

  /** Lists the images, the containers and the image filesystem, and updates the records: `used` is the filesystem's used bytes. */
  private observe(done: (error: string | undefined, used?: number) => void): void {
    this.d.runtime.listImages({}, (err, images) => {
      this.d.runtime.listContainers({}, (err2, containers) => {
        this.d.runtime.imageFsInfo({}, (err3, fs) => {
          if (this.stopped) return;
          if (err !== undefined || err2 !== undefined || err3 !== undefined) return done((err ?? err2 ?? err3)!.message);
          this.detect(images!.images, new Set(containers!.containers.map((c) => c.imageRef)), this.d.sim.now());
          done(undefined, fs!.imageFilesystems.reduce((sum, f) => sum + f.usedBytes, 0));
        });
      });
    });
  }

  /** The decision on the records, or the error it threw. */
  private decide(used: number, policy: Readonly<ImageGCPolicy>): ImageGCDecision | { error: string; toDelete?: undefined } {
    try {
      return this.d.decide({ images: this.records(), capacityBytes: this.d.capacityBytes, availableBytes: Math.max(0, this.d.capacityBytes - used), nowMs: this.d.sim.now(), policy });
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  /** detectImages: records new images as detected now and those in use as used now; forgets images gone. */
  private detect(images: readonly Image[], inUse: ReadonlySet<string>, now: number): void {
    const listed = new Set<string>();
    for (const image of images) {
      listed.add(image.id);
      const t = this.tracked.get(image.id) ?? { firstDetectedMs: now, lastUsedMs: 0, sizeBytes: 0, pinned: false, inUse: false, name: '' };
      if (inUse.has(image.id)) t.lastUsedMs = now;
      Object.assign(t, { sizeBytes: image.size, pinned: image.pinned, inUse: inUse.has(image.id), name: image.repoTags[0] ?? image.id });
      this.tracked.set(image.id, t);
    }
    for (const id of this.tracked.keys()) if (!listed.has(id)) this.tracked.delete(id);
  }

  /** The trace's line before images are deleted (none when there are none to delete). */
  private trace(line: string, decision: ImageGCDecision): void {
    if (decision.toDelete.length > 0) this.d.sim.trace.action(this.d.sim.now(), this.d.component, line);
  }

  /** Deletes the chosen images one after the other; a deleted image leaves the records. */
  private free(decision: ImageGCDecision, done: () => void): void {
    if (decision.toDelete.length === 0) return done();
    const go = (i: number): void => {
      if (this.stopped) return;
      if (i === decision.toDelete.length) return done();
      const id = decision.toDelete[i];
      const t = this.tracked.get(id);
      traceCri(this.d.sim, this.d.component, this.d.runtimeName, `RemoveImage ${t?.name ?? id}${t ? ` (${t.sizeBytes} bytes)` : ''}`);
      this.d.runtime.removeImage({ image: { image: id } }, (err) => {
        if (err === undefined) this.tracked.delete(id);
        go(i + 1);
      });
    };
    go(0);
  }

  /** The end of a run: a failure is traced, and is an ImageGCFailed event if the last run failed too. */
  private finish(error: string | undefined): void {
    if (error !== undefined) {
      this.d.sim.trace.error(this.d.sim.now(), this.d.component, `image garbage collection failed: ${error}`);
      if (this.previousFailed) this.d.recorder.event(nodeReference(this.d.node), 'Warning', 'ImageGCFailed', error);
    }
    this.previousFailed = error !== undefined;
    if (!this.stopped) this.timer = this.d.sim.after(IMAGE_GC_PERIOD_MS, () => this.run());
  }
}
