/**
 * The scheduler benchmark, in the shape of scheduler_perf's SchedulingBasic
 * (test/integration/scheduler_perf/config/performance-config.yaml, the 5000Nodes workload):
 *
 *   5000 nodes (4 CPU, 32 GiB, 110 pods each), 1000 pods already bound, then 10000 pending pods
 *   (100m CPU, 500 MiB each) — all created through the simulated API server; the scheduler
 *   sees them through its informers' watch, schedules them and binds each with
 *   POST pods/<name>/binding, and we count bound pods per wall-clock second.
 *
 *   npx ts-node --transpile-only scripts/scheduler-bench.ts
 *
 * No kubelets and no controllers: as in scheduler_perf, only the API server and the scheduler
 * run. Kubernetes' CI fails the 5000-node SchedulingBasic below 270 pods/s.
 */
import type { Node, Pod } from '../lab-kernel/api/types';
import { ApiServer } from '../lab-kernel/apiserver/api-server';
import type { ApiRequest } from '../lab-kernel/api/request';
import { LocalEtcd } from '../lab-kernel/etcd/storage';
import { Client } from '../lab-kernel/client/client';
import { Scheduler } from '../lab-kernel/scheduler/scheduler';
import { Network } from '../lab-kernel/sim/network';
import { Simulation } from '../lab-kernel/sim/simulation';
import { MvccStore } from '../lab-kernel/store/mvcc-store';
import { exerciseCode } from '../lab-kernel/cluster/exercise-code';

export interface SchedulerBenchResult {
  nodes: number;
  initialPods: number;
  measuredPods: number;
  /** Wall-clock seconds from the first pending pod's creation until the last one is bound. */
  seconds: number;
  podsPerSecond: number;
}

function node(i: number): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}` } },
    spec: {},
    status: {
      capacity: { cpu: '4', memory: '32Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '32Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

function pod(name: string, nodeName?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' }, limits: { cpu: '100m', memory: '500Mi' } } }],
    },
  };
}

export function schedulerBench(nodes = 5000, initialPods = 1000, measuredPods = 10000): SchedulerBenchResult {
  const sim = new Simulation({ seed: 1 });
  const net = new Network(sim);
  const api = new ApiServer(sim, net, new LocalEtcd(sim, new MvccStore(), 'kube-apiserver'));
  api.bootstrap();
  const admin = new Client('bench', net, api);
  let pending = 0;
  const create = (req: ApiRequest) => {
    pending++;
    admin.request(req, (res) => {
      pending--;
      if (res.code !== 201) throw new Error(`${req.verb} ${req.resource}: ${res.code} ${JSON.stringify(res.body)}`);
    });
  };
  const settle = () => sim.runUntil(() => pending === 0, 3_600_000);

  for (let i = 0; i < nodes; i++) create({ verb: 'create', resource: 'nodes', body: node(i) });
  settle();
  for (let i = 0; i < initialPods; i++) create({ verb: 'create', resource: 'pods', namespace: 'default', body: pod(`init-${i}`, `node-${i % nodes}`) });
  settle();

  const code = exerciseCode({});
  const scheduler = new Scheduler(sim, new Client('kube-scheduler', net, api, { reflectorStep: code.reflector, relistDiff: code.relist }), { code, recordDecisions: 0 });
  scheduler.start();
  sim.runUntil(() => scheduler.hasSynced() && scheduler.cache.nodeCount() === nodes, 600_000);

  let bound = 0;
  scheduler.pods.addEventHandler({ onUpdate: (old, p) => void (!old.spec.nodeName && p.spec.nodeName && bound++) });
  const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
  for (let i = 0; i < measuredPods; i++) create({ verb: 'create', resource: 'pods', namespace: 'default', body: pod(`pod-${i}`) });
  sim.runUntil(() => bound >= measuredPods, 3_600_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (bound < measuredPods) throw new Error(`only ${bound} of ${measuredPods} pods were bound`);
  return { nodes, initialPods, measuredPods, seconds, podsPerSecond: measuredPods / seconds };
}

/** One line: `SchedulingBasic 5000 nodes, 1000 existing pods: 10000 pods in 12.3 s = 812 pods/s`. */
export function describeSchedulerBench(r: SchedulerBenchResult): string {
  return `SchedulingBasic ${r.nodes} nodes, ${r.initialPods} existing pods: ${r.measuredPods} pods in ${r.seconds.toFixed(1)} s = ${Math.round(r.podsPerSecond)} pods/s (Kubernetes CI floor: 270)`;
}

if (require.main === module) {
  console.log(describeSchedulerBench(schedulerBench()));
}
