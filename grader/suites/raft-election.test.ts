/**
 * Grader suite for exercise `raft-election` (exercises/raft/election.ts, Part 1: leader election).
 *
 * First the paper, sentence by sentence, each test on one node driven by hand (in the style of
 * etcd's raft_paper_test.go) and citing its section. Then MIT 6.5840's lab 3A scenarios on
 * whole simulated clusters, each on several seeds (KUBELAB_SEEDS=n runs n of them). Every run
 * is deterministic: a failure prints its seed, the command that replays exactly that run, and
 * what each peer was in its last seconds. Raft's safety is checked on every run, all along.
 */
import { describe, expect, it } from 'vitest';
import { BenchNode, brief } from '../../lab-kernel/raft/bench-node';
import { check, ELECTION_TIMEOUT_MS } from '../../lab-kernel/raft/raft-cluster';
import type { NewRaft } from '../../lab-kernel/raft/types';
import { SEED, slotUnderTest } from '../harness';
import { raftSuite } from '../raft-suite';

const EXERCISE = 'raft-election';

/** The Raft under test; if it cannot even be loaded, every test fails with the reason. */
const newRaft: NewRaft = slotUnderTest('raft');

/** Part 1 has no check of its own to run first: every test starts from an election. */
const { scenario } = raftSuite(EXERCISE, newRaft, () => undefined);


/** Node `id` of a cluster a, b, c (or `peers`), brand new. */
function bench(id = 'a', peers = ['a', 'b', 'c'], seed = SEED): BenchNode {
  return new BenchNode(newRaft, { id, peers, seed });
}

describe('the paper, sentence by sentence', () => {
  it('§5.2: a node starts as a follower; when it hears from no leader for an election timeout, it becomes a candidate, votes for itself and asks every other server for its vote', () => {
    const n = bench();
    expect(n.status(), 'a brand-new node').toMatchObject({ role: 'follower', term: 0, lead: null });
    n.tick(2 * 10);
    expect(n.status(), 'after two election timeouts without a leader').toMatchObject({ role: 'candidate', term: 1, vote: 'a' });
    expect(n.take().messages.map(brief), 'what it sends').toEqual(['MsgVote a->b t1', 'MsgVote a->c t1']);
  });

  it('§5.2: election timeouts are chosen randomly from [electionTimeout, 2 × electionTimeout), here 10 to 19 ticks', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 100; seed++) seen.add(bench('a', ['a', 'b', 'c'], seed).ticksUntilMessages(40));
    const ticks = [...seen].sort((x, y) => x - y);
    expect(ticks.every((t) => t >= 10 && t < 20), `ticks before campaigning, over 100 seeds: ${ticks.join(', ')}`).toBe(true);
    expect(ticks.length, `so many different timeouts over 100 seeds (${ticks.join(', ')}): they must be random, not fixed`).toBeGreaterThanOrEqual(8);
  });

  it('§5.2: a candidate whose election times out (a split vote) starts a new election, in the next term', () => {
    const n = bench();
    n.campaign();
    n.take();
    const ticks = n.ticksUntilMessages(40);
    expect(ticks, 'ticks until the new election').toBeGreaterThanOrEqual(10);
    expect(n.status()).toMatchObject({ role: 'candidate', term: 2, vote: 'a' });
  });

  it('§5.2: a candidate that wins votes from a majority becomes leader, and at once tells every other server (AppendEntries with its empty entry)', () => {
    const n = bench();
    n.campaign();
    n.take();
    n.step('MsgVoteResp', 'b', { term: 1 });
    expect(n.status()).toMatchObject({ role: 'leader', term: 1, lead: 'a' });
    const out = n.take().messages;
    expect(out.map((m) => `${m.type} ${m.from}->${m.to} t${m.term}`), 'what the new leader sends').toEqual(['MsgApp a->b t1', 'MsgApp a->c t1']);
  });

  it('§5.2, as etcd does it: a candidate that a majority refuses goes back to being a follower, rather than waiting for its election to time out', () => {
    const n = bench('a', ['a', 'b', 'c', 'd', 'e']);
    n.campaign();
    for (const voter of ['b', 'c', 'd']) n.step('MsgVoteResp', voter, { term: 1, reject: true });
    expect(n.status()).toMatchObject({ role: 'follower', term: 1 });
  });

  it('§5.2: a leader sends heartbeats to every follower each heartbeat interval (one tick)', () => {
    const n = bench();
    n.campaign();
    n.step('MsgVoteResp', 'c', { term: 1 });
    n.take();
    n.tick();
    expect(n.take().messages.map(brief)).toEqual(['MsgHeartbeat a->b t1', 'MsgHeartbeat a->c t1']);
  });

  it('§5.2: a follower that keeps hearing heartbeats from its leader never starts an election', () => {
    const n = bench();
    for (let t = 0; t < 100; t++) {
      n.tick();
      n.step('MsgHeartbeat', 'b', { term: 1 });
      const sent = n.take().messages;
      expect(sent.map((m) => m.type), `after ${t + 1} ticks`).toEqual(['MsgHeartbeatResp']);
    }
    expect(n.status()).toMatchObject({ role: 'follower', term: 1, lead: 'b' });
  });

  it('§5.2: each server votes for at most one candidate in a term, first come first served', () => {
    const n = bench();
    n.step('MsgVote', 'b', { term: 1 });
    n.step('MsgVote', 'c', { term: 1 });
    n.step('MsgVote', 'b', { term: 1 });
    expect(n.take().messages.map(brief)).toEqual(['MsgVoteResp a->b t1', 'MsgVoteResp a->c t1 reject hint 0', 'MsgVoteResp a->b t1']);
    expect(n.status().vote).toBe('b');
  });

  it('§5.2 and Figure 2: a vote is on disk before it is sent — the Ready that carries it also carries the hard state that records it', () => {
    const n = bench();
    n.step('MsgVote', 'c', { term: 1 });
    const { readies } = n.take();
    const withVote = readies.find((rd) => rd.messages.some((m) => m.type === 'MsgVoteResp'));
    expect(withVote?.hardState, 'the hard state in the Ready that sends the vote').toEqual({ term: 1, vote: 'c', commit: 0 });
  });

  it('§5.2: a candidate that hears from a leader of its own term (or a later one) recognizes it and becomes a follower', () => {
    for (const term of [1, 2]) {
      const n = bench();
      n.campaign();
      n.step('MsgHeartbeat', 'b', { term });
      expect(n.status(), `heartbeat of term ${term}`).toMatchObject({ role: 'follower', term, lead: 'b' });
    }
  });

  it('§5.1: a server that sees a larger term takes it, and a candidate or leader that does becomes a follower', () => {
    const candidate = bench();
    candidate.campaign();
    candidate.step('MsgVote', 'c', { term: 5 });
    expect(candidate.status(), 'a candidate of term 1 asked for a vote in term 5').toMatchObject({ role: 'follower', term: 5 });
    const leader = bench();
    leader.campaign();
    leader.step('MsgVoteResp', 'b', { term: 1 });
    leader.step('MsgHeartbeat', 'c', { term: 3 });
    expect(leader.status(), 'a leader of term 1 hearing from a leader of term 3').toMatchObject({ role: 'follower', term: 3, lead: 'c' });
  });

  it('§5.1: a request with a stale term is rejected: the server ignores it and keeps its term, its vote and its leader', () => {
    const n = bench();
    n.step('MsgHeartbeat', 'b', { term: 2 });
    n.take();
    n.step('MsgVote', 'c', { term: 1 });
    n.step('MsgHeartbeat', 'c', { term: 1 });
    expect(n.take().messages.map(brief), 'what it answers').toEqual([]);
    expect(n.status()).toMatchObject({ role: 'follower', term: 2, lead: 'b', vote: null });
  });
});

describe('leader election on a simulated cluster (6.5840 lab 3A)', () => {
  scenario('three peers elect exactly one leader, agree on its term, and keep both while nothing fails', { peers: 3, runs: 10 }, (c) => {
    c.checkOneLeader();
    c.runFor(50);
    const term1 = c.checkTerms();
    check(term1 >= 1, `the peers to be in term 1 or later once a leader is elected, but they are in term ${term1}`);
    c.runFor(2 * ELECTION_TIMEOUT_MS);
    const term2 = c.checkTerms();
    check(term1 === term2, `the term to stay ${term1} while no peer fails and no message is lost, but it moved to ${term2}`);
    c.checkOneLeader();
  });

  scenario('a new leader is elected when the leader is cut off; the old one rejoins as a follower; without a majority nobody leads', { peers: 3, runs: 10 }, (c) => {
    const leader1 = c.checkOneLeader();
    c.disconnect(leader1);
    c.checkOneLeader();
    c.connect(leader1);
    const leader3 = c.checkOneLeader();
    check(!c.isLeader(leader1) || leader3 === leader1, `the old leader ${c.names[leader1]} to step down once it hears of the later term`);
    c.disconnect(leader3);
    c.disconnect((leader3 + 1) % 3);
    c.runFor(2 * ELECTION_TIMEOUT_MS);
    c.checkNoLeader();
    c.connect((leader3 + 1) % 3);
    c.checkOneLeader();
    c.connect(leader3);
    c.checkOneLeader();
  });

  scenario('seven peers, three of them cut off at random again and again: the four others always have a leader', { peers: 7, runs: 5 }, (c) => {
    const rng = c.sim.rng('scenario');
    c.checkOneLeader();
    for (let round = 1; round < 10; round++) {
      const cut = [rng.int(7), rng.int(7), rng.int(7)];
      for (const i of cut) c.disconnect(i);
      c.checkOneLeader();
      for (const i of cut) c.connect(i);
    }
    c.checkOneLeader();
  });
});
