import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { timestamp } from '../api/time';
import { createCluster } from '../cluster/cluster';
import { FLAKY_JOB } from '../controllers/job/flaky-job.fixture';
import { jobPodRows } from './job-pods';

const pod = (name: string, created: number, phase: string, ended?: { at: number; code: number }): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: timestamp(created) },
    spec: { containers: [] },
    status: { phase, ...(ended ? { containerStatuses: [{ name: 'c', state: { terminated: { exitCode: ended.code, finishedAt: timestamp(ended.at) } } }] } : {}) },
  }) as unknown as Pod;

describe('jobPodRows', () => {
  it('lists pods by creation time, with how each ended and the wait after the previous failure', () => {
    const rows = jobPodRows([pod('b', 13_000, 'Running'), pod('a', 2_000, 'Failed', { at: 3_000, code: 1 })], 2_000);
    expect(rows).toEqual([
      { pod: 'a', 'created (s)': 0, 'ended (s)': 1, result: 'Failed (exit 1)', 'created after the last failure (s)': '' },
      { pod: 'b', 'created (s)': 11, 'ended (s)': '', result: 'Running', 'created after the last failure (s)': 10 },
    ]);
  });

  it("shows a failing Job's back-off on a live cluster: 10 s, then 20 s", () => {
    const cluster = createCluster({ seed: 1 });
    const t0 = cluster.now();
    cluster.apply(FLAKY_JOB);
    cluster.runFor(90_000);
    const rows = jobPodRows(cluster.kubectl.getObjects<Pod>('pods', undefined, { selector: 'job-name=flaky' }), t0);
    expect(rows.map((r) => r.result)).toEqual(['Failed (exit 1)', 'Failed (exit 1)', 'Failed (exit 1)']);
    const waits = rows.slice(1).map((r) => r['created after the last failure (s)'] as number);
    expect(waits[0]).toBeGreaterThanOrEqual(10);
    expect(waits[0]).toBeLessThan(15);
    expect(waits[1]).toBeGreaterThanOrEqual(20);
    expect(waits[1]).toBeLessThan(25);
  });
});
