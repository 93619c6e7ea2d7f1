/**
 * Grader suite for exercise `retry-on-conflict` (exercises/retry/retry-on-conflict.ts).
 *
 * The pure step function on table cases taken from client-go's retry.RetryOnConflict with
 * retry.DefaultRetry (Steps 5, Duration 10 ms, Factor 1.0, Jitter 0.1; only errors.IsConflict
 * is retried); then five writers racing on one ConfigMap of a whole simulated cluster.
 */
import { describe, expect, it } from 'vitest';
import type { Status } from '../../lab-kernel/api/status';
import type { KubeObject } from '../../lab-kernel/api/types';
import { Client } from '../../lab-kernel/client/client';
import { DEFAULT_RETRY, initialRetryState, type Change, type RetryInput, type RetryStepResult } from '../../lab-kernel/client/retry-contract';
import { retryOnConflict, type RetryOutcome } from '../../lab-kernel/client/retry-runner';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import { deepFreeze } from '../../lab-kernel/sim/deep-freeze';
import { SEED, slotUnderTest } from '../harness';

const retryStep = slotUnderTest('retry-on-conflict');
const INCREMENT: Change = { kind: 'increment-data', key: 'counter' };

function configMap(counter: string | undefined, resourceVersion: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'hits', namespace: 'default', uid: 'cm-uid-1', resourceVersion, labels: { app: 'web' } },
    ...(counter === undefined ? {} : { data: { counter, other: 'kept' } }),
  };
}

function failure(code: number, reason: Status['reason'], message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

const conflict = (n: number) =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on configmaps "hits": the object has been modified; please apply your changes to the latest version and try again (${n})`);
const ALREADY_EXISTS = failure(409, 'AlreadyExists', 'configmaps "hits" already exists');
const NOT_FOUND = failure(404, 'NotFound', 'configmaps "hits" not found');
const INVALID = failure(422, 'Invalid', 'ConfigMap "hits" is invalid: metadata.name: Invalid value: "Hits"');

/** Feeds the inputs one after the other from the start of a read-modify-write; every result. */
function results(change: Change, inputs: RetryInput[], backoff = DEFAULT_RETRY): RetryStepResult[] {
  const out: RetryStepResult[] = [];
  let state = initialRetryState(change, backoff);
  for (const input of [{ kind: 'start' } as const, ...inputs]) {
    const r = retryStep(state, input);
    out.push(r);
    state = r.state;
  }
  return out;
}
const last = <T>(xs: T[]): T => xs[xs.length - 1];
const got = (counter: string | undefined, rv: string): RetryInput => ({ kind: 'got', object: configMap(counter, rv) });
const updateFailed = (status: Status, random = 0.5): RetryInput => ({ kind: 'update-failed', status, random });

describe('Parts 1-2: read, modify, write', () => {
  it('starts by reading the object (start => get)', () => {
    const [r] = results(INCREMENT, []);
    expect(r.action).toEqual({ kind: 'get' });
    expect(r.state.attempt, 'the first attempt').toBe(1);
  });

  it('updates with the change made to the object read, carrying the resourceVersion read', () => {
    const r = last(results(INCREMENT, [got('4', '17')]));
    expect(r.action, 'counter 4 => 5, everything else as read, resourceVersion 17 included').toEqual({ kind: 'update', object: configMap('5', '17') });
  });

  it('counts a missing data field or key as 0', () => {
    const r = last(results(INCREMENT, [got(undefined, '17')]));
    expect(r.action.kind === 'update' && r.action.object.data).toEqual({ counter: '1' });
  });

  it('applies a set-label change', () => {
    const r = last(results({ kind: 'set-label', key: 'tier', value: 'gold' }, [got('4', '17')]));
    expect(r.action.kind === 'update' && r.action.object.metadata).toEqual({ ...configMap('4', '17').metadata, labels: { app: 'web', tier: 'gold' } });
  });

  it("makes the change on a copy: an object from an informer's cache is frozen, and stays as it was", () => {
    const read = deepFreeze(configMap('4', '17'));
    const r = retryStep({ ...initialRetryState(INCREMENT, DEFAULT_RETRY), phase: 'getting', attempt: 1 }, { kind: 'got', object: read });
    expect(r.action.kind === 'update' && r.action.object.data, 'the update carries counter 5').toEqual({ counter: '5', other: 'kept' });
    expect(read, 'the object read must not change').toEqual(configMap('4', '17'));
  });

  it('returns the object as stored when the update succeeds', () => {
    const stored = configMap('5', '18');
    expect(last(results(INCREMENT, [got('4', '17'), { kind: 'updated', object: stored }])).action).toEqual({ kind: 'done', object: stored });
  });
});

describe('Parts 3-4: retrying on conflict', () => {
  it.each([
    [0, 10],
    [0.5, 10.5],
    [0.99, 10.99],
  ])('waits 10 ms plus jitter (up to 10%%) after a 409 Conflict: random %s => %s ms', (random, ms) => {
    const r = last(results(INCREMENT, [got('4', '17'), updateFailed(conflict(1), random)]));
    expect(r.action.kind, 'a conflict is retried after a wait').toBe('wait');
    expect(r.action.kind === 'wait' && r.action.ms).toBeCloseTo(ms, 9);
  });

  it('reads again after the wait, and makes the change again on the fresh object', () => {
    const rs = results(INCREMENT, [got('4', '17'), updateFailed(conflict(1)), { kind: 'wait-over' }, got('6', '21')]);
    expect(rs[3].action, 'after the wait: get again').toEqual({ kind: 'get' });
    expect(rs[3].state.attempt, 'the second attempt').toBe(2);
    expect(rs[4].action, 'counter 6 (someone else wrote 5 and 6) => 7, with the new resourceVersion 21').toEqual({ kind: 'update', object: configMap('7', '21') });
  });

  it('gives up after 5 attempts (Steps: 5), returning the last conflict', () => {
    const inputs: RetryInput[] = [];
    for (let n = 1; n <= 5; n++) {
      if (n > 1) inputs.push({ kind: 'wait-over' });
      inputs.push(got(String(n), String(10 * n)), updateFailed(conflict(n)));
    }
    const rs = results(INCREMENT, inputs);
    expect(rs.filter((r) => r.action.kind === 'get'), 'five attempts, each starting with a get').toHaveLength(5);
    expect(rs.filter((r) => r.action.kind === 'wait'), 'four waits between them').toHaveLength(4);
    expect(last(rs).action, 'the fifth conflict is the answer').toEqual({ kind: 'fail', status: conflict(5) });
  });

  it.each<[string, Status]>([
    ['409 AlreadyExists (a 409 that is not a Conflict)', ALREADY_EXISTS],
    ['404 NotFound', NOT_FOUND],
    ['422 Invalid', INVALID],
  ])('fails at once, without retrying, when the update answers %s', (_what, status) => {
    expect(last(results(INCREMENT, [got('4', '17'), updateFailed(status)])).action).toEqual({ kind: 'fail', status });
  });

  it('fails at once when the get answers 404', () => {
    expect(last(results(INCREMENT, [{ kind: 'get-failed', status: NOT_FOUND }])).action).toEqual({ kind: 'fail', status: NOT_FOUND });
  });

  it("follows the backoff's factor: client-go's DefaultBackoff (Steps 4, 10 ms, Factor 5) waits 10, 50, then 250 ms", () => {
    const backoff = { steps: 4, durationMs: 10, factor: 5, jitter: 0.1 };
    const inputs: RetryInput[] = [got('1', '1'), updateFailed(conflict(1), 0)];
    for (let n = 2; n <= 4; n++) inputs.push({ kind: 'wait-over' }, got(String(n), String(n)), updateFailed(conflict(n), 0));
    const waits = results(INCREMENT, inputs, backoff).flatMap((r) => (r.action.kind === 'wait' ? [r.action.ms] : []));
    expect(waits).toEqual([10, 50, 250]);
  });
});

describe(`Five writers racing on one ConfigMap of a whole cluster (seed ${SEED})`, () => {
  it('counts exactly 50 after 5 writers increment 10 times each, and the trace shows the conflicts they retried', () => {
    const cluster = createCluster({ seed: SEED });
    cluster.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hits\ndata:\n  counter: "0"\n');
    const target = { resource: 'configmaps', namespace: 'default', name: 'hits' };
    const outcomes: RetryOutcome[] = [];
    let finished = 0;
    for (let w = 0; w < 5; w++) {
      const credentials = { clientCertificate: { commonName: `writer-${w}`, organizations: ['system:masters'] } };
      const client = new Client(`writer-${w}`, cluster.net, cluster.apiServer, { credentials });
      // Under heavy contention RetryOnConflict may give up with the last Conflict after 5
      // attempts; the writer then starts that increment over, as a controller's work queue would.
      const next = (left: number) => {
        if (left === 0) return void finished++;
        retryOnConflict(cluster.sim, client, target, INCREMENT, retryStep, (outcome) => {
          outcomes.push(outcome);
          next(outcome.kind === 'failed' && outcome.status.reason === 'Conflict' ? left : left - 1);
        });
      };
      next(10);
    }
    cluster.runUntil(() => finished === 5, 60_000);
    const broken = outcomes.filter((o) => o.kind === 'step-failed');
    expect(broken, broken[0]?.kind === 'step-failed' ? broken[0].message : '').toEqual([]);
    const wrong = outcomes.find((o) => o.kind === 'failed' && o.status.reason !== 'Conflict');
    expect(wrong, `only conflicts should fail here, got ${JSON.stringify(wrong)}`).toBeUndefined();
    const counter = (cluster.kubectl.getObjects('configmaps', 'hits')[0].data as Record<string, string>).counter;
    expect(counter, 'every increment must count: an update carries the resourceVersion it read, and a conflict is retried on the fresh object').toBe('50');
    const conflicts = cluster.trace.all().filter((e) => e.kind === 'message' && e.data?.code === 409);
    expect(conflicts.length, 'five writers at once must have run into 409 Conflicts').toBeGreaterThan(0);
  });
});
