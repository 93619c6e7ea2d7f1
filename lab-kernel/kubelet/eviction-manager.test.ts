import { describe, expect, it } from 'vitest';
import type { KubeEvent, Node, Pod } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';

/** A pod on node-1 running stress that holds `bytes` of memory, with an optional memory request. */
function stressPod(cluster: Cluster, name: string, bytes: string, request?: string): void {
  const resources = request === undefined ? '' : `, resources: { requests: { memory: ${request} } }`;
  cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: default }\nspec:\n  nodeName: node-1\n  containers: [{ name: stress, image: polinux/stress, command: [stress], args: [--vm, "1", --vm-bytes, ${bytes}, --vm-hang, "1"]${resources} }]\n`);
}
const pod = (cluster: Cluster, name: string) => cluster.apiServer.cache.get('pods', 'default', name) as Pod | undefined;
const node1 = (cluster: Cluster) => cluster.apiServer.cache.get('nodes', '', 'node-1') as Node;
const condition = (cluster: Cluster, type: string) => node1(cluster).status!.conditions!.find((c) => c.type === type)?.status;
const events = (cluster: Cluster, name: string) => (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);

describe('node-pressure eviction', () => {
  it('evicts the BestEffort pod over its request before a Burstable pod under it, taints the node, rejects a new BestEffort pod, and lifts MemoryPressure 5 minutes after', () => {
    const cluster = createCluster({ seed: 1 });
    stressPod(cluster, 'web', '500M', '1Gi');
    stressPod(cluster, 'hog', '7500M');
    expect(cluster.runUntil(() => pod(cluster, 'hog')?.status?.reason === 'Evicted', 60_000)).toBe(true);
    const hog = pod(cluster, 'hog')!.status!;
    expect(hog.phase).toBe('Failed');
    expect(hog.message).toMatch(/^The node was low on resource: memory\. Threshold quantity: 100Mi, available: (\d+Ki|0)\. Container stress was using \d+Ki, request is 0, has larger consumption of memory\. $/);
    expect(hog.conditions![0]).toMatchObject({ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: hog.message });
    expect(events(cluster, 'hog')).toContain(`Evicted: ${hog.message}`);
    expect(events(cluster, 'node-1')).toContain('EvictionThresholdMet: Attempting to reclaim memory');
    expect(pod(cluster, 'web')!.status!.phase).toBe('Running');

    expect(cluster.runUntil(() => condition(cluster, 'MemoryPressure') === 'True', 20_000)).toBe(true);
    expect(cluster.runUntil(() => (node1(cluster).spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/memory-pressure' && t.effect === 'NoSchedule'), 20_000)).toBe(true);
    cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: { name: late, namespace: default }\nspec:\n  nodeName: node-1\n  containers: [{ name: app, image: busybox:1.36, command: [sleep, "3600"] }]\n');
    expect(cluster.runUntil(() => pod(cluster, 'late')?.status?.phase === 'Failed', 10_000)).toBe(true);
    expect(pod(cluster, 'late')!.status).toMatchObject({ reason: 'Evicted', message: 'Pod was rejected: The node had condition: [MemoryPressure]. ' });

    const evictedAt = cluster.now();
    expect(cluster.runUntil(() => condition(cluster, 'MemoryPressure') === 'False', 400_000)).toBe(true);
    expect(cluster.now() - evictedAt).toBeGreaterThanOrEqual(4.5 * 60_000);
    expect(pod(cluster, 'web')!.status!.phase).toBe('Running');
  });

  it("frees the disk by removing a finished pod's container (and its writable layer) before evicting anyone: DiskPressure, then 'able to reduce resource pressure without evicting pods'", () => {
    const cluster = createCluster({ seed: 1 });
    busyboxPod(cluster, 'batch', 'dd if=/dev/zero of=/tmp/fill bs=1M count=17408', 'Never');
    busyboxPod(cluster, 'web', 'sleep infinity');
    expect(cluster.runUntil(() => pod(cluster, 'batch')?.status?.phase === 'Succeeded', 120_000)).toBe(true);
    expect(cluster.runUntil(() => condition(cluster, 'DiskPressure') === 'True', 30_000)).toBe(true);
    expect(events(cluster, 'node-1')).toContain('EvictionThresholdMet: Attempting to reclaim ephemeral-storage');
    const lines = cluster.trace.all().filter((e) => e.actor === 'kubelet/node-1').map((e) => e.summary);
    expect(lines).toContain('eviction manager: able to reduce resource pressure without evicting pods.');
    expect(lines.some((l) => /RemoveContainer default\/batch\/app/.test(l))).toBe(true);
    expect(pod(cluster, 'web')!.status!.phase).toBe('Running');
    // Its container is gone from the runtime, but the kubelet keeps reporting the status it had, and starts nothing again.
    expect(pod(cluster, 'batch')!.status).toMatchObject({ phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
    cluster.runFor(60_000);
    expect(cluster.trace.all().filter((e) => e.summary === 'RunPodSandbox default/batch')).toHaveLength(1);
  });

  it("evicts the pod filling an emptyDir when garbage collection is not enough, with the ephemeral-storage message; its volume goes with it and the node's disk comes back", () => {
    const cluster = createCluster({ seed: 1 });
    busyboxPod(cluster, 'web', 'sleep infinity', 'Always', '1Gi');
    busyboxPod(cluster, 'filler', 'dd if=/dev/zero of=/cache/fill bs=1M count=18944; sleep infinity', 'Always');
    expect(cluster.runUntil(() => pod(cluster, 'filler')?.status?.reason === 'Evicted', 120_000)).toBe(true);
    const filler = pod(cluster, 'filler')!.status!;
    expect(filler.phase).toBe('Failed');
    expect(filler.message).toMatch(/^The node was low on resource: ephemeral-storage\. Threshold quantity: 2Gi, available: \d+(Ki)?\. Container app was using \d+(Ki)?, request is 0, has larger consumption of ephemeral-storage\. $/);
    expect(events(cluster, 'filler')).toContain(`Evicted: ${filler.message}`);
    expect(pod(cluster, 'web')!.status!.phase).toBe('Running');
    expect(cluster.runUntil(() => condition(cluster, 'DiskPressure') === 'True', 20_000)).toBe(true);
    cluster.runFor(30_000);
    expect(pod(cluster, 'web')!.status!.phase).toBe('Running');
    const lines = cluster.trace.all().filter((e) => e.actor === 'kubelet/node-1').map((e) => e.summary);
    expect(lines.filter((l) => l.startsWith('eviction manager: evicting pod'))).toEqual(['eviction manager: evicting pod default/filler to reclaim ephemeral-storage']);
  });
});

/** A busybox pod on node-1 running `script`, with an emptyDir at /cache and an optional ephemeral-storage request. */
function busyboxPod(cluster: Cluster, name: string, script: string, restartPolicy: 'Always' | 'Never' = 'Always', storage?: string): void {
  const resources = storage === undefined ? '' : `, resources: { requests: { ephemeral-storage: ${storage} } }`;
  cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: default }\nspec:\n  nodeName: node-1\n  restartPolicy: ${restartPolicy}\n  containers: [{ name: app, image: busybox:1.36, command: [sh, -c, "${script}"], volumeMounts: [{ name: cache, mountPath: /cache }]${resources} }]\n  volumes: [{ name: cache, emptyDir: {} }]\n`);
}
