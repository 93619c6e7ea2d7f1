import { describe, expect, it } from 'vitest';
import { traceQuery } from '../viz/trace-query';
import { createCluster } from './cluster';
import { podChurn } from './pod-churn';

describe('podChurn', () => {
  it('creates a small pod every period, which the scheduler binds, and deletes it half a period later, for exactly the time asked', () => {
    const cluster = createCluster({ seed: 3 });
    const start = cluster.now();
    expect(podChurn(cluster, { forMs: 3_000, everyMs: 500 })).toBe(6);
    expect(cluster.now() - start).toBe(3_000);
    const bound = traceQuery(cluster.trace, { since: start, actor: 'kube-apiserver', kind: 'action', summary: /^bound default\/churn-/ });
    expect(bound.map((e) => e.summary.split(' ')[1])).toEqual([0, 1, 2, 3, 4, 5].map((i) => `default/churn-${i}`));
    const deletes = traceQuery(cluster.trace, { since: start, actor: 'kubectl', flow: 'request', summary: /^delete pods default\/churn-/ });
    expect(deletes.map((e) => e.time - start), 'each deleted on the half period').toEqual([250, 750, 1250, 1750, 2250, 2750]);
    cluster.runFor(1_000);
    expect(cluster.kubectl.getObjects('pods').filter((p) => p.metadata.name?.startsWith('churn-'))).toEqual([]);
  });
});
