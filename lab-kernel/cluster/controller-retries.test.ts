import { describe, expect, it } from 'vitest';
import { createCluster } from './cluster';

/**
 * A ReplicaSet that can never make its pod (a quota of zero pods): each sync's create is
 * refused, and the controller retries. client-go's work queue backs a failing key off
 * exponentially (5 ms, 10 ms, 20 ms ... up to 1000 s), and only forgets it once a sync has
 * succeeded, writes included, so the retries thin out instead of hammering the API server.
 */
describe('a controller whose writes keep failing', () => {
  function forbiddenReplicaSet() {
    const cluster = createCluster({ seed: 1, workers: 1 });
    cluster.apply(`apiVersion: v1
kind: ResourceQuota
metadata: { name: no-pods, namespace: default }
spec: { hard: { pods: "0" } }
`);
    cluster.runFor(1_000);
    const started = cluster.now();
    cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`);
    cluster.runFor(20_000);
    const requeues = cluster.trace
      .all()
      .filter((e) => e.time >= started && e.kind === 'error' && e.summary.includes('sync default/web failed'))
      .map((e) => Number(/requeued in (\d+) ms/.exec(e.summary)![1]));
    return { requeues };
  }

  it('retries the ReplicaSet after 5, 10, 20, 40 ... ms, doubling each time, as client-go does', () => {
    const { requeues } = forbiddenReplicaSet();
    expect(requeues.slice(0, 6)).toEqual([5, 10, 20, 40, 80, 160]);
  });

  it('makes tens of failed creates in 20 s of virtual time, not hundreds', () => {
    const { requeues } = forbiddenReplicaSet();
    expect(requeues.length).toBeGreaterThanOrEqual(10);
    expect(requeues.length).toBeLessThan(20);
  });
});
