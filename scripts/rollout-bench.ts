/**
 * The rolling-update benchmark: a 1,000-replica Deployment across 100 nodes, its pods behind a
 * readiness probe, moves from nginx 1.14.2 to 1.16.1 with the default maxSurge and
 * maxUnavailable (25% each), through every component: the Deployment and ReplicaSet
 * controllers, the scheduler, the kubelets and their probes.
 *
 *   npx ts-node --transpile-only scripts/rollout-bench.ts            # 100 nodes, 1,000 replicas
 *   npx ts-node --transpile-only scripts/rollout-bench.ts 20 200     # nodes, replicas
 *
 * Measured: wall-clock seconds from the image change to the rollout's end (every replica
 * updated and available, no old one left), and the virtual time that took. The first rollout
 * (from nothing to 1,000 ready pods) runs before, unmeasured.
 */
import { createCluster } from '../lab-kernel/cluster/cluster';
import type { Deployment } from '../lab-kernel/api/types';

export interface RolloutBenchResult {
  nodes: number;
  replicas: number;
  /** Wall-clock seconds from the image change to the end of the rollout. */
  seconds: number;
  /** Virtual ms the rollout took. */
  virtualMs: number;
}

const VIRTUAL_LIMIT_MS = 1_800_000;

export function rolloutBench(nodes: number, replicas: number): RolloutBenchResult {
  const cluster = createCluster({ seed: 1, workers: nodes });
  cluster.apply(`apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        resources: { requests: { cpu: 10m, memory: 10Mi } }
        readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 5 }
`);
  const deployment = () => cluster.apiServer.cache.list('deployments', 'default')[0] as Readonly<Deployment>;
  // Checked every 100 ms of virtual time: a check after every event would cost more than the cluster.
  const rolledOut = () => {
    const d = deployment();
    const s = d.status ?? {};
    return (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && s.updatedReplicas === replicas && s.availableReplicas === replicas && s.replicas === replicas;
  };
  const waitForRollout = (what: string) => {
    const t0 = cluster.now();
    while (!rolledOut() && cluster.now() - t0 < VIRTUAL_LIMIT_MS) cluster.runFor(100);
    if (!rolledOut()) throw new Error(`${what}: not rolled out after ${VIRTUAL_LIMIT_MS / 1000} s of virtual time: ${JSON.stringify(deployment().status)}`);
    return cluster.now() - t0;
  };
  waitForRollout('the first rollout');
  const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
  cluster.kubectl.patch('deployments', 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.16.1' }] } } } });
  const virtualMs = waitForRollout('the update to nginx:1.16.1');
  return { nodes, replicas, seconds: Number(process.hrtime.bigint() - started) / 1e9, virtualMs };
}

export function describeRolloutBench(r: RolloutBenchResult): string {
  return `${String(r.nodes).padStart(4)} nodes, ${String(r.replicas).padStart(5)} replicas: rolling update done in ${r.seconds.toFixed(2)} s wall (${(r.virtualMs / 1000).toFixed(1)} s virtual)`;
}

if (require.main === module) {
  const [n, p] = process.argv.slice(2).map(Number);
  console.log(describeRolloutBench(rolloutBench(n || 100, p || 1000)));
}
