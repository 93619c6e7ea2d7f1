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
import type { Config, NewRaft } from '../../lab-kernel/raft/types';
import { SEED, slotUnderTest } from '../harness';
import { raftSuite } from '../raft-suite';

const EXERCISE = 'raft-election';

/** The Raft under test; if it cannot even be loaded, every test fails with the reason. */
const newRaft: NewRaft = slotUnderTest('raft');

/** Part 1 has no check of its own to run first: every test starts from an election. */
const { scenario } = raftSuite(EXERCISE, () => undefined);


/** Node `id` of a cluster a, b, c (or `peers`), brand new. */
function bench(id = 'a', peers = ['a', 'b', 'c'], seed = SEED): BenchNode {
  return new BenchNode(newRaft, { id, peers, seed });
}

/** Node a of a cluster a, b, c, brand new, with options: benchWith({ preVote: true }). */
function benchWith(options: Partial<Config>): BenchNode {
  return new BenchNode(newRaft, { id: 'a', peers: ['a', 'b', 'c'], seed: SEED, ...options });
}

/**
 * Node a of a, b, c (or `peers`) with a log of its own, made with nothing but elections: it led
 * term 1 (its empty entry 1), heard of term 2, then led term 3 (entry 2). Its log ends at
 * index 2, term 3; it is the leader of term 3.
 */
function votedInTwice(peers = ['a', 'b', 'c']): BenchNode {
  const n = bench('a', peers);
  n.campaign();
  for (const voter of peers.slice(1, Math.floor(peers.length / 2) + 1)) n.step('MsgVoteResp', voter, { term: 1 });
  n.step('MsgHeartbeat', 'b', { term: 2 });
  n.campaign();
  for (const voter of peers.slice(1, Math.floor(peers.length / 2) + 1)) n.step('MsgVoteResp', voter, { term: 3 });
  n.take();
  return n;
}

describe('the paper, sentence by sentence', () => {
  it('§5.2: a node starts as a follower; when it hears from no leader for an election timeout, it becomes a candidate, votes for itself and asks every other server for its vote', () => {
    const n = bench();
    expect(n.status(), 'a brand-new node').toMatchObject({ role: 'follower', term: 0, lead: null });
    n.tick(2 * 10 - 1); // just under two timeouts: a second timeout (10 ticks at the least) would start another election
    expect(n.status(), 'after almost two election timeouts without a leader').toMatchObject({ role: 'candidate', term: 1, vote: 'a' });
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

describe('votes, majorities and the election restriction, case by case', () => {
  it('§5.2: a candidate wins with votes from a majority — 2 of 3, 3 of 4, 3 of 5 — and gives up once a majority has refused', () => {
    // [voters, answers in order (b, c, d...: true = granted), the candidate's role after each]
    const cases: [number, boolean[], string[]][] = [
      [3, [true], ['leader']],
      [4, [true, true], ['candidate', 'leader']],
      [4, [false, false], ['candidate', 'follower']],
      [5, [true, true], ['candidate', 'leader']],
      [5, [false, false, false], ['candidate', 'candidate', 'follower']],
      [5, [false, true, false, true], ['candidate', 'candidate', 'candidate', 'leader']],
    ];
    for (const [size, answers, roles] of cases) {
      const peers = ['a', 'b', 'c', 'd', 'e'].slice(0, size);
      const n = bench('a', peers);
      n.campaign();
      answers.forEach((granted, i) => {
        n.step('MsgVoteResp', peers[i + 1], { term: 1, reject: !granted });
        const story = answers.slice(0, i + 1).map((g, j) => `${peers[j + 1]} ${g ? 'grants' : 'refuses'}`).join(', ');
        expect(n.status().role, `${size} voters, a votes for itself; ${story}`).toBe(roles[i]);
      });
    }
  });

  it('§5.4.1: a voter grants its vote only to a candidate whose log is at least as up-to-date as its own: the later last term wins; with equal last terms, the longer log', () => {
    // The voter's log ends at index 2, term 3. [candidate's last index, its term, granted]
    const cases: [number, number, boolean][] = [
      [0, 0, false],
      [1, 1, false],
      [5, 1, false],
      [9, 2, false],
      [1, 3, false],
      [2, 3, true],
      [3, 3, true],
      [1, 4, true],
    ];
    for (const [index, logTerm, granted] of cases) {
      const n = votedInTwice();
      n.step('MsgVote', 'c', { term: 4, index, logTerm });
      const answer = n.take().messages.find((m) => m.type === 'MsgVoteResp');
      expect(answer?.reject, `voter's log ends at (2, term 3); a candidate whose log ends at index ${index}, term ${logTerm}: ${granted ? 'granted' : 'refused'}`).toBe(!granted);
    }
  });

  it('§5.2, as etcd does it: a node that grants its vote starts its election timeout over — the candidate it voted for is about to lead', () => {
    // Node a was refusing c (whose log is behind) in term 4; then d asks in the same term.
    const refusedC = () => {
      const n = votedInTwice(['a', 'b', 'c', 'd', 'e']);
      n.step('MsgVote', 'c', { term: 4, index: 0, logTerm: 0 });
      n.take();
      return n;
    };
    const timeout = refusedC().ticksUntilMessages(40);
    const n = refusedC();
    n.tick(timeout - 1);
    n.step('MsgVote', 'd', { term: 4, index: 2, logTerm: 3 });
    expect(n.take().messages.map(brief), 'd is up-to-date: granted').toEqual(['MsgVoteResp a->d t4']);
    n.tick(timeout - 1);
    expect(n.take().messages.map(brief), `then ${timeout - 1} more ticks: its timeout (${timeout} ticks) counts again from the vote`).toEqual([]);
    expect(n.status()).toMatchObject({ role: 'follower', term: 4, vote: 'd' });
  });

  it('§5.4.2 and §8: a new leader at once appends an empty entry of its own term, and sends it to every follower', () => {
    const n = bench();
    n.campaign();
    n.take();
    n.step('MsgVoteResp', 'b', { term: 1 });
    expect(n.status(), 'the new leader').toMatchObject({ role: 'leader', lastIndex: 1 });
    const out = n.take();
    expect(out.entries, 'its entries to persist').toEqual([{ term: 1, index: 1, data: '' }]);
    expect(out.messages.map(brief)).toEqual(['MsgApp a->b t1 [1@1]', 'MsgApp a->c t1 [1@1]']);
  });

  it('§5.2: a follower answers a heartbeat, echoing its context (the leader counts the echoes to confirm reads, §8)', () => {
    const n = bench();
    n.step('MsgHeartbeat', 'b', { term: 1, context: '3' });
    const answers = n.take().messages;
    expect(answers.map((m) => `${brief(m)} context '${m.context}'`)).toEqual(["MsgHeartbeatResp a->b t1 context '3'"]);
  });
});

describe('pre-vote and checkQuorum (etcd; Ongaro’s thesis §9.6)', () => {
  it('pre-vote: a node whose election times out first asks for pre-votes for the next term, without raising its own term or voting', () => {
    const n = benchWith({ preVote: true });
    n.tick(2 * 10 - 1); // just under two timeouts: a second timeout (10 ticks at the least) would start another election
    expect(n.status(), 'after almost two election timeouts without a leader').toMatchObject({ role: 'pre-candidate', term: 0, vote: null });
    expect(n.take().messages.map(brief), 'it asks: would you vote for me in term 1?').toEqual(['MsgPreVote a->b t1', 'MsgPreVote a->c t1']);
    n.step('MsgPreVoteResp', 'b', { term: 1 });
    expect(n.status(), 'a majority would: now it campaigns for real').toMatchObject({ role: 'candidate', term: 1, vote: 'a' });
    expect(n.take().messages.map(brief)).toEqual(['MsgVote a->b t1', 'MsgVote a->c t1']);
  });

  it('pre-vote: granting a pre-vote changes neither the voter’s term, nor its vote, nor its leader', () => {
    const n = benchWith({ preVote: true });
    n.step('MsgHeartbeat', 'b', { term: 1 });
    n.take();
    n.step('MsgPreVote', 'c', { term: 2 });
    expect(n.take().messages.map(brief), 'c’s log is as up-to-date: granted').toEqual(['MsgPreVoteResp a->c t2']);
    expect(n.status()).toMatchObject({ role: 'follower', term: 1, vote: null, lead: 'b' });
  });

  it('pre-vote: a candidate counts only real votes — a late answer to its pre-vote is not a vote', () => {
    const n = benchWith({ preVote: true });
    n.tick(2 * 10 - 1); // just under two timeouts: a second timeout (10 ticks at the least) would start another election
    n.step('MsgPreVoteResp', 'b', { term: 1 });
    n.take();
    n.step('MsgPreVoteResp', 'c', { term: 1 });
    expect(n.status(), 'c’s pre-vote arrives after the real election began').toMatchObject({ role: 'candidate', term: 1 });
  });

  it('checkQuorum: a follower that heard from its leader less than an election timeout ago ignores a vote request, whatever its term', () => {
    const n = benchWith({ checkQuorum: true });
    n.step('MsgHeartbeat', 'b', { term: 1 });
    n.take();
    n.tick(2);
    n.step('MsgVote', 'c', { term: 9 });
    expect(n.take().messages.map(brief), 'its answer to c: none').toEqual([]);
    expect(n.status(), 'b is alive: no need for a new leader').toMatchObject({ role: 'follower', term: 1, lead: 'b' });
  });

  it('checkQuorum: a leader that heard from no majority during an election timeout steps down', () => {
    const n = benchWith({ checkQuorum: true });
    n.campaign();
    n.step('MsgVoteResp', 'b', { term: 1 });
    n.take();
    n.tick(2 * 10 - 1); // just under two timeouts: a second timeout (10 ticks at the least) would start another election
    expect(n.status(), 'a leader no follower answered for almost two election timeouts').toMatchObject({ role: 'follower', term: 1, lead: null });
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

  // With pre-vote, as etcd 3.5 runs by default (--pre-vote=true). Without it, a peer whose log
  // is behind can win no election but still raises the term again and again, and each time the
  // peers that could win restart their election timers (etcd's raft does so on any higher
  // term): with only one or two of four connected peers able to win, a leader may take longer
  // than the scenario allows. Pre-vote is what etcd added to stop exactly that.
  scenario('seven peers, three of them cut off at random again and again: the four others always have a leader', { peers: 7, runs: 5, config: { preVote: true } }, (c) => {
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

  scenario('four peers: two of them are not a majority and elect nobody; three are, and do', { peers: 4, runs: 5 }, (c) => {
    const leader1 = c.checkOneLeader();
    const other = (leader1 + 1) % 4;
    c.disconnect(leader1);
    c.disconnect(other);
    c.runFor(2 * ELECTION_TIMEOUT_MS);
    c.checkNoLeader();
    c.connect(other);
    c.checkOneLeader();
    c.connect(leader1);
    c.checkOneLeader();
  });

  scenario('pre-vote: a follower cut off for a while does not raise its term, and when it rejoins the leader leads on in the same term', { peers: 3, runs: 5, config: { preVote: true } }, (c) => {
    const leader = c.checkOneLeader();
    const term = c.checkTerms();
    const cut = (leader + 1) % 3;
    c.disconnect(cut);
    c.runFor(5 * ELECTION_TIMEOUT_MS);
    const cutTerm = c.status(cut)!.term;
    check(cutTerm === term, `${c.names[cut]}, cut off for ${(5 * ELECTION_TIMEOUT_MS) / 1000} s, to stay in term ${term} (a pre-vote that nobody grants raises no term), but it is in term ${cutTerm}`);
    c.connect(cut);
    c.runFor(2 * ELECTION_TIMEOUT_MS);
    check(c.isLeader(leader) && c.checkTerms() === term, `${c.names[leader]} to lead on in term ${term} once ${c.names[cut]} is back, but ${c.names[leader]} is ${c.status(leader)!.role} in term ${c.status(leader)!.term}`);
  });

  scenario('checkQuorum: a leader that hears from a majority leads on; cut off from it, it steps down within an election timeout, and the others elect a new one', { peers: 5, runs: 3, config: { checkQuorum: true, preVote: true } }, (c) => {
    const leader1 = c.checkOneLeader();
    const term1 = c.checkTerms();
    const away = [(leader1 + 1) % 5, (leader1 + 2) % 5];
    for (const i of away) c.disconnect(i);
    c.runFor(2 * ELECTION_TIMEOUT_MS);
    check(c.isLeader(leader1) && c.status(leader1)!.term === term1, `${c.names[leader1]}, which still hears from 2 of its 4 followers (3 of 5 with itself, a majority), to lead on in term ${term1}`);
    for (const i of away) c.connect(i);
    c.runFor(ELECTION_TIMEOUT_MS);
    c.disconnect(leader1);
    const stepped = c.runUntil(() => !c.isLeader(leader1), ELECTION_TIMEOUT_MS + 100);
    check(stepped, `${c.names[leader1]}, cut off from every follower, to step down within an election timeout (${ELECTION_TIMEOUT_MS / 1000} s at most here), but it still leads`);
    const leader2 = c.checkOneLeader();
    check(leader2 !== leader1, `a new leader among the four others`);
    c.connect(leader1);
    c.checkOneLeader();
  });
});
