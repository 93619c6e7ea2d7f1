import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { podChurn } from '../cluster/pod-churn';
import { attemptRows, failedAttempts } from './scheduling-attempts';

const BIG = 'apiVersion: v1\nkind: Pod\nmetadata: { name: big }\nspec:\n  containers: [{ name: app, image: nginx:1.27, resources: { requests: { cpu: "6" } } }]\n';

describe('failedAttempts and attemptRows', () => {
  // A 6-CPU pod on 4-CPU workers, while small pods come and go: every deletion may make room.
  const cluster = createCluster({ seed: 5 });
  const tBig = cluster.now();
  cluster.apply(BIG);
  podChurn(cluster, { forMs: 20_000 });
  const times = failedAttempts(cluster.trace, 'default/big', tBig);
  const rows = attemptRows(times, tBig);

  it('finds each failed scheduling cycle of the pod, and only its own', () => {
    expect(times.length).toBeGreaterThanOrEqual(5);
    expect(failedAttempts(cluster.trace, 'default/churn-0', tBig), 'the small pods all fit').toEqual([]);
    expect(failedAttempts(cluster.trace, 'default/big', tBig, 'cheap-scheduler'), 'another scheduler tried nothing').toEqual([]);
    expect(failedAttempts(cluster.trace, 'default/big', times[1])).toEqual(times.slice(1));
  });

  it('numbers the attempts from the first, with the gaps in seconds and the backoff that came before each', () => {
    expect(rows[0]).toEqual({ attempt: 1, 'at (s)': ((times[0] - tBig) / 1000).toFixed(3), 'since previous (s)': '', 'backoff before it (s)': '' });
    expect(rows.slice(1, 5).map((r) => r['backoff before it (s)'])).toEqual([1, 2, 4, 8]);
    for (const r of rows.slice(1)) {
      expect(Number(r['since previous (s)']), `attempt ${r.attempt} waited out its backoff`).toBeGreaterThanOrEqual(Number(r['backoff before it (s)']));
      // The first churn pod is deleted once it has started (its image pulled, about 2 s in); from then on events come every 0.5 s.
      if (r.attempt === 2) continue;
      expect(Number(r['since previous (s)']), 'and was tried within a second after it: events come every 0.5 s').toBeLessThanOrEqual(Number(r['backoff before it (s)']) + 1);
    }
  });
});
