import type { Pod } from '../api/types';
import { virtualMs } from '../api/time';

/**
 * A Job's pods, one row each in the order they were created: when, where, how each ended
 * (its first container's exit code), and how long after the previous pod failed it was created
 * (the Job controller's back-off shows there). Times in seconds from `since`, to the second:
 * object timestamps have whole seconds.
 *
 *   jobPodRows(kubectl.getObjects('pods', undefined, { selector: 'job-name=flaky' }), t0)
 *   // => [{ pod: 'flaky-8s4f6', 'created (s)': 0, 'ended (s)': 1, result: 'Failed (exit 1)', 'created after the last failure (s)': '' },
 *   //     { pod: 'flaky-zljvb', 'created (s)': 11, 'ended (s)': 11, result: 'Failed (exit 1)', 'created after the last failure (s)': 10 }, ...]
 */
export interface JobPodRow {
  pod: string;
  'created (s)': number;
  'ended (s)': number | string;
  result: string;
  'created after the last failure (s)': number | string;
}

export function jobPodRows(pods: readonly Readonly<Pod>[], since: number): JobPodRow[] {
  const seconds = (ts: string) => Math.round((virtualMs(ts) - since) / 1000);
  const sorted = [...pods].sort((a, b) => a.metadata.creationTimestamp!.localeCompare(b.metadata.creationTimestamp!) || a.metadata.name!.localeCompare(b.metadata.name!));
  let lastFailure: number | undefined;
  return sorted.map((p) => {
    const created = seconds(p.metadata.creationTimestamp!);
    const ended = p.status?.containerStatuses?.[0]?.state?.terminated;
    const row: JobPodRow = {
      pod: p.metadata.name!,
      'created (s)': created,
      'ended (s)': ended?.finishedAt ? seconds(ended.finishedAt) : '',
      result: ended ? `${p.status?.phase} (exit ${ended.exitCode})` : (p.status?.phase ?? ''),
      'created after the last failure (s)': lastFailure === undefined ? '' : created - lastFailure,
    };
    if (p.status?.phase === 'Failed' && ended?.finishedAt) lastFailure = seconds(ended.finishedAt);
    return row;
  });
}
