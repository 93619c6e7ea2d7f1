import { describe, expect, it } from 'vitest';
import { goDuration } from '../api/time';
import { probesAndRestarts } from '../../solutions/kubelet/probes-and-restarts';
import { ask, type BackoffEntry, type ProbeSettings, type ProbeType, type ProbeVerdict, type RestartQuestion, type ResultRun } from './probes-and-restarts-contract';

/**
 * The kubelet's probe verdicts and restarts on the reference answers (exercise
 * probes-and-restarts): the facts the kubelet's workers and SyncPod rely on. The grader's suite
 * asks the same of a learner's code.
 */
const DEFAULTS: ProbeSettings = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };

/** Plays probe outcomes through a fresh worker's run; the verdict after each ('-' while it is the initial one). */
function verdicts(outcomes: ('success' | 'failure' | 'timeout')[], failureThreshold = 3, successThreshold = 1, type: ProbeType = 'readiness'): string[] {
  const initial: ProbeVerdict = 'Unknown';
  let verdict: ProbeVerdict = initial;
  let run: ResultRun = { count: 0 };
  return outcomes.map((outcome) => {
    const a = ask(probesAndRestarts, 'probed', { type, probe: { ...DEFAULTS, failureThreshold, successThreshold }, verdict, run, result: { outcome, output: '' } });
    verdict = a.verdict;
    run = a.run;
    return verdict === initial ? '-' : verdict;
  });
}
const S = 'success';
const F = 'failure';

describe('the probe thresholds (worker.go)', () => {
  it.each([
    ['does one success give Success at once (successThreshold 1)?', [S], 3, 1, ['Success']],
    ['does a failure below failureThreshold 3 keep the verdict as it was?', [F, F], 3, 1, ['-', '-']],
    ['does the third failure in a row give Failure?', [F, F, F], 3, 1, ['-', '-', 'Failure']],
    ['does every further failure give Failure again (the results manager keeps only changes)?', [F, F, F, F], 3, 1, ['-', '-', 'Failure', 'Failure']],
    ['does a success between failures start the count again?', [F, F, S, F, F, F], 3, 1, ['-', '-', 'Success', 'Success', 'Success', 'Failure']],
    ['does one success after Failure give Success (successThreshold 1)?', [F, F, F, S], 3, 1, ['-', '-', 'Failure', 'Success']],
    ['does successThreshold 2 need two successes in a row?', [S, F, S, S], 3, 2, ['-', '-', '-', 'Success']],
    ['does failureThreshold 1 fail at the first failure?', [F], 1, 1, ['Failure']],
  ] as const)('%s', (_q, outcomes, failureThreshold, successThreshold, expected) => {
    expect(verdicts([...outcomes], failureThreshold, successThreshold)).toEqual(expected);
  });

  it('does an exec probe that timed out count as a failure, with the Unhealthy event "... probe failed: command ... timed out"?', () => {
    expect(verdicts(['timeout', 'timeout', 'timeout'])).toEqual(['-', '-', 'Failure']);
    const a = ask(probesAndRestarts, 'probed', { type: 'liveness', probe: DEFAULTS, verdict: 'Success', run: { count: 0 }, result: { outcome: 'timeout', output: 'command "sleep 5" timed out' } });
    expect(a).toEqual({ verdict: 'Success', run: { result: 'Failure', count: 1 }, kill: false, unhealthy: 'Liveness probe failed: command "sleep 5" timed out' });
  });

  it('does a liveness Failure kill and start the run over, so that the next container needs failureThreshold failures of its own?', () => {
    const third = ask(probesAndRestarts, 'probed', { type: 'liveness', probe: DEFAULTS, verdict: 'Success', run: { result: 'Failure', count: 2 }, result: { outcome: 'failure', output: 'x' } });
    expect(third).toMatchObject({ verdict: 'Failure', kill: true, run: { result: 'Failure', count: 0 } });
    // The next container starts at Success (liveness' initial verdict); its first failure is only the first of its run.
    const next = ask(probesAndRestarts, 'probed', { type: 'liveness', probe: DEFAULTS, verdict: 'Success', run: third.run, result: { outcome: 'failure', output: 'x' } });
    expect(next).toMatchObject({ verdict: 'Success', kill: false, run: { count: 1 } });
    expect(verdicts([F, F, F], 3, 1, 'readiness')).toEqual(['-', '-', 'Failure']);
    expect(ask(probesAndRestarts, 'probed', { type: 'readiness', probe: DEFAULTS, verdict: 'Success', run: { result: 'Failure', count: 2 }, result: { outcome: 'failure', output: 'x' } }).kill).toBe(false);
  });

  it('does a probe wait out initialDelaySeconds (in whole seconds), and do liveness and readiness wait for the startup probe?', () => {
    const due = (type: ProbeType, initialDelaySeconds: number, now: number, started = true) => ask(probesAndRestarts, 'due', { type, probe: { ...DEFAULTS, initialDelaySeconds }, startedAt: 1_000, started, now });
    expect([due('liveness', 5, 5_999), due('liveness', 5, 6_000)]).toEqual([false, true]);
    expect(['liveness', 'readiness', 'startup'].map((t) => due(t as ProbeType, 0, 30_000, false))).toEqual([false, false, true]);
    expect(['liveness', 'readiness', 'startup'].map((t) => due(t as ProbeType, 0, 30_000, true))).toEqual([true, true, false]);
  });
});

describe("the kubelet's restart back-off (flowcontrol.Backoff, 10 s to 300 s)", () => {
  const pod = { name: 'p', namespace: 'default', uid: 'u1' };
  const restart = (q: Partial<RestartQuestion> & Pick<RestartQuestion, 'last' | 'now'>) => ask(probesAndRestarts, 'restart', { pod, container: 'app', restartPolicy: 'Always', ...q });

  it('does a crash-looping container wait 10, 20, 40, 80, 160, 300, 300 s between restarts?', () => {
    let entry: BackoffEntry | undefined;
    let t = 0;
    let restartCount = 0;
    const waits: string[] = [];
    const first = restart({ last: { restartCount, exit: { exitCode: 1, reason: 'Error', startedAt: 0, finishedAt: t } }, now: t });
    expect(first, 'the first crash restarts at once').toMatchObject({ action: 'start', restartCount: 1 });
    if (first.action === 'start') [entry, restartCount] = [first.backoff, first.restartCount];
    for (let i = 0; i < 7; i++) {
      t += 1_000; // it runs a second, then crashes again
      const exit = { exitCode: 1, reason: 'Error', startedAt: t - 1_000, finishedAt: t };
      let waited = 0;
      for (;;) {
        const a = restart({ last: { restartCount, exit }, backoff: entry, now: t });
        if (a.action === 'start') {
          [entry, restartCount] = [a.backoff, a.restartCount];
          break;
        }
        t += 1_000;
        waited += 1_000;
      }
      waits.push(goDuration(waited));
    }
    expect(waits).toEqual(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s']);
    expect(restartCount).toBe(8);
  });

  it('does a container that ran for more than 10 minutes start over at 10 s?', () => {
    const entry = { delayMs: 20_000, updatedAt: 11_000 }; // the back-off last moved at the restart, 11 s
    const exitAt = (finishedAt: number) => ({ restartCount: 2, exit: { exitCode: 1, reason: 'Error', startedAt: 11_500, finishedAt } });
    // Exactly 10 minutes after the last move: the entry still counts, 20 s to wait, then 40 s.
    expect(restart({ last: exitAt(611_000), backoff: entry, now: 611_001 })).toMatchObject({ action: 'back-off', message: 'back-off 20s restarting failed container=app pod=p_default(u1)' });
    expect(restart({ last: exitAt(611_000), backoff: entry, now: 631_000 })).toMatchObject({ action: 'start', backoff: { delayMs: 40_000 } });
    // A millisecond later it has expired: no wait, and the back-off starts over at 10 s.
    expect(restart({ last: exitAt(611_001), backoff: entry, now: 611_002 })).toEqual({ action: 'start', restartCount: 3, backoff: { delayMs: 10_000, updatedAt: 611_002 } });
  });

  it('does a container wait in CrashLoopBackOff with "back-off 10s restarting failed container=app pod=p_default(u1)" and the BackOff event?', () => {
    const a = restart({ last: { restartCount: 1, exit: { exitCode: 1, reason: 'Error', startedAt: 1_000, finishedAt: 3_000 } }, backoff: { delayMs: 10_000, updatedAt: 1_000 }, now: 4_000 });
    expect(a).toEqual({
      action: 'back-off', reason: 'CrashLoopBackOff',
      message: 'back-off 10s restarting failed container=app pod=p_default(u1)',
      event: 'Back-off restarting failed container app in pod p_default(u1)',
    });
  });

  it('is the back-off counted from the exit: does a container that ran 30 s still wait its 10 s?', () => {
    const last = { restartCount: 1, exit: { exitCode: 1, reason: 'Error', startedAt: 61_000, finishedAt: 91_000 } };
    const entry = { delayMs: 10_000, updatedAt: 61_000 };
    expect([92_000, 100_999, 101_000].map((now) => restart({ last, backoff: entry, now }).action)).toEqual(['back-off', 'back-off', 'start']);
  });

  it.each([
    ['Always', 0, 'start'],
    ['Always', 1, 'start'],
    ['OnFailure', 1, 'start'],
    ['OnFailure', 137, 'start'],
    ['OnFailure', 0, 'done'],
    ['Never', 1, 'done'],
    ['Never', 0, 'done'],
  ] as const)('does restartPolicy %s start a container that exited %i again? (%s)', (restartPolicy, exitCode, action) => {
    expect(restart({ restartPolicy, last: { restartCount: 0, exit: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: 0, finishedAt: 2_000 } }, now: 3_000 }).action).toBe(action);
  });

  it('is a container that has not exited (killed now after a failed liveness probe) started at once, its back-off untouched?', () => {
    expect(restart({ restartPolicy: 'Never', last: { restartCount: 4 }, backoff: { delayMs: 40_000, updatedAt: 0 }, now: 1_000 })).toEqual({ action: 'start', restartCount: 5 });
  });
});
