/**
 * A probe's thresholds (worker.go, doProbe): one probe's outcome does not change the verdict
 * by itself. The worker counts how many probes in a row gave the same outcome, and the
 * verdict becomes that outcome only once the run reaches its threshold: failureThreshold
 * (default 3) failures in a row for Failure, successThreshold (default 1; always 1 for
 * liveness and startup probes) successes in a row for Success.
 *
 *   afterProbe({ run: 0 }, 'Failure', { failureThreshold: 3, successThreshold: 1 })
 *   // => { state: { last: 'Failure', run: 1 } }                  (below the threshold: no verdict)
 *   afterProbe({ last: 'Failure', run: 2 }, 'Failure', ...)
 *   // => { state: { last: 'Failure', run: 3 }, verdict: 'Failure' }
 *   afterProbe({ last: 'Failure', run: 3 }, 'Success', ...)
 *   // => { state: { last: 'Success', run: 1 }, verdict: 'Success' } (one success resets the run)
 *
 * Once reached, every further probe with the same outcome gives the verdict again; the results
 * manager (probe-results.ts) reports only a change.
 */
export type ProbeOutcome = 'Success' | 'Failure';

export interface ThresholdState {
  /** The outcome of the last probe; none before the first. */
  last?: ProbeOutcome;
  /** How many probes in a row gave it. */
  run: number;
}

export interface Thresholds {
  failureThreshold: number;
  successThreshold: number;
}

export function afterProbe(state: Readonly<ThresholdState>, outcome: ProbeOutcome, thresholds: Thresholds): { state: ThresholdState; verdict?: ProbeOutcome } {
  const next = { last: outcome, run: state.last === outcome ? state.run + 1 : 1 };
  const threshold = outcome === 'Failure' ? thresholds.failureThreshold : thresholds.successThreshold;
  return next.run < threshold ? { state: next } : { state: next, verdict: outcome };
}
