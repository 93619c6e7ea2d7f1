/**
 * Grader suite for exercise `job-reconcile` (exercises/job/job-plan.ts).
 *
 * Part by part through planJob, on cases after kube-controller-manager's own
 * (job_controller_test.go: TestControllerSyncJob's table, TestJobBackoff, TestPastDeadlineJobFinished;
 * the pod failure back-off of getRemainingTime), then a whole cluster whose Job controller
 * runs your decision, on kubelets whose pods really finish.
 */
import { describe, expect, it } from 'vitest';
import { PI_JOB } from '../../lab-kernel/controllers/job/pi-job.fixture';
import { timestamp, virtualMs } from '../../lab-kernel/api/time';
import type { Job, KubeEvent, Pod } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import { COMPLETION_INDEX, TRACKING_FINALIZER, type BackoffRecord } from '../../lab-kernel/controllers/job/job-plan-contract';
import { traceQuery } from '../../lab-kernel/viz/trace-query';
import { SEED, slotUnderTest, SOURCE } from '../harness';
import { FLAKY_JOB } from '../../lab-kernel/controllers/job/flaky-job.fixture';

const planJob = slotUnderTest('job-reconcile');

function job(spec: Partial<Job['spec']> = {}, status: Job['status'] = {}): Job {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'work', namespace: 'default', uid: 'job-uid' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } }, ...spec },
    status: { startTime: timestamp(0), ...status },
  };
}
let n = 0;
function pod(phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed', extra: { index?: number; created?: number; restarts?: number } = {}): Pod {
  n++;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `work-${n}`, namespace: 'default', uid: `pod-${n}`, finalizers: [TRACKING_FINALIZER],
      creationTimestamp: timestamp(extra.created ?? n * 1000),
      ...(extra.index !== undefined ? { annotations: { [COMPLETION_INDEX]: String(extra.index) } } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
    status: { phase, containerStatuses: [{ name: 'c', image: 'busybox:1.36', ready: phase === 'Running', restartCount: extra.restarts ?? 0 }] },
  };
}
const noBackoff: BackoffRecord = { failuresAfterLastSuccess: 0 };
const plan = (j: Job, pods: Pod[], nowMs = 1_000, backoff = noBackoff) => planJob({ job: j, pods, nowMs, backoff });

describe('Part 1: the pod failure back-off (remainingBackoff)', () => {
  it.each<[string, BackoffRecord, number, number]>([
    ['1 failure at 0 s, now 4 s: 6 s to go', { failuresAfterLastSuccess: 1, lastFailureMs: 0 }, 4_000, 6_000],
    ['2 failures: 20 s', { failuresAfterLastSuccess: 2, lastFailureMs: 0 }, 0, 20_000],
    ['3 failures: 40 s', { failuresAfterLastSuccess: 3, lastFailureMs: 0 }, 0, 40_000],
    ['10 failures: capped at 10 min', { failuresAfterLastSuccess: 10, lastFailureMs: 0 }, 0, 600_000],
  ])('%s', (_name, backoff, now, wait) => {
    const p = plan(job(), [], now, backoff);
    expect(p.createCount, 'no pod is created while the back-off runs').toBe(0);
    expect(p.requeueAfterMs, 'the Job is looked at again when the back-off ends').toBe(wait);
  });

  it('creates the pod once the back-off is over (1 failure at 0 s, now 10 s)', () => {
    expect(plan(job(), [], 10_000, { failuresAfterLastSuccess: 1, lastFailureMs: 0 }).createCount).toBe(1);
  });
});

describe('Part 2: has the Job succeeded or failed? (jobOutcome)', () => {
  it('fails it once more pods failed than backoffLimit, deleting what still runs', () => {
    const running = pod('Running');
    const p = plan(job({ backoffLimit: 2, parallelism: 2 }), [pod('Failed'), pod('Failed'), pod('Failed'), running]);
    expect(p.finished).toEqual({ type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(p.delete).toEqual([running.metadata.name]);
    expect(p.terminal, 'Failed only once no pod runs').toBe(false);
  });

  it('does not fail it at exactly backoffLimit failures', () => {
    expect(plan(job({ backoffLimit: 2 }), [pod('Failed'), pod('Failed')]).finished).toBeUndefined();
  });

  it('counts the restarts of running pods under restartPolicy OnFailure', () => {
    const j = job({ backoffLimit: 3 });
    j.spec.template.spec!.restartPolicy = 'OnFailure';
    expect(plan(j, [pod('Running', { restarts: 3 })]).finished?.reason).toBe('BackoffLimitExceeded');
    expect(plan(j, [pod('Running', { restarts: 2 })]).finished).toBeUndefined();
  });

  it('fails a Job active longer than activeDeadlineSeconds', () => {
    expect(plan(job({ activeDeadlineSeconds: 5 }), [pod('Running')], 5_000).finished).toEqual({ type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    const before = plan(job({ activeDeadlineSeconds: 5 }), [pod('Running')], 4_000);
    expect(before.finished).toBeUndefined();
    expect(before.requeueAfterMs, 'looked at again when the deadline comes').toBe(1_000);
  });

  it.each<[string, Partial<Job['spec']>, () => Pod[], boolean]>([
    ['completions 3, 3 succeeded', { completions: 3 }, () => [pod('Succeeded'), pod('Succeeded'), pod('Succeeded')], true],
    ['completions 3, 2 succeeded', { completions: 3 }, () => [pod('Succeeded'), pod('Succeeded'), pod('Running')], false],
    ['no completions: one succeeded, none active', { parallelism: 2 }, () => [pod('Succeeded'), pod('Succeeded')], true],
    ['no completions: one succeeded, one still active', { parallelism: 2 }, () => [pod('Succeeded'), pod('Running')], false],
    ['Indexed, indexes 0-2 succeeded', { completions: 3, completionMode: 'Indexed' }, () => [0, 1, 2].map((index) => pod('Succeeded', { index })), true],
    ['Indexed, index 1 twice, 2 missing', { completions: 3, completionMode: 'Indexed' }, () => [0, 1, 1].map((index) => pod('Succeeded', { index })), false],
  ])('completes it when the work is done: %s => %s', (_name, spec, pods, complete) => {
    const p = plan(job(spec), pods());
    expect(p.finished, complete ? 'Complete, CompletionsReached' : 'not finished').toEqual(complete ? { type: 'Complete', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' } : undefined);
  });
});

describe('Part 3: which pods to create and delete (podChanges)', () => {
  it('creates the first pod of a new Job', () => {
    expect(plan(job(), [])).toMatchObject({ createCount: 1, delete: [] });
  });

  it('completions 5, parallelism 2, 3 succeeded, 1 active: creates 1', () => {
    expect(plan(job({ completions: 5, parallelism: 2 }), [pod('Succeeded'), pod('Succeeded'), pod('Succeeded'), pod('Running')]).createCount).toBe(1);
  });

  it('completions 5, parallelism 3, 4 succeeded, 0 active: creates only the 1 still to do', () => {
    expect(plan(job({ completions: 5, parallelism: 3 }), [1, 2, 3, 4].map(() => pod('Succeeded'))).createCount).toBe(1);
  });

  it('no completions, parallelism 3: creates 3, and none once one pod has succeeded', () => {
    expect(plan(job({ parallelism: 3 }), []).createCount).toBe(3);
    expect(plan(job({ parallelism: 3 }), [pod('Succeeded'), pod('Running')]).createCount).toBe(0);
  });

  it('parallelism lowered from 3 to 1: deletes the 2 newest active pods', () => {
    const [oldest, middle, newest] = [pod('Running', { created: 1_000 }), pod('Running', { created: 2_000 }), pod('Running', { created: 3_000 })];
    expect(plan(job({ parallelism: 1, completions: 5 }), [middle, oldest, newest]).delete.sort()).toEqual([middle.metadata.name, newest.metadata.name].sort());
  });

  it('Indexed: creates pods for the lowest indexes that neither succeeded nor run', () => {
    const p = plan(job({ completions: 5, parallelism: 3, completionMode: 'Indexed' }), [pod('Succeeded', { index: 0 }), pod('Running', { index: 2 })]);
    expect(p.createIndexes).toEqual([1, 3]);
    expect(p.createCount).toBe(0);
    expect(p.completedIndexes).toBe('0');
  });

  it('Indexed: replaces a failed index', () => {
    const p = plan(job({ completions: 2, parallelism: 2, completionMode: 'Indexed' }), [pod('Failed', { index: 0 }), pod('Running', { index: 1 })]);
    expect(p.createIndexes).toEqual([0]);
  });
});

describe(`Part 4: a whole cluster running your Job controller (seed ${SEED})`, () => {
  const run = (yaml: string) => {
    const cluster = createCluster({ seed: SEED, use: { 'job-reconcile': SOURCE } });
    cluster.apply(yaml);
    const current = (name: string) => cluster.apiServer.cache.get('jobs', 'default', name) as Job | undefined;
    const finished = (name: string) => () => (current(name)?.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const said = () => {
      const last = [...cluster.trace.all()].reverse().find((e) => e.kind === 'error' && e.actor === 'kube-controller-manager');
      return last ? `; the controller last said: ${last.summary}` : '';
    };
    return { cluster, current, finished, said };
  };

  it("runs the docs' pi Job to Complete", () => {
    const { cluster, current, finished, said } = run(PI_JOB);
    expect(cluster.runUntil(finished('pi'), 60_000), `finished within 60 s of virtual time${said()}`).toBe(true);
    expect(current('pi')!.status!.conditions!.map((c) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(current('pi')!.status!.succeeded).toBe(1);
  });

  it('replaces failing pods after 10 s, then 20 s, and fails the Job past backoffLimit 2', () => {
    const { cluster, current, finished, said } = run(FLAKY_JOB);
    expect(cluster.runUntil(finished('flaky'), 300_000), `finished within 300 s of virtual time${said()}`).toBe(true);
    expect(current('flaky')!.status!.conditions!.find((c) => c.type === 'Failed')?.reason).toBe('BackoffLimitExceeded');
    const creates = traceQuery(cluster.trace, { actor: 'kube-controller-manager', summary: /^create pods default/ }).map((e) => e.time);
    expect(creates.length, 'pods created: the first and 2 replacements').toBe(3);
    // The back-off counts from the failed pod's finishedAt, kept in whole seconds by the API (up to a second before the container really ended).
    const failedAt = (cluster.apiServer.cache.list('pods', 'default') as Pod[])
      .filter((p) => p.metadata.labels?.['job-name'] === 'flaky')
      .map((p) => virtualMs(p.status!.containerStatuses![0].state!.terminated!.finishedAt!))
      .sort((x, y) => x - y);
    expect(creates[1] - failedAt[0], 'the first replacement waits out 10 s after the first failure').toBeGreaterThanOrEqual(10_000);
    expect(creates[2] - failedAt[1], 'the second waits out 20 s after the second failure').toBeGreaterThanOrEqual(20_000);
    cluster.runFor(1_000);
    expect((cluster.kubectl.getObjects('events') as KubeEvent[]).some((e) => e.reason === 'BackoffLimitExceeded')).toBe(true);
  });
});
