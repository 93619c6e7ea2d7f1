import { describe, expect, it } from 'vitest';
import { virtualMs } from '../api/time';
import type { Node, Pod } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';
import { traceQuery } from '../viz/trace-query';
import { evictionDelay } from './taint-eviction-controller';

const node = (cluster: Cluster, name: string) => cluster.apiServer.cache.get('nodes', undefined, name) as Node;
const pods = (cluster: Cluster) => cluster.apiServer.cache.list('pods', 'default') as Pod[];
const noExecute = (cluster: Cluster, name: string) => (node(cluster, name).spec.taints ?? []).filter((t) => t.effect === 'NoExecute');

function webOnTwoNodes(seed: number): Cluster {
  const cluster = createCluster({ seed });
  cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web, namespace: default }
spec:
  replicas: 4
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: nginx:1.27 }] }
`);
  cluster.runUntil(() => pods(cluster).filter((p) => p.status?.phase === 'Running').length === 4, 10_000);
  return cluster;
}

describe('a node that stops heartbeating (node lifecycle and taint eviction controllers)', () => {
  it('is Unknown once its lease is 50 s old, tainted unreachable:NoExecute, and its pods evicted 300 s later', () => {
    const cluster = webOnTwoNodes(1);
    const onNode1 = pods(cluster).filter((p) => p.spec.nodeName === 'node-1').map((p) => p.metadata.name);
    expect(onNode1.length).toBeGreaterThan(0);
    cluster.kubelets[1].stop();
    const stopped = cluster.now();
    const lastRenew = traceQuery(cluster.trace, { actor: 'kubelet/node-1', summary: /^(create|update) leases kube-node-lease/ }).at(-1)!.time;

    const ready = () => node(cluster, 'node-1').status!.conditions!.find((c) => c.type === 'Ready')!;
    expect(cluster.runUntil(() => ready().status === 'Unknown', 120_000)).toBe(true);
    const unknownAt = cluster.now();
    // Seen renewed within a 5 s pass of the renewal, Unknown at the first pass more than 50 s after that.
    expect(unknownAt - lastRenew).toBeGreaterThan(50_000);
    expect(unknownAt - lastRenew).toBeLessThanOrEqual(50_000 + 2 * 5_000 + 10);
    expect(ready()).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(unknownAt - stopped).toBeLessThan(70_000);

    expect(cluster.runUntil(() => noExecute(cluster, 'node-1').length > 0, 10_000)).toBe(true);
    const [taint] = noExecute(cluster, 'node-1');
    expect(taint).toMatchObject({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' });
    cluster.runFor(1_000);
    expect(node(cluster, 'node-1').spec.taints!.map((t) => `${t.key}:${t.effect}`)).toContain('node.kubernetes.io/unreachable:NoSchedule');
    for (const name of onNode1) expect(pods(cluster).find((p) => p.metadata.name === name)!.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('False');
    const events = cluster.kubectl.getObjects('events', undefined, { allNamespaces: true }) as unknown as { reason: string; message: string }[];
    expect(events.map((e) => `${e.reason}: ${e.message}`)).toContain('NodeNotReady: Node node-1 status is now: NodeNotReady');

    // The default toleration (DefaultTolerationSeconds): 300 s, counted from when the taint was seen.
    const tainted = virtualMs(taint.timeAdded!);
    cluster.runUntil(() => onNode1.every((n) => pods(cluster).find((p) => p.metadata.name === n)?.metadata.deletionTimestamp !== undefined), 400_000);
    const evictions = traceQuery(cluster.trace, { actor: 'kube-controller-manager', summary: /taint-eviction-controller: deleting pod/ });
    expect(evictions.map((e) => e.summary.split(' ')[3]).sort()).toEqual(onNode1.map((n) => `default/${n}`).sort());
    for (const e of evictions) {
      expect(e.time - tainted).toBeGreaterThanOrEqual(300_000 - 1_000); // timeAdded is whole seconds
      expect(e.time - tainted).toBeLessThan(300_000 + 1_000);
    }
    // No kubelet confirms: the pods stay Terminating, and the ReplicaSet has replaced them on node-2.
    cluster.runFor(5_000);
    const live = pods(cluster).filter((p) => p.metadata.deletionTimestamp === undefined);
    expect(live.map((p) => p.spec.nodeName)).toEqual(['node-2', 'node-2', 'node-2', 'node-2']);
    expect(pods(cluster).filter((p) => onNode1.includes(p.metadata.name!)).every((p) => p.status!.conditions!.some((c) => c.type === 'DisruptionTarget' && c.reason === 'DeletionByTaintManager'))).toBe(true);
  });

  it('taints one node every 10 s at most (--node-eviction-rate 0.1)', () => {
    const cluster = createCluster({ seed: 2, workers: 5 });
    cluster.kubelets[1].stop();
    cluster.kubelets[2].stop();
    cluster.runUntil(() => noExecute(cluster, 'node-1').length > 0 && noExecute(cluster, 'node-2').length > 0, 200_000);
    const [first, second] = ['node-1', 'node-2'].map((n) => traceQuery(cluster.trace, { summary: `node-lifecycle-controller: node ${n}: taint node.kubernetes.io/unreachable:NoExecute` })[0].time).sort((a, b) => a - b);
    expect(second - first).toBeGreaterThanOrEqual(10_000);
  });

  it('stops evicting when no node is Ready at all (full disruption)', () => {
    const cluster = createCluster({ seed: 3 });
    for (const k of cluster.kubelets) k.stop();
    cluster.runFor(120_000);
    expect(cluster.kubelets.map((k) => node(cluster, k.node.name).status!.conditions!.find((c) => c.type === 'Ready')!.status)).toEqual(['Unknown', 'Unknown', 'Unknown']);
    expect(cluster.kubelets.flatMap((k) => noExecute(cluster, k.node.name))).toEqual([]);
    expect(traceQuery(cluster.trace, { summary: 'node-lifecycle-controller: zone state FullDisruption' })).toHaveLength(1);
  });
});

describe('evictionDelay (the taint eviction controller)', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const };
  const tolerates = (t: { key?: string; operator?: string; effect?: string }, taint: { key: string; effect: string }) =>
    (t.key === undefined || t.key === taint.key) && (t.effect === undefined || t.effect === taint.effect) && t.operator === 'Exists';
  it.each([
    ['no toleration: now', [], 0],
    ['the default toleration: 300 s', [{ key: unreachable.key, operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 300 }], 300_000],
    ['two matching: the shorter', [{ key: unreachable.key, operator: 'Exists' as const, tolerationSeconds: 300 }, { operator: 'Exists' as const, tolerationSeconds: 60 }], 60_000],
    ['a negative limit counts as 0', [{ operator: 'Exists' as const, tolerationSeconds: -5 }], 0],
    ['no limit: never', [{ operator: 'Exists' as const }], undefined],
  ])('%s', (_name, tolerations, expected) => {
    expect(evictionDelay([unreachable], tolerations, tolerates)).toBe(expected);
  });
});
