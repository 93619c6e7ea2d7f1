/**
 * The whole-cluster benchmark: a ReplicaSet's pods from `kubectl apply` to all Running, on
 * clusters of growing size (the default 10 pods per node), through every component: the API
 * server and its watch cache, the controller manager, the scheduler and the kubelets.
 *
 *   npx ts-node --transpile-only scripts/cluster-bench.ts            # 100 / 1,000 and 200 / 2,000
 *   npx ts-node --transpile-only scripts/cluster-bench.ts 50 500     # one size: nodes, pods
 *
 * For each size: wall-clock seconds (boot excluded), the virtual time it took, the heap it
 * holds afterwards and the trace's size, each per pod. A small cluster (10 nodes, 100 pods)
 * runs first, unmeasured, so that the measured runs find the kernel's hot paths compiled by
 * the JIT, as they are in a notebook after its first cells (cold, the 100-node run takes
 * about 15% longer). Doubling the cluster should cost at
 * most about twice the time: the cost grows with the cluster, not with its square.
 */
import { createCluster } from '../lab-kernel/cluster/cluster';

export interface ClusterBenchResult {
  nodes: number;
  pods: number;
  /** Wall-clock seconds from apply to every pod Running. */
  seconds: number;
  /** CPU seconds this process spent meanwhile (steadier than wall time on a busy machine). */
  cpuSeconds: number;
  /** Virtual ms that took. */
  virtualMs: number;
  /** Heap in use after the run (after a garbage collection when node runs with --expose-gc), in bytes. */
  heapBytes: number;
  traceEvents: number;
  /** The trace as JSON, in bytes. */
  traceBytes: number;
}

export function clusterBench(nodes: number, pods: number): ClusterBenchResult {
  const cluster = createCluster({ seed: 1, workers: nodes });
  const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
  const cpu = process.cpuUsage();
  const t0 = cluster.now();
  cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: load, namespace: default }
spec:
  replicas: ${pods}
  selector: { matchLabels: { app: load } }
  template:
    metadata: { labels: { app: load } }
    spec: { containers: [{ name: app, image: registry.k8s.io/pause:3.10, resources: { requests: { cpu: 10m, memory: 10Mi } } }] }
`);
  const running = () => cluster.apiServer.cache.list('pods', 'default').filter((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running').length;
  // Checked every 20 ms of virtual time: a check after every event would cost more than the
  // cluster. And at first only in the trace, where each kubelet says `pod <key> is Running` just
  // before it writes that status: reading a thousand pods from the API server's cache at every
  // check cost the benchmark a twentieth of what it measures. Once every pod got that far, the
  // API server's copies decide, at the same 20 ms steps, so the run ends where it always did.
  const trace = cluster.trace;
  let read = trace.length;
  let saidRunning = 0;
  const kubeletsSaidRunning = () => {
    for (; read < trace.length; read++) {
      const e = trace.at(read)!;
      if (e.kind === 'action' && e.summary.startsWith('pod default/load-') && e.summary.includes(' is Running (')) saidRunning++;
    }
    return saidRunning >= pods;
  };
  while (!kubeletsSaidRunning() && cluster.now() - t0 < 600_000) cluster.runFor(20);
  while (running() < pods && cluster.now() - t0 < 600_000) cluster.runFor(20);
  const done = running() >= pods;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  if (!done) throw new Error(`only ${running()} of ${pods} pods Running after 600 s of virtual time`);
  (globalThis as { gc?: () => void }).gc?.();
  // The heap before the trace is read: reading makes an object of every event.
  const heapBytes = process.memoryUsage().heapUsed;
  const events = cluster.trace.all();
  let traceBytes = 0;
  for (const e of events) traceBytes += JSON.stringify(e).length + 1;
  return { nodes, pods, seconds, cpuSeconds, virtualMs: cluster.now() - t0, heapBytes, traceEvents: events.length, traceBytes };
}

/** The unmeasured first run: it warms the JIT up. */
export function warmUpClusterBench(): void {
  clusterBench(10, 100);
}

export function describeClusterBench(r: ClusterBenchResult): string {
  const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
  return (
    `${String(r.nodes).padStart(4)} nodes, ${String(r.pods).padStart(5)} pods: all Running in ${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s CPU (${(r.virtualMs / 1000).toFixed(1)} s virtual); ` +
    `heap ${Math.round(r.heapBytes / 2 ** 20)} MB (${kb(r.heapBytes / r.pods)}/pod); trace ${r.traceEvents.toLocaleString('en-US')} events, ${kb(r.traceBytes / r.pods)}/pod`
  );
}

if (require.main === module) {
  const [n, p] = process.argv.slice(2).map(Number);
  const sizes = n && p ? [[n, p]] : [[100, 1000], [200, 2000]];
  warmUpClusterBench();
  const results = sizes.map(([nodes, pods]) => clusterBench(nodes, pods));
  for (const r of results) console.log(describeClusterBench(r));
  if (results.length === 2) console.log(`doubling the cluster cost ${(results[1].seconds / results[0].seconds).toFixed(2)}x the time`);
}
