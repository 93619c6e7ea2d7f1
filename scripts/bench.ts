/**
 * `npm run bench`: how fast the simulated etcd is, in wall-clock terms, on this machine.
 *
 *   raft:  the reference Raft alone, 5 nodes on an in-memory network (the state machine's own speed);
 *          then a 5-member replicated etcd on the simulated network and disks, on the reference Raft
 *          as the cluster runs it (cluster/exercise-code.ts: implementation) — entries committed per second
 *   store: put 100,000 keys, get them, range a prefix — operations per second, next to a plain Map
 *   scheduler: scheduler_perf's SchedulingBasic, 5000 nodes — pods scheduled per second (scheduler-bench.ts)
 *   kubelets: 100 nodes idling through a virtual hour; a full node, 109 pods beside its kube-proxy (kubelet-bench.ts)
 *   cluster: a ReplicaSet's pods from apply to all Running, 100 nodes / 1,000 pods and 200 / 2,000,
 *            with heap and trace per pod: after an unmeasured warm-up run, the fastest of three runs
 *            of each size, taken in turn (cluster-bench.ts)
 *   rollout: a 1,000-replica Deployment's rolling update across 100 nodes (rollout-bench.ts)
 *   kube-proxy: one iptables-mode sync of 1,000 Services with 10 endpoints each (proxy-bench.ts)
 *   Services: 10,000 traced requests from pods to a ClusterIP with 10 endpoints on 3 nodes (service-bench.ts)
 *
 * Numbers vary with the machine; rerun to compare a change against its parent commit.
 */
import { raftBench } from '../lab-kernel/raft/raft-bench';
import { newRaft as reference } from '../solutions/raft/raft';
import { EtcdClient } from '../lab-kernel/etcd/etcd-client';
import { EtcdCluster } from '../lab-kernel/etcd/etcd-cluster';
import { Network } from '../lab-kernel/sim/network';
import { Simulation } from '../lab-kernel/sim/simulation';
import { implementation } from '../lab-kernel/cluster/exercise-code';
import { MvccStore } from '../lab-kernel/store/mvcc-store';
import { clusterBenchSizes, describeDoubling, describeRuns } from './cluster-bench';
import { describeIpvsBench, ipvsBench } from './ipvs-bench';
import { describeKubeletBench, fullNodeBench, idleHourBench } from './kubelet-bench';
import { describeProxyBench, proxyBench } from './proxy-bench';
import { describeRolloutBench, rolloutBench } from './rollout-bench';
import { describeSchedulerBench, schedulerBench } from './scheduler-bench';
import { describeServiceBench, serviceBench } from './service-bench';
import { pinTraces } from './trace-pins-record';

interface Result {
  name: string;
  ops: number;
  seconds: number;
}

function measure(name: string, ops: number, run: () => void): Result {
  const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
  run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { name, ops, seconds };
}

function storeBench(n: number): Result[] {
  const keys = Array.from({ length: n }, (_, i) => `/registry/pods/default/pod-${String(i).padStart(6, '0')}`);
  const value = JSON.stringify({ kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const store = new MvccStore();
  const map = new Map<string, string>();
  return [
    measure('MvccStore.put', n, () => keys.forEach((k) => store.put(k, value))),
    measure('Map.set', n, () => keys.forEach((k) => map.set(k, value))),
    measure('MvccStore.get', n, () => keys.forEach((k) => store.get(k))),
    measure('Map.get', n, () => keys.forEach((k) => map.get(k))),
    measure('MvccStore.range (prefix, 100 keys) x100', 100, () => {
      for (let i = 0; i < 100; i++) store.range(`/registry/pods/default/pod-0001`, { prefix: true });
    }),
  ];
}

function report(title: string, results: Result[]): void {
  console.log(`\n${title}`);
  for (const r of results) {
    const rate = r.ops / r.seconds;
    console.log(`  ${r.name.padEnd(42)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} ops/s  (${r.ops} ops in ${(r.seconds * 1000).toFixed(1)} ms)`);
  }
}

/**
 * Keeps `inFlight` writes outstanding against a 5-member etcd (each write a Raft entry) until
 * `total` have committed, and counts them per wall-clock second.
 */
function etcdBench(total: number, inFlight: number): Result {
  const sim = new Simulation({ seed: 1 });
  const net = new Network(sim);
  const etcd = new EtcdCluster(sim, net, implementation('raft', 'solution'), 5);
  const client = new EtcdClient(sim, net, etcd, 'bench');
  sim.runUntil(() => etcd.leader() !== undefined, 10_000);
  let sent = 0;
  let committed = 0;
  const write = () => {
    const i = sent++;
    client.txn([], [{ type: 'put', key: `/bench/${i % 1000}`, value: String(i) }], 'put', (r) => {
      if (!(r instanceof Error)) committed++;
      if (sent < total) write();
    });
  };
  return measure(`5 members, ${inFlight} writes in flight`, total, () => {
    for (let i = 0; i < inFlight; i++) write();
    sim.runUntil(() => committed >= total, 600_000);
  });
}

const recordPins = pinTraces('bench', 'scripts/bench.ts');
const core = [raftBench('batches of 100', reference, 200_000, 100), raftBench('one at a time', reference, 20_000, 1)];
report('Raft core, 5 nodes, in-memory network: entries committed on every node', core.map((r) => ({ name: r.name, ops: r.committed, seconds: r.seconds })));
report('replicated etcd: Raft entries committed', [etcdBench(3_000, 50)]);
report('etcd store (in memory), 100,000 keys', storeBench(100_000));
console.log(`\nscheduler\n  ${describeSchedulerBench(schedulerBench())}`);
const [small, large] = clusterBenchSizes([[100, 1000], [200, 2000]], 3);
console.log(`\nwhole cluster: a ReplicaSet's pods from apply to all Running (after a warm-up run, the fastest of three runs each)\n  ${describeRuns(small)}\n  ${describeRuns(large)}`);
console.log(`  ${describeDoubling(small, large)}`);
console.log(`\nkubelets\n  ${describeKubeletBench(idleHourBench())}\n  ${describeKubeletBench(fullNodeBench())}`);
console.log(`\nDeployment rolling update, readiness probes, default maxSurge and maxUnavailable\n  ${describeRolloutBench(rolloutBench(100, 1000))}`);
proxyBench(50, 10);
console.log(`\nkube-proxy, iptables mode: one full sync\n  ${describeProxyBench(proxyBench(1000, 10))}`);
console.log(`\nkube-proxy, a connection's first packet: iptables mode against IPVS mode\n  ${[10, 1000, 10_000].map((n) => describeIpvsBench(ipvsBench(n))).join('\n  ')}`);
console.log(`\nService requests through kube-proxy's rules on the packet network\n  ${describeServiceBench(serviceBench())}`);
recordPins();
