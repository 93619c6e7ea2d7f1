import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { assumedPods } from './assumed-pods';
import { traceQuery } from './trace-query';

describe('assumedPods', () => {
  it("shows pods assumed in the scheduler's cache before the API server has their node, and bound a moment later", () => {
    const cluster = createCluster({ seed: 1 });
    const t = cluster.now();
    cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: burst }
spec:
  replicas: 4
  selector: { matchLabels: { app: burst } }
  template:
    metadata: { labels: { app: burst } }
    spec: { containers: [{ name: app, image: nginx:1.27 }] }
`);
    const cycles = () => traceQuery(cluster.trace, { since: t, actor: 'kube-scheduler', kind: 'action', summary: /default\/burst-/ });
    cluster.runUntil(() => cycles().length === 4, 5_000);
    const now = assumedPods(cycles(), cluster.scheduler, cluster.apiServer);
    expect(now).toHaveLength(4);
    expect(now.some((r) => r['scheduler cache'].startsWith('assumed on node-') && r['API server: spec.nodeName'] === '<none yet>')).toBe(true);
    cluster.runFor(1_000);
    const later = assumedPods(cycles(), cluster.scheduler, cluster.apiServer);
    expect(later.map((r) => r['scheduler cache'])).toEqual(['bound', 'bound', 'bound', 'bound']);
    expect(later.map((r) => r['API server: spec.nodeName'])).toEqual(now.map((r) => /node-\d/.exec(r['scheduler cache'])?.[0] ?? r['API server: spec.nodeName']));
    expect(assumedPods(traceQuery(cluster.trace, { since: t, actor: 'kube-scheduler', kind: 'error' }), cluster.scheduler, cluster.apiServer), 'other lines are skipped').toEqual([]);
  });
});
