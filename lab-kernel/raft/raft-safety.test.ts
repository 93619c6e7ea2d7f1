/**
 * Randomized, and still deterministic: each seed drives a 5-node cluster of the reference Raft
 * through thousands of ticks of chaos — lost and reordered messages, partitions, crashes and
 * restarts, compactions, proposals and reads everywhere — and checks Raft's guarantees
 * (Figure 3 of the paper, plus reads) all along. A failure names its seed: rerun that seed and
 * the same run happens again, message for message.
 *
 * Checked by the network itself, at every apply (MemoryNetwork):
 *   State Machine Safety  no two nodes apply different entries at one index (nor disagree with
 *                         a snapshot), so a committed entry never changes;
 *   in order              every node applies index after index, with no gap.
 * Checked here, after every tick:
 *   Election Safety       at most one leader per term;
 *   commit only grows     on every node, across crashes too (the commit index is persisted);
 *   linearizable reads    a read's index covers every index known committed when it was asked.
 * And at the end, liveness: healed and restarted, the cluster commits again and every node
 * converges on the same state.
 *
 * The long runs call the reference directly: through the raft slot every call is guarded
 * (copied, and run under a time limit), which costs some 50 µs a call — a hundred times the
 * Raft work. One run goes through the slot too, and must come out exactly the same.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import { MemoryNetwork } from './memory-network';
import { newRaft as reference } from '../../solutions/raft/raft';
import { loadSlot } from '../slots/slots';
import type { NewRaft, NodeId } from './types';

const IDS = ['a', 'b', 'c', 'd', 'e'];

interface Outcome {
  /** Entries committed (and applied everywhere) by the end. */
  committed: number;
  /** Reads answered (and checked). */
  reads: number;
  /** The state every node converged on. */
  state: string;
}

function chaos(newRaft: NewRaft, seed: number, ticks: number): Outcome {
  const rng = new Rng(seed);
  const net = new MemoryNetwork(newRaft, {
    ids: IDS,
    seed,
    dropRate: 0.05,
    reorder: true,
    compactEvery: 25,
    preVote: seed % 2 === 0,
    checkQuorum: seed % 3 === 0,
  });
  const leaderOf = new Map<number, NodeId>();
  const commitOf = new Map<NodeId, number>();
  /** Reads asked and not answered yet: the highest index known committed when each was asked. */
  const reads = new Map<string, number>();
  let answered = 0;
  let proposals = 0;
  const pick = (from: NodeId[]) => from[rng.int(from.length)];
  const down = () => IDS.filter((id) => !net.nodes.has(id));

  for (let t = 0; t < ticks; t++) {
    const r = rng.next();
    if (r < 0.01 && down().length < 2) net.crash(pick(net.running()));
    else if (r < 0.03 && down().length > 0) net.restart(pick(down()));
    else if (r < 0.035) net.partition(IDS.filter(() => rng.next() < 0.4));
    else if (r < 0.06) net.heal();

    for (let k = rng.int(4); k > 0; k--) net.propose(pick(net.running()), `p${proposals++}`);
    if (rng.next() < 0.2) {
      const ctx = `r${t}`;
      const known = Math.max(...net.running().map((id) => net.nodes.get(id)!.status().commit));
      if (net.readIndex(pick(net.running()), ctx)) reads.set(ctx, known);
    }
    net.tick();
    net.deliver();

    for (const id of net.running()) {
      const s = net.nodes.get(id)!.status();
      if (s.role === 'leader') {
        const other = leaderOf.get(s.term);
        if (other !== undefined && other !== id) throw new Error(`seed ${seed}, tick ${t}: ${other} and ${id} both lead term ${s.term}`);
        leaderOf.set(s.term, id);
      }
      if (s.commit < (commitOf.get(id) ?? 0)) throw new Error(`seed ${seed}, tick ${t}: ${id}'s commit went back from ${commitOf.get(id)} to ${s.commit}`);
      commitOf.set(id, s.commit);
      for (const read of net.apps.get(id)!.reads) {
        const atLeast = reads.get(read.requestCtx);
        if (atLeast === undefined) continue;
        if (read.index < atLeast) throw new Error(`seed ${seed}: read ${read.requestCtx} got index ${read.index}, but ${atLeast} was committed before it was asked`);
        reads.delete(read.requestCtx);
        answered++;
      }
    }
  }

  net.heal();
  net.dropRate = 0;
  for (const id of down()) net.restart(id);
  net.runFor(60);
  const lead = net.leader();
  if (lead === null) throw new Error(`seed ${seed}: no leader after healing`);
  net.propose(lead, 'last');
  net.deliver();
  net.runFor(3);
  const final = IDS.map((id) => `${net.apps.get(id)!.applied}:${net.apps.get(id)!.state}`);
  expect(new Set(final).size, `seed ${seed}: every node converges on one state`).toBe(1);
  return { committed: net.apps.get(lead)!.applied, reads: answered, state: net.apps.get(lead)!.state };
}

describe('Raft under chaos (seeded)', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('seed %i: safety holds for 2000 ticks, and the healed cluster converges', (seed) => {
    const { committed, reads } = chaos(reference, seed, 2000);
    expect(committed, 'the run did commit a good deal').toBeGreaterThan(1000);
    expect(reads, 'and answered reads').toBeGreaterThan(50);
  });

  it('is replayable: the same seed gives the same outcome', () => {
    expect(chaos(reference, 3, 1000)).toEqual(chaos(reference, 3, 1000));
  });

  it('runs the same through the raft slot, where every argument and result is copied', () => {
    expect(chaos(loadSlot('raft', 'solution'), 7, 300)).toEqual(chaos(reference, 7, 300));
  }, 60_000);
});
