import { describe, expect, it } from 'vitest';
import type { KubeEvent, Node, Pod } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';

/** A busybox pod asking for `gpus` GPUs (as a limit), printing the devices it was given, then sleeping (or `after`). */
function gpuPod(name: string, gpus: number, extra: { nodeName?: string; after?: string; restartPolicy?: string } = {}): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: default }
spec:
${extra.nodeName ? `  nodeName: ${extra.nodeName}\n` : ''}${extra.restartPolicy ? `  restartPolicy: ${extra.restartPolicy}\n` : ''}  containers:
  - name: cuda
    image: busybox:1.36
    command: [sh, -c, "echo $NVIDIA_VISIBLE_DEVICES; ${extra.after ?? 'sleep infinity'}"]
    resources: { limits: { nvidia.com/gpu: "${gpus}" } }
`;
}
const podIn = (cluster: Cluster, name: string) => cluster.apiServer.cache.get('pods', 'default', name) as Pod | undefined;
const nodeIn = (cluster: Cluster, name: string) => cluster.apiServer.cache.get('nodes', '', name) as Node | undefined;
const gpusOf = (node: Node | undefined) => ({ capacity: node?.status?.capacity?.['nvidia.com/gpu'], allocatable: node?.status?.allocatable?.['nvidia.com/gpu'] });
const eventsFor = (cluster: Cluster, name: string) => (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.name === name);
const running = (cluster: Cluster, name: string) => podIn(cluster, name)?.status?.phase === 'Running';

describe('device plugins and extended resources (GPUs)', () => {
  it('schedules GPU pods onto the GPU node, gives each its own GPU in NVIDIA_VISIBLE_DEVICES, and leaves one beyond capacity Pending: Insufficient nvidia.com/gpu', () => {
    const cluster = createCluster({ seed: 1, gpus: { 'node-1': 2 } });
    expect(gpusOf(nodeIn(cluster, 'node-1'))).toEqual({ capacity: '2', allocatable: '2' });
    expect(gpusOf(nodeIn(cluster, 'node-2'))).toEqual({ capacity: undefined, allocatable: undefined });
    const ids = cluster.gpuPlugins.get('node-1')!.devices.map((d) => d.ID).sort();

    cluster.apply(gpuPod('train-a', 1));
    cluster.apply(gpuPod('train-b', 1));
    expect(cluster.runUntil(() => running(cluster, 'train-a') && running(cluster, 'train-b'), 30_000)).toBe(true);
    expect(podIn(cluster, 'train-a')!.spec.nodeName).toBe('node-1');
    expect(podIn(cluster, 'train-b')!.spec.nodeName).toBe('node-1');
    const seen = ['train-a', 'train-b'].map((p) => cluster.kubectl.logs(p).trim());
    expect([...seen].sort()).toEqual(ids);
    expect(cluster.kubectl.exec('train-a', ['sh', '-c', 'echo $NVIDIA_VISIBLE_DEVICES']).trim()).toBe(seen[0]);

    cluster.apply(gpuPod('train-c', 1));
    cluster.runFor(3_000);
    expect(podIn(cluster, 'train-c')!.spec.nodeName).toBeUndefined();
    const failed = eventsFor(cluster, 'train-c').find((e) => e.reason === 'FailedScheduling');
    expect(failed?.message).toMatch(/^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 Insufficient nvidia\.com\/gpu\. /);
  });

  it('rejects a pod bound to the node whose GPUs are taken: Failed, UnexpectedAdmissionError, never run', () => {
    const cluster = createCluster({ seed: 1, gpus: { 'node-1': 2 } });
    cluster.apply(gpuPod('one', 1, { nodeName: 'node-1' }));
    expect(cluster.runUntil(() => running(cluster, 'one'), 30_000)).toBe(true);
    cluster.apply(gpuPod('two', 2, { nodeName: 'node-1' }));
    expect(cluster.runUntil(() => podIn(cluster, 'two')?.status?.phase === 'Failed', 10_000)).toBe(true);
    const admission = 'Allocate failed due to requested number of devices unavailable for nvidia.com/gpu. Requested: 2, Available: 1, which is unexpected';
    expect(podIn(cluster, 'two')!.status).toMatchObject({ phase: 'Failed', reason: 'UnexpectedAdmissionError', message: `Pod was rejected: ${admission}` });
    expect(podIn(cluster, 'two')!.status!.containerStatuses).toBeUndefined();
    expect(eventsFor(cluster, 'two').map((e) => `${e.type} ${e.reason}: ${e.message}`)).toEqual([`Warning UnexpectedAdmissionError: ${admission}`]);
    cluster.runFor(30_000);
    expect(podIn(cluster, 'two')!.status!.phase, 'a rejected pod stays Failed').toBe('Failed');
  });

  it("an Unhealthy GPU lowers the node's allocatable nvidia.com/gpu at the next status update; its capacity stays", () => {
    const cluster = createCluster({ seed: 1, gpus: { 'node-1': 2 } });
    const plugin = cluster.gpuPlugins.get('node-1')!;
    plugin.setHealth(plugin.devices[0].ID, 'Unhealthy');
    expect(cluster.runUntil(() => gpusOf(nodeIn(cluster, 'node-1')).allocatable === '1', 11_000)).toBe(true);
    expect(gpusOf(nodeIn(cluster, 'node-1'))).toEqual({ capacity: '2', allocatable: '1' });
  });

  it('keeps a restarted container on the same GPU, and frees the GPU once its pod has finished', () => {
    const cluster = createCluster({ seed: 1 });
    const gpuNode = cluster.joinNode('gpu-1', { gpus: 1 });
    cluster.runUntil(() => gpuNode.isRegistered(), 10_000);
    const [id] = cluster.gpuPlugins.get('gpu-1')!.devices.map((d) => d.ID);
    cluster.apply(gpuPod('crash', 1, { nodeName: 'gpu-1', after: 'sleep 1; exit 1', restartPolicy: 'OnFailure' }));
    expect(cluster.runUntil(() => (podIn(cluster, 'crash')?.status?.containerStatuses?.[0].restartCount ?? 0) >= 1, 30_000)).toBe(true);
    expect(cluster.kubectl.logs('crash', { previous: true }).trim()).toBe(id);
    cluster.runUntil(() => running(cluster, 'crash'), 30_000);
    expect(cluster.kubectl.logs('crash').trim()).toBe(id);

    cluster.apply(gpuPod('done', 1, { nodeName: 'gpu-1', after: 'exit 0', restartPolicy: 'Never' }));
    expect(cluster.runUntil(() => podIn(cluster, 'done')?.status?.phase === 'Failed', 10_000), 'the GPU is held by crash').toBe(true);
    cluster.kubectl.delete('pod', 'crash');
    cluster.apply(gpuPod('next', 1, { nodeName: 'gpu-1', after: 'exit 0', restartPolicy: 'Never' }));
    expect(cluster.runUntil(() => podIn(cluster, 'next')?.status?.phase === 'Succeeded', 60_000), 'crash is gone: the GPU is free').toBe(true);
    expect(cluster.kubectl.logs('next').trim()).toBe(id);
    cluster.apply(gpuPod('after', 1, { nodeName: 'gpu-1', after: 'exit 0', restartPolicy: 'Never' }));
    expect(cluster.runUntil(() => podIn(cluster, 'after')?.status?.phase === 'Succeeded', 60_000), 'next has Succeeded: the GPU is free again').toBe(true);
  });
});
