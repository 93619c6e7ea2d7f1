import { goDuration } from '../api/time';

/**
 * How long the kubelet waits before it starts a crashed container again: client-go's
 * flowcontrol.Backoff, as the kubelet makes it (10 s, doubling, at most 300 s; no jitter).
 *
 *   crash 1 at t           => started again at once; the back-off is now 10 s
 *   crash 2 at t2          => not before t2 + 10 s ("Back-off restarting failed container"), then 20 s
 *   crash 3 ...            => 20 s, then 40 s, 80 s, 160 s, 300 s, 300 s ...
 *   running fine for 10 min after the last restart => the next crash starts over at 10 s
 *
 * The key is the container's stable identity (pod name, namespace, uid, container name), so
 * its count survives the container being replaced by a new one at every restart.
 */
export const BACKOFF_INITIAL_MS = 10_000;
/** The kubelet's MaxContainerBackOff. */
export const BACKOFF_MAX_MS = 300_000;

export class ContainerBackoff {
  private readonly entries = new Map<string, { backoffMs: number; lastUpdateMs: number }>();

  /**
   * IsInBackOffSince: whether a container that exited at `finishedMs` must still wait at `nowMs`.
   * A count last moved more than 2 × 300 s before the exit has expired: no wait.
   */
  inBackoff(key: string, finishedMs: number, nowMs: number): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined || finishedMs - entry.lastUpdateMs > 2 * BACKOFF_MAX_MS) return false;
    return nowMs - finishedMs < entry.backoffMs;
  }

  /** Next: count one more restart at `nowMs` of a container that exited at `finishedMs`. */
  next(key: string, finishedMs: number, nowMs: number): void {
    const entry = this.entries.get(key);
    const backoffMs = entry === undefined || finishedMs - entry.lastUpdateMs > 2 * BACKOFF_MAX_MS ? BACKOFF_INITIAL_MS : Math.min(entry.backoffMs * 2, BACKOFF_MAX_MS);
    this.entries.set(key, { backoffMs, lastUpdateMs: nowMs });
  }

  /** The current back-off, as Go prints a duration: '10s', '1m20s', '5m0s'. */
  describe(key: string): string {
    return goDuration(this.entries.get(key)?.backoffMs ?? 0);
  }
}
