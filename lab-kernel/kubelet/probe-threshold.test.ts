import { describe, expect, it } from 'vitest';
import { afterProbe, type ProbeOutcome, type ThresholdState } from './probe-threshold';

/** Plays outcomes through afterProbe from a fresh worker; the verdict after each probe ('-' when none). */
function verdicts(outcomes: ProbeOutcome[], failureThreshold = 3, successThreshold = 1): string[] {
  let state: ThresholdState = { run: 0 };
  return outcomes.map((o) => {
    const r = afterProbe(state, o, { failureThreshold, successThreshold });
    state = r.state;
    return r.verdict ?? '-';
  });
}
const S = 'Success';
const F = 'Failure';

describe('the probe thresholds (worker.go)', () => {
  it.each([
    ['does one success give Success at once (successThreshold 1)?', [S], 3, 1, [S]],
    ['does a failure below failureThreshold 3 keep the verdict as it was?', [F, F], 3, 1, ['-', '-']],
    ['does the third failure in a row give Failure?', [F, F, F], 3, 1, ['-', '-', F]],
    ['does every further failure give Failure again (the results manager keeps only changes)?', [F, F, F, F], 3, 1, ['-', '-', F, F]],
    ['does a success between failures start the count again?', [F, F, S, F, F, F], 3, 1, ['-', '-', S, '-', '-', F]],
    ['does one success after Failure give Success (successThreshold 1)?', [F, F, F, S], 3, 1, ['-', '-', F, S]],
    ['does successThreshold 2 need two successes in a row?', [S, F, S, S], 3, 2, ['-', '-', '-', S]],
    ['does failureThreshold 1 fail at the first failure?', [F], 1, 1, [F]],
  ] as const)('%s', (_q, outcomes, failureThreshold, successThreshold, expected) => {
    expect(verdicts([...outcomes], failureThreshold, successThreshold)).toEqual(expected);
  });
});
