import { describe, expect, it } from 'vitest';
import { unixSeconds } from '../../api/time';
import type { CronJob, Job, KubeEvent } from '../../api/types';
import { createCluster, type Cluster } from '../../cluster/cluster';
import { traceQuery } from '../../viz/trace-query';
import { SCHEDULED_TIMESTAMP } from './cronjob-plan';
import { HELLO_CRONJOB } from './hello-cronjob.fixture';

const MINUTE = 60_000;
/** The Job of the scheduled minute `m` of virtual time: hello-28928161 for 00:01. */
const jobOf = (m: number) => `hello-${Math.floor(unixSeconds(m * MINUTE) / 60)}`;

function helloCluster(yaml = HELLO_CRONJOB): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(yaml);
  return cluster;
}
const jobs = (cluster: Cluster) => (cluster.apiServer.cache.list('jobs', 'default') as Job[]).map((j) => j.metadata.name!).sort();
const cronJob = (cluster: Cluster) => cluster.apiServer.cache.get('cronjobs', 'default', 'hello') as CronJob;
const events = (cluster: Cluster) => (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.kind === 'CronJob');

describe('the CronJob controller', () => {
  it("starts the docs' hello CronJob's Job each minute, named after the minute, and the Job completes", () => {
    const cluster = helloCluster();
    cluster.runFor(2 * MINUTE + 30_000);
    expect(jobs(cluster)).toEqual([jobOf(1), jobOf(2)]);
    const first = cluster.apiServer.cache.get('jobs', 'default', jobOf(1)) as Job;
    expect(first.metadata.annotations?.[SCHEDULED_TIMESTAMP]).toBe('2025-01-01T00:01:00Z');
    expect(first.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'hello', controller: true, blockOwnerDeletion: true });
    expect(first.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')).toBe(true);
    const cj = cronJob(cluster);
    expect(cj.status?.lastScheduleTime).toBe('2025-01-01T00:02:00Z');
    expect(cj.status?.lastSuccessfulTime).toMatch(/^2025-01-01T00:0[12]:/);
    expect(events(cluster).map((e) => `${e.reason}: ${e.message}`)).toEqual(expect.arrayContaining([`SuccessfulCreate: Created job ${jobOf(1)}`, `SawCompletedJob: Saw completed job: ${jobOf(1)}, condition: Complete`]));
    const [pod] = cluster.kubectl.getObjects('pods').filter((p) => p.metadata.labels?.['job-name'] === jobOf(1));
    expect(cluster.kubectl.logs(pod.metadata.name!)).toMatch(/^Wed Jan {2}1 00:01:0\d UTC 2025\nHello from the Kubernetes cluster/);
  });

  it("sleeps until the next scheduled time instead of polling: one sync in 4 minutes of a '*/5' schedule", () => {
    const cluster = helloCluster(HELLO_CRONJOB.replace('"* * * * *"', '"*/5 * * * *"'));
    cluster.runFor(4 * MINUTE);
    const syncs = traceQuery(cluster.trace, { actor: 'kube-controller-manager', summary: /^cronjob-controller: sync default\/hello/ });
    expect(syncs.map((s) => s.summary.replace(/.*; /, ''))).toEqual([expect.stringMatching(/^next in 2\d{5} ms$/)]);
    expect(jobs(cluster)).toEqual([]);
  });

  it('keeps the 3 newest successful Jobs (successfulJobsHistoryLimit) and deletes the older ones', () => {
    const cluster = helloCluster();
    cluster.runFor(5 * MINUTE + 30_000);
    expect(jobs(cluster)).toEqual([jobOf(3), jobOf(4), jobOf(5)]);
    expect(events(cluster).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message)).toEqual([`Deleted job ${jobOf(1)}`, `Deleted job ${jobOf(2)}`]);
  });

  it('skips a scheduled time while a Job is still active under concurrencyPolicy Forbid, and starts it late once the Job finishes (no startingDeadlineSeconds)', () => {
    const cluster = helloCluster(HELLO_CRONJOB.replace('  schedule:', '  concurrencyPolicy: Forbid\n  schedule:').replace('date; echo Hello from the Kubernetes cluster', 'sleep 90'));
    cluster.runFor(3 * MINUTE + 30_000);
    expect(jobs(cluster)).toEqual([jobOf(1), jobOf(2)]);
    const second = cluster.apiServer.cache.get('jobs', 'default', jobOf(2)) as Job;
    expect(second.metadata.creationTimestamp! > '2025-01-01T00:02:30Z', 'created when the first one finished, not at 00:02').toBe(true);
    expect(events(cluster).filter((e) => e.reason === 'JobAlreadyActive').map((e) => e.message)).toEqual(['Not starting job because prior execution is running and concurrency policy is Forbid']);
  });

  it('under Forbid with startingDeadlineSeconds 10, drops the skipped time; under Allow, runs the Jobs side by side', () => {
    const slow = (lines: string) => helloCluster(HELLO_CRONJOB.replace('  schedule:', `${lines}\n  schedule:`).replace('date; echo Hello from the Kubernetes cluster', 'sleep 90'));
    const forbid = slow('  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 10');
    forbid.runFor(3 * MINUTE + 30_000);
    expect(jobs(forbid)).toEqual([jobOf(1), jobOf(3)]);
    const allow = slow('  concurrencyPolicy: Allow');
    allow.runFor(3 * MINUTE + 30_000);
    expect(jobs(allow)).toEqual([jobOf(1), jobOf(2), jobOf(3)]);
  });

  it('deletes the active Job before starting the next under concurrencyPolicy Replace', () => {
    const cluster = helloCluster(HELLO_CRONJOB.replace('  schedule:', '  concurrencyPolicy: Replace\n  schedule:').replace('date; echo Hello from the Kubernetes cluster', 'sleep 600'));
    cluster.runFor(2 * MINUTE + 30_000);
    expect(jobs(cluster)).toEqual([jobOf(2)]);
    expect(cronJob(cluster).status?.active?.map((r) => r.name)).toEqual([jobOf(2)]);
  });

  it('starts nothing while suspended', () => {
    const cluster = helloCluster(HELLO_CRONJOB.replace('  schedule:', '  suspend: true\n  schedule:'));
    cluster.runFor(3 * MINUTE);
    expect(jobs(cluster)).toEqual([]);
  });

  it('prints NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', () => {
    const cluster = helloCluster(HELLO_CRONJOB.replace('date; echo Hello from the Kubernetes cluster', 'sleep 600'));
    cluster.runFor(MINUTE + 10_000);
    const table = cluster.kubectl.get('cronjobs');
    expect(table.columns).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    // LAST SCHEDULE: since 00:01:00, the first schedule (virtual time starts at 00:00:00; the cluster booted a few seconds in).
    expect(table.rows[0].slice(0, 6)).toEqual(['hello', '* * * * *', '<none>', 'False', '1', `${Math.floor((cluster.now() - MINUTE) / 1000)}s`]);
  });
});
