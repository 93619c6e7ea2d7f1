/**
 * How fast the reference Raft commits, in wall-clock terms, on this machine (npm run bench).
 *
 * A 5-node cluster on the in-memory network (every Ready persisted to a memory disk, every
 * entry applied and checked for agreement, logs compacted every 1,000 entries). The leader is
 * given proposals in batches, and the batch is delivered until the cluster is quiet; the count
 * is entries committed and applied on every node, per second. Numbers vary with the machine:
 * compare runs on one machine.
 *
 * Each committed entry costs 16 messages in a 5-node cluster (MsgApp and its answer to each
 * follower, then the new commit index and its answer) and so some 44 calls of the node.
 */
import { MemoryNetwork } from './memory-network';
import type { NewRaft } from './types';

export interface RaftBenchResult {
  name: string;
  /** Entries committed and applied on all 5 nodes. */
  committed: number;
  seconds: number;
  perSecond: number;
}

export function raftBench(name: string, newRaft: NewRaft, proposals: number, batch: number): RaftBenchResult {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const net = new MemoryNetwork(newRaft, { ids, seed: 1, compactEvery: 1000 });
  let lead: string | null = null;
  while (lead === null) {
    net.runFor(1);
    lead = net.leader();
  }
  const before = net.apps.get(lead)!.applied;
  const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
  for (let sent = 0; sent < proposals; ) {
    for (let i = 0; i < batch && sent < proposals; i++, sent++) net.propose(lead, `put /registry/pods/default/pod-${sent}`);
    net.deliver();
  }
  net.runFor(1);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9; // wall-clock: this is a benchmark
  const committed = Math.min(...ids.map((id) => net.apps.get(id)!.applied)) - before;
  if (committed !== proposals) throw new Error(`${name}: ${committed} of ${proposals} proposals committed everywhere`);
  return { name, committed, seconds, perSecond: Math.round(committed / seconds) };
}
