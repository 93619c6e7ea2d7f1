import type { KvInput, KvOutput, Operation } from '../check/linearizability';
import type { ReceivedBatch } from '../check/watch-checks';
import { receivedBatch } from '../check/watch-checks';
import type { NewRaft } from '../raft/types';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import type { RangeResult, TxnResult } from '../store/mvcc-store';
import { EtcdClient } from './etcd-client';
import { EtcdCluster } from './etcd-cluster';
import type { EtcdRaftOptions } from './etcd-member';

/**
 * A Jepsen-style workload against a replicated etcd: clients issue gets, puts and
 * compare-and-swaps on a few keys while a nemesis crashes members and partitions the network;
 * every operation is recorded with the virtual times it was called and answered. An operation
 * that failed or timed out is recorded as having an unknown outcome: it may still have taken
 * effect. The history then goes to the linearizability checker (lab-kernel/check/).
 *
 *   const run = runWorkload(newRaft, { seed: 3, members: 3, clients: 4, operations: 300 });
 *   checkLinearizability(kvModel, run.history)   // => { result: 'linearizable', ... }
 *   checkWatchStreams(run.changes, [run.watcher]) // => []
 */
export interface WorkloadOptions {
  seed: number;
  members: number;
  clients: number;
  /** Operations in all, spread over the clients. */
  operations: number;
  keys?: number;
  /** Crash, restart and partition members while the clients run. */
  nemesis?: boolean;
  /** The members' Raft options (default: neither pre-vote nor check-quorum). */
  raft?: EtcdRaftOptions;
}

export interface WorkloadRun {
  history: Operation<KvInput, KvOutput>[];
  /** What a watcher on the whole key space received, session by session (one session here). */
  watched: ReceivedBatch[];
  etcd: EtcdCluster;
  sim: Simulation;
}

const NEMESIS_EVERY_MS = 1_000;

export function runWorkload(newRaft: NewRaft, options: WorkloadOptions): WorkloadRun {
  const sim = new Simulation({ seed: options.seed });
  const net = new Network(sim);
  const etcd = new EtcdCluster(sim, net, newRaft, options.members, undefined, options.raft);
  sim.runUntil(() => etcd.leader() !== undefined, 10_000);
  const rng = sim.rng('workload');
  const keys = Array.from({ length: options.keys ?? 3 }, (_, i) => `/w/k${i}`);
  const history: Operation<KvInput, KvOutput>[] = [];
  const watched: ReceivedBatch[] = [];
  const watcher = new EtcdClient(sim, net, etcd, 'watcher');
  watcher.watch('/w/', { prefix: true, fromRevision: 1 }, (events, revision) => watched.push(receivedBatch(events, revision)), () => undefined);

  let issued = 0;
  let open = 0;
  const client = (id: number) => {
    const c = new EtcdClient(sim, net, etcd, `client-${id}`);
    const next = () => {
      if (issued >= options.operations) return;
      issued++;
      open++;
      const key = rng.pick(keys);
      const call = sim.now();
      const finish = (op: Operation<KvInput, KvOutput>) => {
        history.push(op);
        open--;
        sim.after(rng.between(50, 150), next); // think time: the run spans many nemesis steps
      };
      const unknown = (input: KvInput) => finish({ clientId: id, input, call, outcome: 'unknown' });
      const roll = rng.int(3);
      if (roll === 0) {
        const input: KvInput = { op: 'get', key };
        c.range(key, { prefix: false }, 'get', (r) => {
          if (r instanceof Error) return unknown(input);
          const kv = (r as RangeResult).kvs[0];
          finish({ clientId: id, input, call, outcome: 'returned', output: { op: 'get', value: kv?.value, modRevision: kv?.modRevision }, return: sim.now() });
        });
      } else if (roll === 1) {
        const input: KvInput = { op: 'put', key, value: `${id}-${issued}` };
        c.txn([], [{ type: 'put', key, value: input.value }], 'put', (r) => {
          if (r instanceof Error) return unknown(input);
          finish({ clientId: id, input, call, outcome: 'returned', output: { op: 'put', revision: (r as TxnResult).revision }, return: sim.now() });
        });
      } else {
        const expect = `${rng.int(options.clients)}-${rng.int(Math.max(1, issued))}`;
        const input: KvInput = { op: 'cas', key, compare: { target: 'value', value: expect }, value: `${id}-${issued}` };
        c.txn([{ key, target: 'value', op: '=', value: expect }], [{ type: 'put', key, value: input.value }], 'cas', (r) => {
          if (r instanceof Error) return unknown(input);
          const t = r as TxnResult;
          finish({ clientId: id, input, call, outcome: 'returned', output: { op: 'cas', succeeded: t.succeeded, ...(t.succeeded ? { revision: t.revision } : {}) }, return: sim.now() });
        });
      }
    };
    next();
  };
  for (let i = 0; i < options.clients; i++) client(i);

  if (options.nemesis) {
    const nemesis = () => {
      if (issued >= options.operations && open === 0) return;
      net.heal();
      const down = etcd.names.filter((n) => etcd.member(n) === undefined);
      for (const n of down) etcd.start(n);
      const roll = rng.int(3);
      const victim = rng.pick(etcd.names);
      if (roll === 0) etcd.crash(victim);
      else if (roll === 1) net.isolate(victim);
      sim.after(NEMESIS_EVERY_MS, nemesis);
    };
    sim.after(NEMESIS_EVERY_MS, nemesis);
  }
  sim.runUntil(() => issued >= options.operations && open === 0, 600_000);
  // Heal everything and let the watcher catch up before the streams are compared.
  net.heal();
  for (const n of etcd.names) if (etcd.member(n) === undefined) etcd.start(n);
  sim.runFor(5_000);
  return { history, watched, etcd, sim };
}
