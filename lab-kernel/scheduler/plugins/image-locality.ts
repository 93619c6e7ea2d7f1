import type { Pod } from '../../api/types';
import { MAX_NODE_SCORE, skip, success, type Handle, type NodeInfo, type PreScorePlugin, type ScorePlugin } from '../framework-types';

/**
 * ImageLocality: prefers nodes that already have the pod's images, so that it starts
 * without a pull. Each image present counts its size, scaled down by how few nodes have it
 * (an image on every node gives no reason to prefer one); the sum is clamped between 23 MB
 * and 1000 MB per container and mapped onto 0..100.
 *
 *   one container, its 500 MiB image on this node and on all 2 nodes  // => 100 * (500 - 23) / (1000 - 23) = 48
 *   no image present                                                  // => 0
 */
export const IMAGE_LOCALITY = 'ImageLocality';
const STATE_KEY = `PreScore${IMAGE_LOCALITY}`;
const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** An image name as node status lists it: without a tag, `:latest` is added. normalizedImageName('nginx') => 'nginx:latest'. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** The images of the pod's init containers and containers, normalised. */
export function podImages(pod: Readonly<Pod>): string[] {
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => normalizedImageName(c.image));
}

/**
 * The score of a node: sum over the pod's images on it of size * (nodes having it / all nodes),
 * clamped to [MIN_THRESHOLD, MAX_CONTAINER_THRESHOLD * containers], scaled to 0..100.
 */
export function imageLocalityScore(images: readonly string[], node: NodeInfo, nodesWithImage: ReadonlyMap<string, number>, totalNodes: number): number {
  let sum = 0;
  for (const image of images) {
    const size = node.imageSizes[image];
    if (size !== undefined) sum += Math.trunc(size * ((nodesWithImage.get(image) ?? 0) / totalNodes));
  }
  const maxThreshold = MAX_CONTAINER_THRESHOLD * images.length;
  const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

interface ImageState {
  images: string[];
  nodesWithImage: Map<string, number>;
  totalNodes: number;
}

export function imageLocalityPlugin(handle: Handle): PreScorePlugin & ScorePlugin {
  return {
    name: IMAGE_LOCALITY,
    preScore(state, pod) {
      const images = podImages(pod);
      const snapshot = handle.snapshot();
      const nodesWithImage = new Map<string, number>();
      for (const image of images) {
        const n = snapshot.nodesWithImage(image);
        if (n > 0) nodesWithImage.set(image, n);
      }
      if (nodesWithImage.size === 0) return skip();
      state.set(STATE_KEY, { images, nodesWithImage, totalNodes: snapshot.nodeInfos().length } satisfies ImageState);
      return success();
    },
    score(state, _pod, node) {
      const s = state.get(STATE_KEY) as ImageState | undefined;
      return { score: s ? imageLocalityScore(s.images, node, s.nodesWithImage, s.totalNodes) : 0, status: success() };
    },
  };
}
