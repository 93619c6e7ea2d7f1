import type { FailedPodBackoff } from './daemonset-plan-contract';

/**
 * How often the DaemonSet controller deletes a failed daemon pod on one node: client-go's
 * flowcontrol.Backoff as kube-controller-manager makes it for this controller
 * (NewBackOff(1 s, 15 min), no jitter), keyed by <DaemonSet uid>/<observedGeneration>/<node>.
 * A kubelet that keeps rejecting the pod would otherwise have it deleted and made again in a
 * hot loop.
 *
 *   next(k, 0)           // the first deletion: the next may come 1 s after it
 *   next(k, 1_000)       // then 2 s, 4 s, 8 s ... at most 15 min
 *   forNodes(...)        // what the plan is told: per node, { lastMs, delayMs }
 *   a key untouched for more than 2 x 15 min has expired: the next deletion starts over at 1 s
 *
 * A new template (a new observedGeneration) starts every node over.
 */
export const FAILED_POD_BACKOFF_INITIAL_MS = 1_000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60_000;

export class FailedPodBackoffs {
  private readonly entries = new Map<string, FailedPodBackoff>();

  /** Next: a failed pod was deleted at `nowMs`; the following one waits twice as long (the first 1 s). */
  next(key: string, nowMs: number): void {
    const entry = this.live(key, nowMs);
    const delayMs = entry === undefined ? FAILED_POD_BACKOFF_INITIAL_MS : Math.min(entry.delayMs * 2, FAILED_POD_BACKOFF_MAX_MS);
    this.entries.set(key, { lastMs: nowMs, delayMs });
  }

  /** The back-off of each node (keyed `${prefix}${node}`) that has a live one. */
  forNodes(prefix: string, nodes: readonly string[], nowMs: number): Record<string, FailedPodBackoff> {
    const out: Record<string, FailedPodBackoff> = {};
    for (const node of nodes) {
      const entry = this.live(`${prefix}${node}`, nowMs);
      if (entry !== undefined) out[node] = { ...entry };
    }
    return out;
  }

  /** The entry, unless it has expired (hasExpired: untouched for more than twice the maximum). */
  private live(key: string, nowMs: number): FailedPodBackoff | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || nowMs - entry.lastMs > 2 * FAILED_POD_BACKOFF_MAX_MS) return undefined;
    return entry;
  }
}
