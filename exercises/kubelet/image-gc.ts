/**
 * Exercise `image-gc` — the kubelet's image garbage collection decision. (chapter 08)
 *
 * Every image a node pulls stays on its disk until someone deletes it. Pods come and go, their
 * images stay, and the disk fills. So every 5 minutes the kubelet looks at the filesystem that
 * holds the images: once it is 85% full (imageGCHighThresholdPercent) it deletes images until
 * it is back at 80% (imageGCLowThresholdPercent), least recently used first. It never deletes
 * an image a container was made from (running or not: a container that exited is still there
 * until container GC removes it), nor one the runtime pins (the pause image every sandbox
 * needs), nor one it detected less than 2 minutes ago (imageMinimumGCAge: it may have been
 * pulled for a container about to start). If that is not enough, it says so: a Warning event
 * FreeDiskSpaceFailed on the Node. You write the decision, as image_gc_manager.go makes it.
 *
 * The kubelet around your code (lab-kernel/kubelet/image-gc-manager.ts) keeps the records
 * (lab-kernel/kubelet/image-gc-contract.ts: when each image was first detected and last used),
 * reads the disk, deletes what you chose over CRI's RemoveImage, and records the event.
 *
 * Run a cluster whose kubelets use your code with
 *   createCluster({ use: { 'image-gc': 'exercise' } })
 * and grade it with
 *   npm run grade -- image-gc
 *
 * Input => output, by example (thresholds 85 / 80, min age 2 minutes, a disk of 1000 bytes):
 *
 *   160 bytes available (84% used)            => nothing to do
 *   150 available (85%), an unused image of 60 => amountToFree 50; delete it (frees 60)
 *   150 available, unused images of 30 and 30 => delete both, least recently used first
 *   150 available, the only image is in use    => delete nothing; error "Failed to garbage collect
 *                                                 required amount of images. Attempted to free 50
 *                                                 bytes, but only found 0 bytes eligible to free."
 */
import type { ImageGCDecision, ImageGCInput, ImageGCPolicy, ImageRecord } from '../../lab-kernel/kubelet/image-gc-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/**
 * TODO(1) How full is the disk, and how much must go to get it down to the low threshold?
 * The kubelet counts in whole numbers, as Go's integer division does (rounding down):
 *   usagePercent = 100 - (availableBytes * 100 / capacityBytes, rounded down)
 *   amountToFree = (capacityBytes * (100 - lowThresholdPercent) / 100, rounded down) - availableBytes
 *
 *   capacity 1000, available 150, low 80   => { usagePercent: 85, amountToFree: 50 }
 *   capacity 1000, available 155, low 80   => { usagePercent: 85, amountToFree: 45 }   (15.5% free counts as 15)
 *   capacity 1000, available 300, low 80   => { usagePercent: 70, amountToFree: -100 } (already below: nothing to free)
 */
export function diskUsage(capacityBytes: number, availableBytes: number, policy: Readonly<ImageGCPolicy>): { usagePercent: number; amountToFree: number } {
  throw notImplemented('image-gc');
}

/**
 * TODO(2) The images the kubelet may delete, in the order it deletes them
 * (imagesInEvictionOrder, then freeSpace's checks):
 *   never an image in use, never a pinned one,
 *   never one detected less than minAgeMs ago (nowMs - firstDetectedMs < minAgeMs)
 *   least recently used first (lastUsedMs, smallest first); for equal lastUsedMs, the one
 *   detected first comes first
 *
 *   a (last used 0, detected 0), b (last used 60 000, detected 0), c (in use)   => [a, b]
 *   a (last used 0, detected 9 000), b (last used 0, detected 3 000)            => [b, a]
 *   a detected at 100 000, now 200 000, min age 120 000                          => [] (too young)
 */
export function evictionOrder(images: readonly ImageRecord[], nowMs: number, policy: Readonly<ImageGCPolicy>): ImageRecord[] {
  throw notImplemented('image-gc');
}

/**
 * TODO(3) The decision (GarbageCollect, freeSpace): below the high threshold, nothing to do
 * (amountToFree 0). At or above it, take the images in eviction order, one after the other,
 * until what they free reaches amountToFree; then stop. If all of them are not enough, the
 * error is the kubelet's, with both numbers:
 *   "Failed to garbage collect required amount of images. Attempted to free <amountToFree> bytes,
 *    but only found <freedBytes> bytes eligible to free."
 *
 *   85% used, amountToFree 50, eligible [a 30, b 30, c 30]  => toDelete [a, b], freedBytes 60
 *   85% used, amountToFree 50, eligible [a 50, b 30]        => toDelete [a], freedBytes 50 (exactly enough)
 *   85% used, amountToFree 50, eligible [a 20]              => toDelete [a], freedBytes 20, error "... free 50 bytes, but only found 20 ..."
 *   84% used                                                => { usagePercent: 84, amountToFree: 0, toDelete: [], freedBytes: 0 }
 */
export function imageGC(input: ImageGCInput): ImageGCDecision {
  throw notImplemented('image-gc');
}
