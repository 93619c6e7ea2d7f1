import { createHash } from 'crypto';
import type { Rng } from '../sim/rng';
import type { Simulation } from '../sim/simulation';
import { formatTime } from '../sim/trace';
import { podKey, type CriCallback, type FilesystemUsage, type Image, type ImageService, type ImageSpec, type PodSandboxConfig } from './cri';
import { answerAfter, answerNow } from './cri-call';
import { badImageReference, imageNotFound } from './cri-error';
import { ImageReferenceError, normalizeImage } from './image-reference';
import { findImage, type RegistryImage } from './image-registry';

/**
 * The node's images: CRI's ImageService as containerd 1.7 serves it, over the simulated
 * registry. A pull takes virtual time that grows with the image's size (a registry round
 * trip, then the layers at about 50 MB/s, with a seeded jitter); an image already present
 * costs only the round trip (containerd still resolves the tag).
 *
 *   images.pullImage({ image: { image: 'nginx:1.27' } }, (err, res) => res.imageRef)  // => 'sha256:...' after ~1.5 s
 *   images.pullImage({ image: { image: 'nginx:9.9' } }, (err) => err.message)
 *   // => 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:9.9": ...'
 *   images.imageFsInfo({}, (err, res) => res.imageFilesystems[0].usedBytes)           // => 72195292
 *
 * RemoveImage removes an image even while a container uses it, as containerd does (the
 * container keeps its unpacked snapshot; the kubelet's image GC is what spares images in
 * use); an image it does not have is no error. IDs and digests are derived from the
 * reference, so they are the same on every run.
 */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';
export const IMAGE_FS_MOUNTPOINT = '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs';
const BYTES_PER_MS = 50_000;

export interface StoredImage {
  image: Image;
  registry: RegistryImage;
}

export class Images implements ImageService {
  private readonly images = new Map<string, StoredImage>();

  constructor(
    private readonly sim: Simulation,
    /** The trace's actor: containerd/<node>. */
    private readonly actor: string,
    private readonly rng: Rng,
  ) {}

  listImages(_req: Record<string, never>, done: CriCallback<{ images: Image[] }>): void {
    answerAfter(this.sim, 1, done, () => ({ images: [...this.images.values()].map((s) => structuredClone(s.image)) }));
  }

  imageStatus(req: { image: ImageSpec }, done: CriCallback<{ image?: Image }>): void {
    answerAfter(this.sim, 1, done, () => {
      const found = this.resolve(req.image.image);
      return found === undefined ? {} : { image: structuredClone(found.image) };
    });
  }

  pullImage(req: { image: ImageSpec; sandboxConfig?: PodSandboxConfig }, done: CriCallback<{ imageRef: string }>): void {
    this.pull(req.image.image, done, req.sandboxConfig === undefined ? undefined : podKey(req.sandboxConfig));
  }

  removeImage(req: { image: ImageSpec }, done: CriCallback<Record<string, never>>): void {
    answerAfter(this.sim, this.rng.between(5, 15), done, () => {
      const found = this.resolve(req.image.image);
      if (found !== undefined) {
        this.images.delete(found.image.id);
        this.sim.trace.action(this.sim.now(), this.actor, `removed image ${found.image.repoTags[0]}`, { image: found.image.id });
      }
      return {};
    });
  }

  imageFsInfo(_req: Record<string, never>, done: CriCallback<{ imageFilesystems: FilesystemUsage[] }>): void {
    answerAfter(this.sim, 1, done, () => ({ imageFilesystems: [this.fsUsage()] }));
  }

  /** The image a reference or an ID names, if the node has it. */
  resolve(refOrId: string): StoredImage | undefined {
    if (this.images.has(refOrId)) return this.images.get(refOrId);
    let full: string;
    try {
      full = normalizeImage(refOrId);
    } catch {
      return undefined;
    }
    return [...this.images.values()].find((s) => s.image.repoTags.includes(full));
  }

  /** Pulls for the runtime too (the sandbox image on RunPodSandbox); `done` hears when it is there or failed. `pod` names whom it was pulled for, in the trace. */
  pull(reference: string, done: CriCallback<{ imageRef: string }>, pod?: string): void {
    const started = this.sim.now();
    let full: string;
    try {
      full = normalizeImage(reference);
    } catch (e) {
      if (!(e instanceof ImageReferenceError)) throw e;
      const error = badImageReference(reference, e.message);
      return answerAfter(this.sim, 1, done, () => {
        throw error;
      });
    }
    const registry = findImage(full);
    const roundTripMs = this.rng.between(100, 200);
    const present = this.resolve(full) !== undefined;
    const downloadMs = registry === undefined || present ? 0 : Math.round((registry.sizeBytes / BYTES_PER_MS) * (0.85 + 0.3 * this.rng.next()));
    this.sim.after(roundTripMs + downloadMs, () =>
      answerNow(done, () => {
        if (registry === undefined) {
          this.sim.trace.error(this.sim.now(), this.actor, `pull of ${full} failed: not found`, { image: full, ...(pod !== undefined ? { pod } : {}) });
          throw imageNotFound(full);
        }
        const stored = this.store(registry);
        const took = formatTime(this.sim.now() - started);
        this.sim.trace.action(this.sim.now(), this.actor, `pulled image ${full} (${registry.sizeBytes} bytes) in ${took}`, { image: stored.image.id, ...(pod !== undefined ? { pod } : {}) });
        return { imageRef: stored.image.id };
      }),
    );
  }

  fsUsage(): FilesystemUsage {
    const usedBytes = [...this.images.values()].reduce((sum, s) => sum + s.image.size, 0);
    return { timestamp: this.sim.now(), fsId: { mountpoint: IMAGE_FS_MOUNTPOINT }, usedBytes };
  }

  private store(registry: RegistryImage): StoredImage {
    const id = `sha256:${sha256(`config ${registry.reference}`)}`;
    const name = registry.reference.slice(0, registry.reference.lastIndexOf(':'));
    const image: Image = {
      id,
      repoTags: [registry.reference],
      repoDigests: [`${name}@sha256:${sha256(`manifest ${registry.reference}`)}`],
      size: registry.sizeBytes,
      pinned: registry.reference === SANDBOX_IMAGE,
    };
    const stored = { image, registry };
    this.images.set(id, stored);
    return stored;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
