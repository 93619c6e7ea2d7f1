/**
 * The kubelet's image garbage collection decision, as data (pkg/kubelet/images/image_gc_manager.go,
 * GarbageCollect and freeSpace): what the kubelet knows of the node's images and of the disk
 * that holds them, and which images it deletes to make room.
 *
 * The kubelet keeps a record of every image the runtime lists (image-gc-manager.ts): when it
 * first detected it, and when it last saw a container use it. CRI's images carry neither; the
 * kubelet works them out each time it looks (every 5 minutes), so both are times of a look.
 *
 *   input:  disk 1,000,000,000 bytes, 105,000,000 available (89.5% used); thresholds 85 / 80, min age 2 min
 *           perl:5.34.0 336 MB, last used never, detected 5 min ago
 *           perl:latest 345 MB, last used 5 min ago, detected 5 min ago
 *           nginx:1.27   72 MB, in use
 *           pause        0.3 MB, pinned
 *   output: { usagePercent: 90, amountToFree: 95,000,000, toDelete: [perl:5.34.0's id], freedBytes: 336,122,048 }
 *
 * (90: the kubelet takes the free share in whole percent, rounded down, 10.5 => 10, from 100.)
 */

/** One image on the node, as the kubelet's records have it. Times are virtual ms (sim.now()). */
export interface ImageRecord {
  /** 'sha256:...' */
  id: string;
  sizeBytes: number;
  /** When the kubelet last saw a container (running or not) use it; 0 if it never has. */
  lastUsedMs: number;
  /** When the kubelet first saw it on the node. */
  firstDetectedMs: number;
  /** Some container the runtime holds (running or exited) was made from it. */
  inUse: boolean;
  /** The runtime pins it (containerd pins the sandbox image, pause). */
  pinned: boolean;
}

/** The kubelet's configuration (KubeletConfiguration: imageGCHighThresholdPercent, imageGCLowThresholdPercent, imageMinimumGCAge). */
export interface ImageGCPolicy {
  /** At or above this usage (percent of the disk) the kubelet deletes images. */
  highThresholdPercent: number;
  /** ... down to this usage. */
  lowThresholdPercent: number;
  /** An image detected less than this long ago is never deleted (it may be about to be used). */
  minAgeMs: number;
}

/** 1.32's defaults (pkg/kubelet/apis/config/v1beta1/defaults.go): 85, 80, 2 minutes. */
export const DEFAULT_IMAGE_GC_POLICY: Readonly<ImageGCPolicy> = { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 120_000 };

export interface ImageGCInput {
  images: readonly ImageRecord[];
  /** The size of the filesystem holding the images, and what is free on it (the kubelet's ImageFsStats). */
  capacityBytes: number;
  availableBytes: number;
  nowMs: number;
  policy: Readonly<ImageGCPolicy>;
}

export interface ImageGCDecision {
  /** The disk's usage in whole percent, as the kubelet computes it. */
  usagePercent: number;
  /** Bytes to free to get down to the low threshold; 0 when usage is below the high threshold. */
  amountToFree: number;
  /** The ids of the images to delete, in the order to delete them. */
  toDelete: string[];
  /** What deleting them frees. */
  freedBytes: number;
  /** When that is less than amountToFree: the kubelet's error (and its FreeDiskSpaceFailed event). */
  error?: string;
}

export type ImageGCFn = (input: ImageGCInput) => ImageGCDecision;
