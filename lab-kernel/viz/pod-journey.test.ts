import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { DEFAULT_NETWORK } from '../sim/network';
import { formatJourney, podJourney } from './pod-journey';

const WEB = `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27"}]
`;

describe('podJourney', () => {
  const cluster = createCluster({ seed: 1 });
  const tApply = cluster.now();
  cluster.apply(WEB);
  cluster.runFor(3000);
  const journey = podJourney(cluster.trace.between(tApply, tApply + 3000));

  it('follows the first pod stored from the apply to the kubelet reporting it Running, each step after the last', () => {
    expect(journey.pod).toMatch(/^web-[a-z0-9]{5}$/);
    expect(journey.steps).toHaveLength(14);
    const seqs = journey.steps.map((s) => s.event?.seq ?? -1);
    expect(seqs.every((seq) => seq >= 0)).toBe(true);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(journey.steps[9].event?.to).toMatch(/^kubelet\//);
    expect(journey.steps[10].event?.data?.cri).toBe('RunPodSandbox');
    expect(journey.end).toBe(journey.steps[13].event?.time);
    // The API server handles the report when it arrives (1-3 ms later) and tells its watchers at once.
    expect(journey.heard! - journey.end!).toBeGreaterThanOrEqual(DEFAULT_NETWORK.minLatencyMs);
    expect(journey.heard! - journey.end!).toBeLessThanOrEqual(DEFAULT_NETWORK.maxLatencyMs);
  });

  it('names every step and prints its trace line; a chain cut short shows where it broke', () => {
    expect(formatJourney(journey)).toMatch(/^ 1\. kubectl creates the ReplicaSet\n .*kubectl -> kube-apiserver/);
    const binding = journey.steps[8].event!.seq;
    const cut = podJourney(cluster.trace.between(tApply, tApply + 3000).filter((e) => e.seq < binding));
    expect(cut.steps.map((s) => s.event !== undefined)).toEqual([...Array(8).fill(true), ...Array(6).fill(false)]);
    expect(cut.end).toBeUndefined();
    expect(formatJourney(cut)).toContain('14. the kubelet reports Running through the API server\n      (not found in this run)');
  });
});
