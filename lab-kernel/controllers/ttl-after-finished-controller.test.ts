import { describe, expect, it } from 'vitest';
import { virtualMs } from '../api/time';
import type { Job } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { traceQuery } from '../viz/trace-query';

const JOB = `apiVersion: batch/v1
kind: Job
metadata: { name: short }
spec:
  ttlSecondsAfterFinished: 100
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: work, image: busybox:1.36, command: [sh, -c, "sleep 5"] }]
`;

describe('the TTL-after-finished controller', () => {
  it('deletes a finished Job ttlSecondsAfterFinished after its Complete condition, with Foreground propagation, its pods with it', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(JOB);
    const job = () => cluster.apiServer.cache.get('jobs', 'default', 'short') as Job | undefined;
    expect(cluster.runUntil(() => job()?.status?.conditions?.some((c) => c.type === 'Complete') === true, 60_000)).toBe(true);
    const finishedMs = virtualMs(job()!.status!.conditions!.find((c) => c.type === 'Complete')!.lastTransitionTime!);
    cluster.runUntil(() => cluster.sim.now() >= finishedMs + 99_000, 200_000);
    expect(job(), 'still there 99 s after it finished').toBeDefined();
    let foreground = false;
    const gone = cluster.runUntil(() => {
      foreground ||= job()?.metadata.finalizers?.includes('foregroundDeletion') === true;
      return job() === undefined;
    }, 10_000);
    expect(gone, 'gone soon after 100 s').toBe(true);
    expect(foreground, 'deleted in the foreground: the foregroundDeletion finalizer held it until its pods were gone').toBe(true);
    const [deletion] = traceQuery(cluster.trace, { actor: 'kube-controller-manager', summary: /^delete jobs default\/short/ });
    expect(deletion.time - finishedMs).toBeGreaterThanOrEqual(100_000);
    expect(cluster.kubectl.getObjects('pods').filter((p) => p.metadata.labels?.['job-name'] === 'short')).toEqual([]);
  });

  it('leaves a finished Job without ttlSecondsAfterFinished alone', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(JOB.replace('  ttlSecondsAfterFinished: 100\n', ''));
    cluster.runFor(300_000);
    expect(cluster.apiServer.cache.get('jobs', 'default', 'short')).toBeDefined();
  });
});
