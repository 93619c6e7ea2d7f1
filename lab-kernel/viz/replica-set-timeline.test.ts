import { describe, expect, it } from 'vitest';
import type { Pod, ReplicaSet } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { recordReplicaSets, timelineRows, type ReplicaSetSample } from './replica-set-timeline';

const DEPLOYMENT = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: ${image} }] }
`;

describe('recordReplicaSets', () => {
  it('samples each change during a rollout, counting pods from the pods: never more than 4 nor fewer than 3 ready (maxSurge 1, maxUnavailable 0)', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(DEPLOYMENT('nginx:1.14.2'));
    cluster.runFor(10_000);
    cluster.apply(DEPLOYMENT('nginx:1.16.1'));
    const read = () => ({ replicaSets: cluster.kubectl.getObjects<ReplicaSet>('replicasets'), pods: cluster.kubectl.getObjects<Pod>('pods') });
    const oldDone = (s: ReplicaSetSample) => Object.keys(s.sets).length === 2 && Object.values(s.sets).some((c) => c.wanted === 0 && c.current === 0);
    const samples = recordReplicaSets(cluster, read, oldDone, 60_000);
    expect(samples.length).toBeGreaterThan(3);
    for (let i = 1; i < samples.length; i++) expect(JSON.stringify(samples[i].sets), 'only changes are kept').not.toBe(JSON.stringify(samples[i - 1].sets));
    expect(oldDone(samples[samples.length - 1])).toBe(true);
    expect(samples[0].at).toBeLessThanOrEqual(samples[samples.length - 1].at);
    const total = (s: ReplicaSetSample, key: 'current' | 'ready') => Object.values(s.sets).reduce((n, c) => n + c[key], 0);
    expect(Math.max(...samples.map((s) => total(s, 'current')))).toBe(4);
    expect(Math.min(...samples.map((s) => total(s, 'ready')))).toBe(3);
  });
});

describe('timelineRows', () => {
  it('shows each ReplicaSet as its wanted count and a dot per pod, ready first, with the totals', () => {
    const samples: ReplicaSetSample[] = [
      { at: 1_000, sets: { a: { wanted: 3, current: 3, ready: 3 } } },
      { at: 2_500, sets: { a: { wanted: 2, current: 3, ready: 3 }, b: { wanted: 2, current: 2, ready: 1 } } },
    ];
    expect(timelineRows(samples, 1_000, { a: 'old', b: 'new' })).toEqual([
      { 't (s)': '0.0', old: '3 ●●●', new: '0 ', pods: 3, ready: 3 },
      { 't (s)': '1.5', old: '2 ●●●', new: '2 ●○', pods: 5, ready: 4 },
    ]);
  });
});
