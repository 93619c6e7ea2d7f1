/**
 * The kubelet's benchmarks: the kubelet runs on every node, so its cost bounds the lab's scale.
 *
 *   npx ts-node --transpile-only scripts/kubelet-bench.ts
 *
 *   idle:  a 100-node cluster idling through one virtual hour (heartbeats, node status, the
 *          kubelets' own loops): wall-clock seconds for the hour
 *   full node: 109 pods on one worker, from `kubectl apply` of their ReplicaSet to all Running:
 *          wall-clock seconds. The node's default maxPods is 110, and its kube-proxy pod (kubeadm's
 *          DaemonSet) takes one of them, as on a real node: 109 fill it
 *
 * Both boot first, unmeasured. Numbers vary with the machine; rerun to compare a change
 * against its parent commit.
 */
import { createCluster } from '../lab-kernel/cluster/cluster';

export interface KubeletBenchResult {
  name: string;
  /** Wall-clock seconds of the measured part. */
  seconds: number;
  /** Virtual ms it covered. */
  virtualMs: number;
  traceEvents: number;
}

function wall<T>(run: () => T): { seconds: number; result: T } {
  const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
  const result = run();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

/** 100 nodes, nothing to run, one virtual hour. */
export function idleHourBench(nodes = 100): KubeletBenchResult {
  const cluster = createCluster({ seed: 1, workers: nodes });
  const t0 = cluster.now();
  const before = cluster.trace.length;
  const { seconds } = wall(() => cluster.runFor(3_600_000));
  return { name: `${nodes} nodes idle for one virtual hour`, seconds, virtualMs: cluster.now() - t0, traceEvents: cluster.trace.length - before };
}

/** One worker, `pods` pods of one ReplicaSet, from apply to all Running (109: the 110 maxPods less the node's kube-proxy pod). */
export function fullNodeBench(pods = 109): KubeletBenchResult {
  const cluster = createCluster({ seed: 1, workers: 1 });
  const t0 = cluster.now();
  const before = cluster.trace.length;
  const running = () => cluster.apiServer.cache.list('pods', 'default').filter((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running').length;
  const { seconds } = wall(() => {
    cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: full, namespace: default }
spec:
  replicas: ${pods}
  selector: { matchLabels: { app: full } }
  template:
    metadata: { labels: { app: full } }
    spec: { containers: [{ name: app, image: registry.k8s.io/pause:3.10 }] }
`);
    // Checked every 20 ms of virtual time: a check after every event would cost more than the node.
    while (running() < pods && cluster.now() - t0 < 600_000) cluster.runFor(20);
  });
  if (running() < pods) throw new Error(`only ${running()} of ${pods} pods Running after 600 s of virtual time`);
  return { name: `${pods} pods on one node, apply to all Running`, seconds, virtualMs: cluster.now() - t0, traceEvents: cluster.trace.length - before };
}

export function describeKubeletBench(r: KubeletBenchResult): string {
  return `${r.name}: ${r.seconds.toFixed(2)} s wall (${(r.virtualMs / 1000).toFixed(1)} s virtual, ${r.traceEvents.toLocaleString('en-US')} trace events)`;
}

if (require.main === module) {
  for (const r of [idleHourBench(), fullNodeBench()]) console.log(describeKubeletBench(r));
}
