import type { Runner } from './replica-set-timeline';

/**
 * Runs the cluster `forMs` of virtual time in steps of `everyMs`, and reads a row after each
 * step, with the time it was read (in seconds from `since`) first. For things that move slowly,
 * like an HPA's replica count over minutes.
 *
 *   sampleEvery(cluster, 30_000, 90_000, t0, () => ({ replicas: replicasOf('web') }))
 *   // => [{ 't (s)': 30, replicas: 1 }, { 't (s)': 60, replicas: 4 }, { 't (s)': 90, replicas: 4 }]
 */
export function sampleEvery<T extends object>(
  cluster: Runner & { runFor(ms: number): void },
  everyMs: number,
  forMs: number,
  since: number,
  read: () => T,
): ({ 't (s)': number } & T)[] {
  const rows: ({ 't (s)': number } & T)[] = [];
  for (let ran = 0; ran + everyMs <= forMs; ran += everyMs) {
    cluster.runFor(everyMs);
    rows.push({ 't (s)': Math.round((cluster.now() - since) / 1000), ...read() });
  }
  return rows;
}
