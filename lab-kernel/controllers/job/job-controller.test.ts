import { describe, expect, it } from 'vitest';
import { PI_JOB } from './pi-job.fixture';
import type { Job, KubeEvent, Pod } from '../../api/types';
import { createCluster, type Cluster } from '../../cluster/cluster';
import { traceQuery } from '../../viz/trace-query';
import { formatIntervals, parseIntervals, TRACKING_FINALIZER } from './job-plan-contract';
import { FLAKY_JOB } from './flaky-job.fixture';
import { virtualMs } from '../../api/time';

function jobCluster(yaml: string): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(yaml);
  return cluster;
}
const job = (cluster: Cluster, name: string) => cluster.apiServer.cache.get('jobs', 'default', name) as Job;
const podsOf = (cluster: Cluster, name: string) => (cluster.apiServer.cache.list('pods', 'default') as Pod[]).filter((p) => p.metadata.labels?.['job-name'] === name);
const condition = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type);
const finished = (cluster: Cluster, name: string) => () => ['Complete', 'Failed'].some((t) => condition(job(cluster, name), t)?.status === 'True');

describe('the Job controller', () => {
  it("runs the docs' pi Job to Complete: SuccessCriteriaMet then Complete, the pod counted and its tracking finalizer off", () => {
    const cluster = jobCluster(PI_JOB);
    expect(cluster.runUntil(finished(cluster, 'pi'), 60_000)).toBe(true);
    const pi = job(cluster, 'pi');
    expect(pi.status).toMatchObject({ succeeded: 1, failed: 0, active: 0, uncountedTerminatedPods: { succeeded: [], failed: [] } });
    expect(pi.status!.conditions!.map((c) => `${c.type}=${c.status} ${c.reason}`)).toEqual(['SuccessCriteriaMet=True CompletionsReached', 'Complete=True CompletionsReached']);
    expect(pi.status!.completionTime).toBeDefined();
    const [pod] = podsOf(cluster, 'pi');
    expect(pod.metadata.finalizers ?? []).not.toContain(TRACKING_FINALIZER);
    expect(pod.metadata.ownerReferences![0]).toMatchObject({ kind: 'Job', name: 'pi', controller: true, blockOwnerDeletion: true });
    expect(cluster.kubectl.get('jobs').rows[0].slice(0, 3)).toEqual(['pi', 'Complete', '1/1']);
    expect(cluster.kubectl.get('pods').rows[0][2]).toBe('Completed');
    cluster.runFor(1_000); // the event recorder writes after the status
    const events = (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.kind === 'Job').map((e) => `${e.reason}: ${e.message}`);
    expect(events).toEqual([`SuccessfulCreate: Created pod: ${pod.metadata.name}`, 'Completed: Job completed']);
  });

  it('keeps at most parallelism pods running until completions have succeeded', () => {
    const cluster = jobCluster(`apiVersion: batch/v1
kind: Job
metadata: { name: batch }
spec:
  completions: 5
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: work, image: busybox:1.36, command: [sh, -c, "sleep 2"] }]
`);
    let most = 0;
    const done = finished(cluster, 'batch');
    cluster.runUntil(() => {
      most = Math.max(most, podsOf(cluster, 'batch').filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length);
      return done();
    }, 120_000);
    expect(condition(job(cluster, 'batch'), 'Complete')?.status).toBe('True');
    expect(most).toBe(2);
    expect(job(cluster, 'batch').status!.succeeded).toBe(5);
    expect(podsOf(cluster, 'batch')).toHaveLength(5);
  });

  it('waits 10 s, then 20 s before replacing failed pods, and fails the Job past backoffLimit', () => {
    const cluster = jobCluster(FLAKY_JOB);
    expect(cluster.runUntil(finished(cluster, 'flaky'), 300_000)).toBe(true);
    const j = job(cluster, 'flaky');
    expect(condition(j, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(condition(j, 'FailureTarget')?.status).toBe('True');
    expect(j.status!.failed).toBe(3);
    const creates = traceQuery(cluster.trace, { actor: 'kube-controller-manager', summary: /^create pods default/ }).map((e) => e.time);
    expect(creates).toHaveLength(3);
    // The back-off counts from the failed pod's finishedAt, which the API keeps in whole seconds
    // (up to a second before the container really ended): measured from there, as the controller does.
    const failedAt = podsOf(cluster, 'flaky').map((p) => virtualMs(p.status!.containerStatuses![0].state!.terminated!.finishedAt!)).sort((x, y) => x - y);
    const gaps = creates.slice(1).map((t, i) => t - failedAt[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(10_000);
    expect(gaps[0]).toBeLessThan(10_000 + 5_000);
    expect(gaps[1]).toBeGreaterThanOrEqual(20_000);
    expect(gaps[1]).toBeLessThan(20_000 + 5_000);
    cluster.runFor(1_000); // the event recorder writes after the status
    const reasons = (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.kind === 'Job').map((e) => e.reason);
    expect(reasons).toContain('BackoffLimitExceeded');
  });

  it('fails a Job active longer than activeDeadlineSeconds, deleting its pod', () => {
    const cluster = jobCluster(`apiVersion: batch/v1
kind: Job
metadata: { name: slow }
spec:
  activeDeadlineSeconds: 5
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: work, image: busybox:1.36, command: [sleep, "600"] }]
`);
    expect(cluster.runUntil(() => condition(job(cluster, 'slow'), 'FailureTarget') !== undefined, 30_000)).toBe(true);
    const j = job(cluster, 'slow');
    expect(condition(j, 'FailureTarget')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(podsOf(cluster, 'slow')[0].metadata.deletionTimestamp).toBeDefined();
    expect(cluster.runUntil(finished(cluster, 'slow'), 60_000), 'Failed once its pod has stopped').toBe(true);
  });

  it('gives an Indexed Job one pod per completion index, and lists the indexes that succeeded', () => {
    const cluster = jobCluster(`apiVersion: batch/v1
kind: Job
metadata: { name: indexed }
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: work, image: busybox:1.36, command: [sh, -c, "sleep 1"] }]
`);
    expect(cluster.runUntil(finished(cluster, 'indexed'), 60_000)).toBe(true);
    const pods = podsOf(cluster, 'indexed');
    expect(pods.map((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '1', '2']);
    expect(pods.map((p) => p.metadata.name!.replace(/-[a-z0-9]{5}$/, '')).sort()).toEqual(['indexed-0', 'indexed-1', 'indexed-2']);
    expect(job(cluster, 'indexed').status!.completedIndexes).toBe('0-2');
  });
});

describe('completion indexes', () => {
  it('writes completion indexes as intervals, and reads them back', () => {
    expect(formatIntervals([4, 0, 2, 1])).toBe('0-2,4');
    expect(parseIntervals('0-2,4,7-8')).toEqual([0, 1, 2, 4, 7, 8]);
  });
});

describe('the Job controller claims pods (ControllerRefManager)', () => {
  const CALC_JOB = `apiVersion: batch/v1
kind: Job
metadata: { name: calc }
spec:
  parallelism: 2
  completions: 2
  manualSelector: true
  selector: { matchLabels: { app: calc } }
  template:
    metadata: { labels: { app: calc } }
    spec:
      containers: [{ name: calc, image: busybox:1.36, command: [sh, -c, "sleep 30"] }]
      restartPolicy: Never
`;
  const ORPHAN = `apiVersion: v1
kind: Pod
metadata: { name: stray, labels: { app: calc } }
spec:
  containers: [{ name: calc, image: busybox:1.36, command: [sh, -c, "sleep 30"] }]
  restartPolicy: Never
`;

  it('adopts a matching orphan pod with its controller reference and the tracking finalizer, and creates one pod fewer', () => {
    const cluster = jobCluster(ORPHAN);
    cluster.runFor(2_000);
    cluster.apply(CALC_JOB);
    const uid = job(cluster, 'calc').metadata.uid!;
    const stray = () => cluster.apiServer.cache.get('pods', 'default', 'stray') as Pod;
    expect(cluster.runUntil(() => job(cluster, 'calc').status?.active === 2, 30_000)).toBe(true);
    expect(stray().metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'calc', uid, controller: true, blockOwnerDeletion: true }]);
    expect(stray().metadata.finalizers).toEqual([TRACKING_FINALIZER]);
    const owned = (cluster.apiServer.cache.list('pods', 'default') as Pod[]).filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid));
    expect(owned).toHaveLength(2);
    expect(cluster.runUntil(finished(cluster, 'calc'), 120_000)).toBe(true);
    expect(job(cluster, 'calc').status).toMatchObject({ succeeded: 2, failed: 0 });
  });

  it('releases a pod relabelled out of its selector: the reference and the tracking finalizer come off', () => {
    const cluster = jobCluster(CALC_JOB);
    const uid = job(cluster, 'calc').metadata.uid!;
    const owned = () => (cluster.apiServer.cache.list('pods', 'default') as Pod[]).filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid));
    cluster.runUntil(() => owned().length === 2, 30_000);
    const victim = owned()[0].metadata.name!;
    cluster.kubectl.patch('pod', victim, { metadata: { labels: { app: 'debug' } } });
    const released = () => cluster.apiServer.cache.get('pods', 'default', victim) as Pod;
    expect(cluster.runUntil(() => (released().metadata.ownerReferences ?? []).length === 0, 30_000)).toBe(true);
    expect(released().metadata.finalizers ?? []).not.toContain(TRACKING_FINALIZER);
    expect(cluster.runUntil(() => owned().length === 2, 30_000)).toBe(true);
  });
});
