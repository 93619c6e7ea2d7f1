import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../api/request';
import type { Summary } from '../api/stats-summary';
import type { Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { WEB_WITH_SIDECAR as WEB } from './web-with-sidecar.fixture';


const DISK_WRITER = `
apiVersion: v1
kind: Pod
metadata:
  name: writer
spec:
  containers:
  - name: writer
    image: busybox:1.36
    command: ["sh", "-c", "dd if=/dev/zero of=/cache/fill bs=1M count=300; dd if=/dev/zero of=/tmp/fill bs=1M count=200; sleep infinity"]
    volumeMounts:
    - name: cache
      mountPath: /cache
  volumes:
  - name: cache
    emptyDir: {}
`;

const summaryOf = (node: string): ApiRequest => ({ verb: 'get', resource: 'nodes', name: node, subresource: 'proxy', path: 'stats/summary' });

function clusterWithWeb() {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(WEB);
  const web = () => cluster.kubectl.getObjects<Pod>('pods', 'web')[0];
  cluster.runUntil(() => web()?.status?.phase === 'Running', 20_000);
  return { cluster, web };
}

describe("the kubelet's Summary API, through the API server (nodes/proxy)", () => {
  it('answers GET /api/v1/nodes/node-1/proxy/stats/summary with the node and its pods, in the Summary shape', () => {
    const { cluster, web } = clusterWithWeb();
    cluster.runFor(30_000);
    const res = cluster.kubectl.request(summaryOf('node-1'));
    expect(res.code).toBe(200);
    const summary = res.body as Summary;
    const time = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const cpu = { time, usageNanoCores: expect.any(Number), usageCoreNanoSeconds: expect.any(Number) };
    expect(summary.node).toEqual({
      nodeName: 'node-1',
      startTime: time,
      cpu,
      memory: { time, availableBytes: expect.any(Number), usageBytes: expect.any(Number), workingSetBytes: expect.any(Number) },
      fs: { time, availableBytes: expect.any(Number), capacityBytes: 20 * 1024 ** 3, usedBytes: expect.any(Number) },
      runtime: { imageFs: { time, availableBytes: expect.any(Number), capacityBytes: 20 * 1024 ** 3, usedBytes: expect.any(Number) } },
    });
    const pod = web();
    // The node's other pod is its kube-proxy, in kube-system.
    expect(summary.pods.filter((p) => p.podRef.namespace === 'default').map((p) => p.podRef)).toEqual([{ name: 'web', namespace: 'default', uid: pod.metadata.uid }]);
    const stats = summary.pods.find((p) => p.podRef.name === 'web')!;
    expect(stats.startTime).toBe(pod.status!.startTime);
    expect(stats.containers.map((c) => c.name)).toEqual(['nginx', 'sidecar']);
    const fs = { time, availableBytes: summary.node.fs.availableBytes, capacityBytes: 20 * 1024 ** 3, usedBytes: expect.any(Number) };
    expect(stats.containers[0]).toEqual({ name: 'nginx', startTime: time, cpu, memory: { time, usageBytes: expect.any(Number), workingSetBytes: expect.any(Number) }, rootfs: fs, logs: fs });
    expect(stats['ephemeral-storage']).toEqual(fs);
  });

  it("adds up the node's usage: its pods plus the system's, memory.availableBytes being 8 Gi less the working set, and the images on its disk", () => {
    const { cluster } = clusterWithWeb();
    const { node, pods } = cluster.kubectl.request(summaryOf('node-1')).body as Summary;
    const podsCpu = pods.reduce((sum, p) => sum + p.cpu.usageNanoCores, 0);
    const podsMemory = pods.reduce((sum, p) => sum + p.memory.workingSetBytes, 0);
    // What runs outside the pods (kubelet, containerd, system): some 25m and 350 MiB.
    expect((node.cpu.usageNanoCores - podsCpu) / 1e6).toBeGreaterThan(20);
    expect((node.cpu.usageNanoCores - podsCpu) / 1e6).toBeLessThan(30);
    expect((node.memory.workingSetBytes - podsMemory) / 1024 ** 2).toBeGreaterThan(290);
    expect((node.memory.workingSetBytes - podsMemory) / 1024 ** 2).toBeLessThan(410);
    expect(node.memory.availableBytes).toBe(8 * 1024 ** 3 - node.memory.workingSetBytes);
    // nginx:1.27, busybox:1.36, kube-proxy's image and the pause image; nothing written to the containers' layers.
    expect(node.runtime.imageFs.usedBytes).toBe(72_195_292 + 2_155_000 + 30_900_000 + 320_368);
    // One disk: the node's filesystem holds the images, the log files, the volumes (the projected namespace file) and containerd's sandbox files (resolv.conf).
    const logs = pods.flatMap((p) => p.containers).reduce((sum, c) => sum + c.logs!.usedBytes, 0);
    const volumes = pods.flatMap((p) => p.volume!).reduce((sum, v) => sum + v.usedBytes, 0);
    const sandboxFiles = cluster.kubelets.find((k) => k.node.name === 'node-1')!.hostFs.usedBytes('/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes');
    expect(logs).toBeGreaterThan(0);
    expect(sandboxFiles).toBeGreaterThan(0);
    expect(node.fs.usedBytes).toBe(node.runtime.imageFs.usedBytes + logs + volumes + sandboxFiles);
    expect(node.fs.availableBytes).toBe(node.fs.capacityBytes - node.fs.usedBytes);
    expect(node.runtime.imageFs.availableBytes).toBe(node.fs.availableBytes);
  });

  it("counts what a pod writes: dd into an emptyDir shows as the volume's usedBytes, into the container's own files as its rootfs, both in the pod's ephemeral-storage and the node's fs", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(DISK_WRITER);
    const writerPod = () => cluster.kubectl.getObjects<Pod>('pods', 'writer')[0];
    cluster.runUntil(() => writerPod()?.status?.phase === 'Running', 20_000);
    const nodeName = writerPod().spec.nodeName!;
    const before = (cluster.kubectl.request(summaryOf(nodeName)).body as Summary).node.fs.usedBytes;
    cluster.runFor(5_000);
    const { node, pods } = cluster.kubectl.request(summaryOf(nodeName)).body as Summary;
    const writer = pods.find((p) => p.podRef.name === 'writer')!;
    const MiB = 1024 ** 2;
    expect(writer.volume!.find((v) => v.name === 'cache')!.usedBytes).toBe(300 * MiB);
    const c = writer.containers[0];
    expect(c.rootfs!.usedBytes).toBe(200 * MiB);
    expect(c.logs!.usedBytes).toBeGreaterThan(0); // dd's status lines
    const projected = writer.volume!.filter((v) => v.name !== 'cache').reduce((sum, v) => sum + v.usedBytes, 0);
    expect(writer['ephemeral-storage']!.usedBytes).toBe(500 * MiB + c.logs!.usedBytes + projected);
    expect(node.fs.usedBytes - before).toBe(500 * MiB + c.logs!.usedBytes);
  });

  it("shows the kubelet's answer in the trace as a connection the API server opens to it", () => {
    const { cluster } = clusterWithWeb();
    const from = cluster.trace.all().length;
    cluster.kubectl.request(summaryOf('node-1'));
    const lines = cluster.trace.all().slice(from).filter((e) => e.kind === 'message').map((e) => `${e.actor} ${e.summary}`);
    expect(lines).toContain('kube-apiserver GET /stats/summary');
  });

  it('asks RBAC for get on nodes/proxy: a user without it is refused', () => {
    const cluster = createCluster({ seed: 1 });
    const res = cluster.kubectlAs({ username: 'bob', groups: [] }).request(summaryOf('node-1'));
    expect([res.code, (res.body as { message: string }).message]).toEqual([403, 'nodes "node-1" is forbidden: User "bob" cannot get resource "nodes/proxy" in API group "" at the cluster scope']);
  });

  it('answers 404 for a node that does not exist, and for a path the lab’s kubelet does not serve', () => {
    const cluster = createCluster({ seed: 1 });
    expect(cluster.kubectl.request(summaryOf('node-9')).code).toBe(404);
    expect(cluster.kubectl.request({ ...summaryOf('node-1'), path: 'healthz' }).code).toBe(404);
  });
});
