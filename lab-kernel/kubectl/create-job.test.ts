import { describe, expect, it } from 'vitest';
import type { CronJob, Job, Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { HELLO_CRONJOB } from '../controllers/cronjob/hello-cronjob.fixture';
import { thrown } from './two-revisions.fixture';

describe('kubectl create job --from=cronjob', () => {
  it("creates a Job from the CronJob's template, annotated instantiate: manual and owned by the CronJob, and it runs", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(HELLO_CRONJOB.replace('"* * * * *"', '"0 0 1 1 *"'));
    expect(cluster.kubectl.createJobFromCronJob('hello-manual', 'hello')).toBe('job.batch/hello-manual created');
    const [cj] = cluster.kubectl.getObjects<CronJob>('cronjobs', 'hello');
    const [job] = cluster.kubectl.getObjects<Job>('jobs', 'hello-manual');
    expect(job.metadata.annotations).toEqual({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true }]);
    expect(job.spec.template.spec.containers[0].command).toEqual(['/bin/sh', '-c', 'date; echo Hello from the Kubernetes cluster']);
    expect(cluster.runUntil(() => (cluster.kubectl.getObjects<Job>('jobs', 'hello-manual')[0].status?.succeeded ?? 0) === 1, 30_000)).toBe(true);
    const [pod] = cluster.kubectl.getObjects<Pod>('pods', undefined, { selector: 'job-name=hello-manual' });
    expect(cluster.kubectl.logs(pod.metadata.name!)).toMatch(/Hello from the Kubernetes cluster/);
  });

  it('wraps a refused create as kubectl does: error: failed to create job: ...', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(HELLO_CRONJOB.replace('"* * * * *"', '"0 0 1 1 *"'));
    cluster.kubectl.createJobFromCronJob('hello-manual', 'hello');
    expect(thrown(() => cluster.kubectl.createJobFromCronJob('hello-manual', 'hello'))).toBe('error: failed to create job: jobs.batch "hello-manual" already exists');
    expect(thrown(() => cluster.kubectl.createJobFromCronJob('x', 'nope'))).toBe('Error from server (NotFound): cronjobs.batch "nope" not found');
  });
});
