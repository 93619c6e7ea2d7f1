import type { NodeStatus } from '../api/types';
import type { Image } from '../runtime/cri';
import type { Simulation, Timer } from '../sim/simulation';
import type { CriRuntime } from './pod-status-reader';

/**
 * The images a Node's status lists (the Images setter, pkg/kubelet/nodestatus/setters.go): the
 * image manager's cached list, largest first (ties: the larger image ID first), at most
 * nodeStatusMaxImages (50); each named by its repo digests, then its tags, at most 5 names
 * (MaxNamesPerImageInNodeStatus). The scheduler's ImageLocality scores nodes by them.
 *
 * The kubelet does not ask the runtime each time it works the status out: the image manager
 * refreshes its cache with ListImages every 30 s, and the status (compared every 10 s, sent on
 * a change or every 5 minutes, node-status.ts) reads the cache. So an image pulled shows on the
 * Node within 30 s plus the next status sync.
 *
 *   nodeStatusImages([{ id: 'sha256:aa..', repoTags: ['docker.io/library/nginx:1.27'], repoDigests: ['docker.io/library/nginx@sha256:..'], size: 72_195_292 }, pause])
 *   // => [{ names: ['docker.io/library/nginx@sha256:..', 'docker.io/library/nginx:1.27'], sizeBytes: 72195292 }, { names: [...pause], sizeBytes: 320368 }]
 */
export const NODE_STATUS_MAX_IMAGES = 50;
const MAX_NAMES_PER_IMAGE = 5;
/** How often the image manager refreshes its list of images (image_gc_manager.go Start). */
export const IMAGE_CACHE_UPDATE_PERIOD_MS = 30_000;

export type NodeImage = NonNullable<NodeStatus['images']>[number];

/** The status's images from the runtime's list (see above). */
export function nodeStatusImages(images: readonly Image[], max = NODE_STATUS_MAX_IMAGES): NodeImage[] {
  const bySize = [...images].sort((a, b) => b.size - a.size || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return bySize.slice(0, max).map((i) => ({ names: [...i.repoDigests, ...i.repoTags].slice(0, MAX_NAMES_PER_IMAGE), sizeBytes: i.size }));
}

/**
 * The image manager's cache of the node's images: ListImages at start, then every 30 s.
 *   cache.start(); ...; cache.images()   // => the status's images (nodeStatusImages), [] before the first answer
 */
export class ImageCache {
  private list: NodeImage[] = [];
  private timer: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly runtime: Pick<CriRuntime, 'listImages'>,
  ) {}

  start(): void {
    this.runtime.listImages({}, (err, res) => {
      // A failed list keeps the last one (the kubelet logs "Failed to update image list").
      if (err === undefined) this.list = nodeStatusImages(res!.images);
      if (this.stopped) return;
      this.timer = this.sim.after(IMAGE_CACHE_UPDATE_PERIOD_MS, () => this.start());
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.sim.cancel(this.timer);
    this.timer = undefined;
  }

  images(): readonly NodeImage[] {
    return this.list;
  }
}
