import type { Trace } from '../sim/trace';
import { backoffDuration } from '../scheduler/scheduling-queue';

/**
 * When a scheduler tried a pod and failed, read from the trace (each failed scheduling cycle
 * leaves one error line, `default/big: 0/3 nodes are available: ...`), and those attempts as a
 * table beside the backoff the queue made each one wait out.
 *
 *   const times = failedAttempts(cluster.trace, 'default/big', tBig)
 *   // => [tBig + 5, tBig + 46_126, tBig + 48_958, tBig + 52_958]   (virtual ms)
 *   attemptRows(times, tBig)
 *   // => [{ attempt: 1, 'at (s)': '0.005', 'since previous (s)': '', 'backoff before it (s)': '' },
 *   //     { attempt: 2, 'at (s)': '46.126', 'since previous (s)': '46.121', 'backoff before it (s)': 1 },
 *   //     { attempt: 3, 'at (s)': '48.958', 'since previous (s)': '2.832', 'backoff before it (s)': 2 },
 *   //     { attempt: 4, 'at (s)': '52.958', 'since previous (s)': '4.000', 'backoff before it (s)': 4 }]
 *
 * The backoff column holds when the times are all of the pod's attempts since it was created:
 * the backoff grows with the number of attempts (1 s, 2 s, 4 s, 8 s, then 10 s), never with
 * the time waited.
 */

/** The virtual times (ms) at which `actor` failed to schedule the pod `key` (namespace/name), from `sinceMs` on. */
export function failedAttempts(trace: Trace, key: string, sinceMs = 0, actor = 'kube-scheduler'): number[] {
  return trace
    .between(sinceMs, Infinity)
    .filter((e) => e.actor === actor && e.kind === 'error' && e.summary.startsWith(`${key}:`))
    .map((e) => e.time);
}

export interface AttemptRow {
  attempt: number;
  /** Seconds since `sinceMs`, to the millisecond. */
  'at (s)': string;
  'since previous (s)': string;
  /** backoffDuration of the attempts before this one, in seconds ('' for the first). */
  'backoff before it (s)': number | '';
}

/** One row per attempt: when, how long after the previous one, and the backoff the queue imposed before it. */
export function attemptRows(times: readonly number[], sinceMs: number): AttemptRow[] {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  return times.map((t, i) => ({
    attempt: i + 1,
    'at (s)': seconds(t - sinceMs),
    'since previous (s)': i === 0 ? '' : seconds(t - times[i - 1]),
    'backoff before it (s)': i === 0 ? '' : backoffDuration(i) / 1000,
  }));
}
