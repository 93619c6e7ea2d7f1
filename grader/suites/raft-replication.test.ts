/**
 * Grader suite for exercise `raft-replication` (exercises/raft/replication.ts, Part 2: log
 * replication, commit and reads).
 *
 * First the paper, sentence by sentence, each test on one node driven by hand (in the style of
 * etcd's raft_paper_test.go) and citing its section. Then MIT 6.5840's lab 3B scenarios on
 * whole simulated clusters, each on several seeds (KUBELAB_SEEDS=n runs n of them). Every run
 * is deterministic: a failure prints its seed, the command that replays exactly that run, and
 * what each peer was in its last seconds. Raft's safety is checked on every run, all along.
 *
 * A cluster needs elections (Part 1) before anything can be replicated, so each test first
 * checks the one thing of this part a lone node can do on its own: drop a proposal when it
 * knows no leader. While Part 2 is a stub, every test thus says so ("not implemented yet:
 * raft-replication") rather than naming whichever part a cluster happens to reach first.
 */
import { describe, expect } from 'vitest';
import { BenchNode, brief } from '../../lab-kernel/raft/bench-node';
import { check, ELECTION_TIMEOUT_MS, type RaftCluster } from '../../lab-kernel/raft/raft-cluster';
import type { NewRaft } from '../../lab-kernel/raft/types';
import type { Rng } from '../../lab-kernel/sim/rng';
import { SEED, slotUnderTest } from '../harness';
import { raftSuite } from '../raft-suite';

const EXERCISE = 'raft-replication';

/** The Raft under test; if it cannot even be loaded, every test fails with the reason. */
const newRaft: NewRaft = slotUnderTest('raft');

/** Node `id` of a cluster a, b, c (or `peers`), brand new. */
function bench(id = 'a', peers = ['a', 'b', 'c']): BenchNode {
  return new BenchNode(newRaft, { id, peers, seed: SEED });
}

/** This part's first step, on a lone node (see the top of the file). */
function partCheck(): void {
  check(bench().propose('x') === false, 'a node that knows no leader to drop a proposal (propose() returns false): it has no one to send it to');
}

const { paper, scenario } = raftSuite(EXERCISE, partCheck);



/** Node a, elected leader of term 1 with b's vote; b and c acknowledged its empty entry (index 1, committed). */
function leader(): BenchNode {
  const n = bench();
  n.campaign();
  n.step('MsgVoteResp', 'b', { term: 1 });
  for (const m of n.take().messages) n.step('MsgAppResp', m.to, { term: 1, index: m.index + m.entries.length });
  n.take();
  return n;
}

/** Node a, elected leader of term 1 of `peers` by a bare majority; every follower acknowledged its empty entry (index 1, committed). */
function leaderOf(peers: string[]): BenchNode {
  const n = bench('a', peers);
  n.campaign();
  for (const voter of peers.slice(1, Math.floor(peers.length / 2) + 1)) n.step('MsgVoteResp', voter, { term: 1 });
  for (const m of n.take().messages) n.step('MsgAppResp', m.to, { term: 1, index: m.index + m.entries.length });
  n.take();
  return n;
}

/** Node a, a follower of b in term `term`, its log holding entries of the given terms from index 1. */
const follower = (terms: number[], term?: number): BenchNode => bench().followWithLog('b', terms, term);

/** A command of `length` random letters. */
function randomCommand(rng: Rng, length: number): string {
  return Array.from({ length }, () => String.fromCharCode(97 + rng.int(26))).join('');
}

/** Whether every one of `commands` was applied by `n` peers. */
function allApplied(c: RaftCluster, commands: string[], n: number): boolean {
  return commands.every((cmd) => {
    const index = c.safety.indexOf(cmd);
    return index !== undefined && c.nCommitted(index).count >= n;
  });
}

describe('the paper, sentence by sentence', () => {
  // The election restriction needs a log to compare, so it is graded with replication (as in 6.5840's 3B).
  paper('§5.4.1: a voter denies its vote to a candidate whose log is less up-to-date (the later last term wins; with equal last terms, the longer log)', () => {
    const voter = () => {
      const n = bench();
      n.step('MsgApp', 'b', { term: 2, entries: [{ term: 1, index: 1, data: '' }, { term: 2, index: 2, data: 'x' }] });
      n.take();
      return n;
    };
    // The voter's log ends at index 2, term 2. [candidate's last index, its term, granted]
    const cases: [number, number, boolean][] = [
      [1, 1, false],
      [5, 1, false],
      [1, 2, false],
      [2, 2, true],
      [3, 2, true],
      [1, 3, true],
    ];
    for (const [index, logTerm, granted] of cases) {
      const n = voter();
      n.step('MsgVote', 'c', { term: 3, index, logTerm });
      const answer = n.take().messages.find((m) => m.type === 'MsgVoteResp');
      expect(answer?.reject, `a candidate whose log ends at index ${index}, term ${logTerm}: ${granted ? 'granted' : 'rejected'}`).toBe(!granted);
    }
  });

  paper('§5.3: the leader appends a proposal to its log, and sends it to every follower with the index and term of the entry just before it', () => {
    const n = leader();
    expect(n.propose('x')).toBe(true);
    const out = n.take();
    expect(out.entries, 'the entries handed out to persist').toEqual([{ term: 1, index: 2, data: 'x' }]);
    expect(out.messages.map(brief)).toEqual(['MsgApp a->b t1 i1/1 [2@1] c1', 'MsgApp a->c t1 i1/1 [2@1] c1']);
  });

  paper('§5.3: an entry is committed once the leader has stored it on a majority; the leader then applies it, and tells the followers in its next AppendEntries', () => {
    const n = leader();
    n.propose('x');
    n.take();
    expect(n.status().commit, 'before any follower stored entry 2').toBe(1);
    n.step('MsgAppResp', 'c', { term: 1, index: 2 });
    const out = n.take();
    expect(n.status().commit, 'once c stored it (a, c: a majority of 3)').toBe(2);
    expect(out.committedEntries.map((e) => e.data), 'what the leader applies').toEqual(['x']);
    n.propose('y');
    expect(n.take().messages.map(brief)).toEqual(['MsgApp a->b t1 i2/1 [3@1] c2', 'MsgApp a->c t1 i2/1 [3@1] c2']);
  });

  paper('§5.3: a follower applies an entry once it learns it is committed — and with it every entry before it, in order', () => {
    const n = follower([1, 1, 1]);
    expect(n.take().committedEntries).toEqual([]);
    n.step('MsgApp', 'b', { term: 1, index: 3, logTerm: 1, commit: 2 });
    expect(n.take().committedEntries.map((e) => e.index), 'commit index 2').toEqual([1, 2]);
    n.step('MsgHeartbeat', 'b', { term: 1, commit: 3 });
    expect(n.take().committedEntries.map((e) => e.index), 'then a heartbeat with commit index 3').toEqual([3]);
  });

  paper('§5.3: a follower refuses AppendEntries unless its log holds an entry at prevLogIndex with term prevLogTerm (the consistency check)', () => {
    const n = follower([1, 1]);
    const answer = (index: number, logTerm: number) => {
      n.step('MsgApp', 'b', { term: 2, index, logTerm, entries: [{ term: 2, index: index + 1, data: 'z' }] });
      return n.take().messages.find((m) => m.type === 'MsgAppResp');
    };
    expect(answer(2, 2)?.reject, 'entry 2 is of term 1, not 2').toBe(true);
    expect(answer(3, 1)?.reject, 'there is no entry 3').toBe(true);
    const ok = answer(2, 1);
    expect(ok?.reject, 'entry 2 is of term 1: it fits').toBe(false);
    expect(ok?.index, 'the last index it now holds').toBe(3);
  });

  paper('§5.3: when an entry conflicts with the leader’s (same index, other term), the follower deletes it and all that follow it, then appends the leader’s', () => {
    const n = follower([1, 1, 1, 1]);
    n.step('MsgApp', 'c', { term: 2, index: 1, logTerm: 1, entries: [{ term: 2, index: 2, data: 'new' }] });
    const out = n.take();
    expect(out.entries, 'entries to persist: the new one replaces 2, 3 and 4').toEqual([{ term: 2, index: 2, data: 'new' }]);
    expect(n.status().lastIndex).toBe(2);
    expect(out.messages.map(brief)).toEqual(['MsgAppResp a->c t2 i2']);
  });

  paper('§5.3 and Figure 2: a follower acknowledges entries only once they are on disk — in the Ready that persists them, never before', () => {
    const n = follower([1]);
    n.step('MsgApp', 'b', { term: 1, index: 1, logTerm: 1, entries: [{ term: 1, index: 2, data: 'x' }, { term: 1, index: 3, data: 'y' }] });
    const persisted: number[] = [];
    for (const rd of n.take().readies) {
      persisted.push(...rd.entries.map((e) => e.index));
      for (const m of rd.messages.filter((x) => x.type === 'MsgAppResp' && !x.reject)) {
        expect(persisted, `entries persisted by the Ready that acknowledges up to ${m.index}`).toEqual(expect.arrayContaining([2, 3].filter((i) => i <= m.index)));
      }
    }
  });

  paper('§5.4.2 and Figure 8: a leader never commits an entry of an earlier term by counting replicas; it commits it with the first entry of its own term', () => {
    const n = follower([1]);
    n.campaign();
    n.step('MsgVoteResp', 'c', { term: 2 });
    n.take();
    expect(n.status()).toMatchObject({ role: 'leader', term: 2, lastIndex: 2 });
    n.step('MsgAppResp', 'b', { term: 2, index: 1 });
    n.take();
    expect(n.status().commit, 'entry 1 (term 1) is on a and b, a majority, but is of an earlier term').toBe(0);
    n.step('MsgAppResp', 'b', { term: 2, index: 2 });
    expect(n.take().committedEntries.map((e) => `${e.index}@${e.term}`), 'once entry 2 (term 2) is on a majority').toEqual(['1@1', '2@2']);
  });

  paper('§8, as etcd does it: a follower forwards a proposal to its leader (rather than sending the client there); a node that knows no leader drops it', () => {
    const n = bench();
    expect(n.propose('lost'), 'no leader known').toBe(false);
    n.step('MsgHeartbeat', 'b', { term: 1 });
    n.take();
    expect(n.propose('x'), 'b leads').toBe(true);
    const forwarded = n.take().messages;
    expect(forwarded.map((m) => `${m.type} ${m.from}->${m.to} ${m.entries.map((e) => e.data).join(' ')}`)).toEqual(['MsgProp a->b x']);
  });

  paper('§8: a leader answers a read only after a heartbeat round confirms that it still leads, with its commit index as the read index', () => {
    const n = leader();
    expect(n.readIndex('r1')).toBe(true);
    const beats = n.take();
    expect(beats.messages.map((m) => m.type), 'the confirmation round').toEqual(['MsgHeartbeat', 'MsgHeartbeat']);
    expect(beats.readStates, 'no answer before any follower confirmed').toEqual([]);
    n.step('MsgHeartbeatResp', 'c', { term: 1, context: beats.messages[1].context });
    expect(n.take().readStates).toEqual([{ index: 1, requestCtx: 'r1' }]);
  });
});

describe('commit and reads, case by case', () => {
  paper('§5.3 and Figure 2: a follower sets its commit index to min(leaderCommit, index of the last new entry) — never committing entries of its own that the message does not vouch for', () => {
    // a holds 3 and 4 of term 2 from an old leader b; the leader of term 3, c, committed its own 3 and 4.
    const n = follower([1, 1, 2, 2]);
    n.step('MsgApp', 'c', { term: 3, index: 1, logTerm: 1, entries: [{ term: 1, index: 2, data: 'e2' }], commit: 4 });
    const out = n.take();
    expect(out.messages.map(brief), 'its answer').toEqual(['MsgAppResp a->c t3 i2']);
    expect(out.committedEntries.map((e) => `${e.index}@${e.term}`), 'what it applies: 3 and 4 of term 2 may not be c’s 3 and 4').toEqual(['1@1', '2@1']);
    expect(n.status().commit).toBe(2);
  });

  paper('§5.3: an AppendEntries whose entries the follower already holds — a late, reordered one — changes nothing: the entries after them stay', () => {
    const n = follower([1, 1, 1, 1]);
    n.step('MsgApp', 'b', { term: 1, index: 1, logTerm: 1, entries: [{ term: 1, index: 2, data: 'e2' }] });
    const out = n.take();
    expect(out.messages.map(brief), 'its answer: it holds 2').toEqual(['MsgAppResp a->b t1 i2']);
    expect(out.entries, 'entries to persist: none').toEqual([]);
    expect(n.status().lastIndex, 'entries 3 and 4, acknowledged before, are still there').toBe(4);
  });

  paper('§5.3, with an even number of voters: an entry is committed once a majority holds it — 3 of 4, 4 of 6 — half of them is not enough', () => {
    for (const peers of [['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd', 'e', 'f']]) {
      const n = leaderOf(peers);
      n.propose('x');
      n.take();
      const majority = Math.floor(peers.length / 2) + 1;
      const holders = peers.slice(1, majority);
      holders.forEach((id, i) => {
        n.step('MsgAppResp', id, { term: 1, index: 2 });
        n.take();
        const held = i + 2;
        expect(n.status().commit, `${peers.length} voters, entry 2 held by the leader and ${holders.slice(0, i + 1).join(', ')} (${held} of ${peers.length})`).toBe(held >= majority ? 2 : 1);
      });
    }
  });

  paper('§5.3, with etcd’s fast backtracking: a rejection carries the follower’s term at the hinted index, and the leader skips back past every entry of a later term in one step', () => {
    // a's log: terms 1 3 3 3 5 5 5 5 5 (1..9); it leads term 6 (its empty entry 10).
    const n = follower([1, 3, 3, 3, 5, 5, 5, 5, 5]);
    n.campaign();
    n.step('MsgVoteResp', 'c', { term: 6 });
    n.take();
    // b's log: terms 1 2 2 2 2 2 (1..6): its entry 9 is missing, and entries 2..6 of term 2 match none of a's.
    n.step('MsgAppResp', 'b', { term: 6, index: 9, reject: true, rejectHint: 6, logTerm: 2 });
    const probe = n.take().messages.filter((m) => m.to === 'b');
    expect(probe.map((m) => `MsgApp after ${m.index}/${m.logTerm}, ${m.entries.length} entries`), 'the next probe: entry 1 (term 1) is the last that can match').toEqual(['MsgApp after 1/1, 9 entries']);
  });

  paper('§5.3, as etcd does it: after a rejection the leader probes — one AppendEntries to that follower at a time, until it answers', () => {
    const n = leader();
    n.propose('x');
    n.propose('y');
    n.take();
    // b never got 'x' (entry 2): it rejects the append of 'y' after 2.
    n.step('MsgAppResp', 'b', { term: 1, index: 2, reject: true, rejectHint: 1, logTerm: 1 });
    const probe = n.take().messages.filter((m) => m.to === 'b');
    expect(probe.map(brief), 'the probe').toEqual(['MsgApp a->b t1 i1/1 [2@1 3@1] c1']);
    n.propose('z');
    expect(n.take().messages.filter((m) => m.to === 'b').map(brief), 'while the probe is unanswered: nothing more to b').toEqual([]);
  });

  paper('§8: a new leader answers no read until it has committed an entry of its own term; then it confirms with a heartbeat round, and the read index is that entry', () => {
    const n = follower([1]);
    n.campaign();
    n.step('MsgVoteResp', 'c', { term: 2 });
    n.take();
    expect(n.status(), 'a new leader, its empty entry 2 not committed yet').toMatchObject({ role: 'leader', term: 2, commit: 0, lastIndex: 2 });
    expect(n.readIndex('r1')).toBe(true);
    const waiting = n.take();
    expect(waiting.messages.map(brief), 'nothing yet: its commit index (0) may be behind the last leader’s').toEqual([]);
    n.step('MsgAppResp', 'c', { term: 2, index: 2 });
    const beats = n.take();
    expect(n.status().commit, 'entry 2, of its term, on a and c').toBe(2);
    const heartbeats = beats.messages.filter((m) => m.type === 'MsgHeartbeat');
    expect(heartbeats.map((m) => m.to), 'now the confirmation round').toEqual(['b', 'c']);
    expect(beats.readStates, 'no answer before a follower confirmed').toEqual([]);
    n.step('MsgHeartbeatResp', 'c', { term: 2, context: heartbeats[1].context });
    expect(n.take().readStates).toEqual([{ index: 2, requestCtx: 'r1' }]);
  });

  paper('§8: with five voters, a read is answered only once two followers have confirmed the leadership (three of five, with the leader)', () => {
    const n = leaderOf(['a', 'b', 'c', 'd', 'e']);
    n.readIndex('r1');
    const beats = n.take().messages.filter((m) => m.type === 'MsgHeartbeat');
    expect(beats.map((m) => m.to), 'the confirmation round').toEqual(['b', 'c', 'd', 'e']);
    n.step('MsgHeartbeatResp', 'b', { term: 1, context: beats[0].context });
    expect(n.take().readStates, 'after b alone (2 of 5)').toEqual([]);
    n.step('MsgHeartbeatResp', 'c', { term: 1, context: beats[1].context });
    expect(n.take().readStates, 'after b and c (3 of 5)').toEqual([{ index: 1, requestCtx: 'r1' }]);
  });
});

describe('log replication on a simulated cluster (6.5840 lab 3B)', () => {
  scenario('basic agreement: each command is committed on every peer, at the next index', { peers: 3, runs: 5 }, (c) => {
    let previous: number | undefined;
    for (let i = 1; i <= 3; i++) {
      const command = `${i}00`;
      const index = c.one(command, 3, false);
      check(previous === undefined || index === previous + 1, `"${command}" at index ${(previous ?? 0) + 1}, right after the previous command, but it is at ${index}`);
      previous = index;
    }
  });

  scenario('RPC byte budget: each command crosses the network about once per follower', { peers: 3, runs: 3 }, (c) => {
    const rng = c.sim.rng('scenario');
    let previous = c.one('99', 3, false);
    const before = c.bytes();
    let sent = 0;
    for (let i = 0; i < 10; i++) {
      const command = randomCommand(rng, 5000);
      const index = c.one(command, 3, false);
      check(index === previous + 1, `command ${i + 1} at index ${previous + 1}, but it is at ${index}`);
      previous = index;
      sent += command.length;
    }
    const got = c.bytes() - before;
    const budget = 3 * sent + 50_000;
    check(got <= budget, `at most ${budget} bytes on the network for 10 commands of 5000 bytes, but ${got} were sent: does the leader send entries more than once?`);
  });

  scenario('follower failure: two peers still commit; a leader alone commits nothing', { peers: 3, runs: 5 }, (c) => {
    c.one('101', 3, false);
    const leader1 = c.checkOneLeader();
    c.disconnect((leader1 + 1) % 3);
    c.one('102', 2, false);
    c.runFor(ELECTION_TIMEOUT_MS);
    c.one('103', 2, false);
    const leader2 = c.checkOneLeader();
    c.disconnect((leader2 + 1) % 3);
    c.disconnect((leader2 + 2) % 3);
    check(c.start(leader2, '104'), `the leader ${c.names[leader2]} to accept "104"`);
    c.runFor(2 * ELECTION_TIMEOUT_MS);
    check(c.safety.indexOf('104') === undefined, `"104" not to be committed: its leader is cut off from both followers`);
  });

  scenario('leader failure: the others elect a new leader and commit; with no majority left, nothing is committed', { peers: 3, runs: 5 }, (c) => {
    c.one('101', 3, false);
    const leader1 = c.checkOneLeader();
    c.disconnect(leader1);
    c.one('102', 2, false);
    c.runFor(ELECTION_TIMEOUT_MS);
    c.one('103', 2, false);
    const leader2 = c.checkOneLeader();
    c.disconnect(leader2);
    for (let i = 0; i < 3; i++) c.start(i, '104');
    c.runFor(2 * ELECTION_TIMEOUT_MS);
    check(c.safety.indexOf('104') === undefined, `"104" not to be committed: every peer is cut off from the others`);
  });

  scenario('agreement after a disconnected follower reconnects: it catches up on what it missed', { peers: 3, runs: 5 }, (c) => {
    c.one('101', 3, false);
    const leader = c.checkOneLeader();
    c.disconnect((leader + 1) % 3);
    c.one('102', 2, false);
    c.one('103', 2, false);
    c.runFor(ELECTION_TIMEOUT_MS);
    c.one('104', 2, false);
    c.one('105', 2, false);
    c.connect((leader + 1) % 3);
    c.one('106', 3, true);
    c.runFor(ELECTION_TIMEOUT_MS);
    c.one('107', 3, true);
  });

  scenario('no agreement without a quorum: a leader with 2 of 5 commits nothing; once reconnected, all 5 agree again', { peers: 5, runs: 5 }, (c) => {
    c.one('10', 5, false);
    const leader = c.checkOneLeader();
    for (const k of [1, 2, 3]) c.disconnect((leader + k) % 5);
    check(c.start(leader, '20'), `the leader ${c.names[leader]} to accept "20"`);
    c.runFor(2 * ELECTION_TIMEOUT_MS);
    check(c.safety.indexOf('20') === undefined, '"20" not to be committed: its leader reaches only 1 of the 4 others');
    for (const k of [1, 2, 3]) c.connect((leader + k) % 5);
    const leader2 = c.checkOneLeader();
    check(c.start(leader2, '30'), `the leader ${c.names[leader2]} to accept "30"`);
    c.one('1000', 5, true);
  });

  scenario('four peers: a leader with one follower (2 of 4) commits nothing; with two (3 of 4) it does; then all four agree', { peers: 4, runs: 3 }, (c) => {
    c.one('10', 4, false);
    const leader = c.checkOneLeader();
    const away = [(leader + 1) % 4, (leader + 2) % 4];
    for (const i of away) c.disconnect(i);
    check(c.start(leader, '20'), `the leader ${c.names[leader]} to accept "20"`);
    c.runFor(2 * ELECTION_TIMEOUT_MS);
    check(c.safety.indexOf('20') === undefined, `"20" not to be committed: its leader and one follower are 2 of 4, not a majority`);
    c.connect(away[0]);
    c.one('30', 3, true);
    c.connect(away[1]);
    c.one('40', 4, true);
  });

  scenario('concurrent starts: five commands proposed at once are all committed, in some order, on every peer', { peers: 3, runs: 5 }, (c) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) c.runFor(3000);
      const leader = c.checkOneLeader();
      const term = c.status(leader)!.term;
      const commands = [0, 1, 2, 3, 4].map((i) => `${attempt}.${100 + i}`);
      if (!commands.every((cmd) => c.start(leader, cmd))) continue;
      const termMoved = () => c.names.some((_, i) => (c.status(i)?.term ?? 0) > term);
      c.runUntil(() => termMoved() || allApplied(c, commands, 3), 10_000);
      if (termMoved()) continue;
      check(allApplied(c, commands, 3), `all five commands (${commands.join(', ')}) applied by the 3 peers within 10 s, the leader unchanged`);
      return;
    }
    check(false, 'the term to hold still long enough for five commands to commit, in one of 5 attempts');
  });

  scenario('rejoin of a partitioned leader: its uncommitted entries are replaced by the new leader’s', { peers: 3, runs: 5 }, (c) => {
    c.one('101', 3, true);
    const leader1 = c.checkOneLeader();
    c.disconnect(leader1);
    for (const command of ['102', '103', '104']) c.start(leader1, command);
    c.one('103', 2, true);
    const leader2 = c.checkOneLeader();
    c.disconnect(leader2);
    c.connect(leader1);
    c.one('104', 2, true);
    c.connect(leader2);
    c.one('105', 3, true);
    check(c.safety.indexOf('102') === undefined, '"102" never to be committed: only the cut-off old leader ever had it');
  });

  scenario('backup: a leader quickly brings followers with long wrong logs back in line', { peers: 5, runs: 4 }, (c) => {
    const rng = c.sim.rng('scenario');
    const command = () => randomCommand(rng, 8);
    c.one(command(), 5, true);
    const leader1 = c.checkOneLeader();
    // The leader and one follower alone: 50 entries that never commit.
    for (const k of [2, 3, 4]) c.disconnect((leader1 + k) % 5);
    for (let i = 0; i < 50; i++) c.start(leader1, command());
    c.runFor(ELECTION_TIMEOUT_MS / 2);
    // The other three: 50 entries that do.
    c.disconnect(leader1);
    c.disconnect((leader1 + 1) % 5);
    for (const k of [2, 3, 4]) c.connect((leader1 + k) % 5);
    for (let i = 0; i < 50; i++) c.one(command(), 3, true);
    // Their leader and one of them alone: 50 more that never commit.
    const leader2 = c.checkOneLeader();
    const other = (leader1 + 2) % 5 === leader2 ? (leader2 + 1) % 5 : (leader1 + 2) % 5;
    c.disconnect(other);
    for (let i = 0; i < 50; i++) c.start(leader2, command());
    c.runFor(ELECTION_TIMEOUT_MS / 2);
    // The first leader, its follower and `other`: their logs must be repaired before anything commits.
    for (let i = 0; i < 5; i++) c.disconnect(i);
    c.connect(leader1);
    c.connect((leader1 + 1) % 5);
    c.connect(other);
    for (let i = 0; i < 50; i++) c.one(command(), 3, true);
    // Everyone: two peers hold 100 wrong entries (leader1's 50 and leader2's 50), the others had no news for a while.
    for (let i = 0; i < 5; i++) c.connect(i);
    const committed = c.safety.maxApplied();
    // Within 6 s: time for an election (a peer cut off long ago may come back with a higher term
    // and disrupt the leader), not for a leader that backs up one entry per heartbeat (10 s here).
    const caughtUp = c.runUntil(() => c.nCommitted(committed).count === 5, 6000);
    check(caughtUp, `all five peers to hold every committed entry within 6 s of reconnecting, but only ${c.nCommitted(committed).count} do: does the leader back up one entry per heartbeat?`);
    c.one(command(), 5, true);
  });

  scenario('RPC counts: an election, ten commands and a second of idleness each take only a few messages', { peers: 3, runs: 5 }, (c) => {
    const elected = c.checkOneLeader();
    const forElection = c.rpcCount();
    check(forElection >= 1 && forElection <= 40, `an election (and the heartbeats until it is checked) to take 1 to 40 messages, but it took ${forElection}`);
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) c.runFor(3000);
      const leader = attempt === 0 ? elected : c.checkOneLeader();
      const term = c.status(leader)!.term;
      const before = c.rpcCount();
      const commands = Array.from({ length: 10 }, (_, i) => `${attempt}.${i}`);
      if (!commands.every((cmd) => c.start(leader, cmd))) continue;
      const termMoved = () => c.names.some((_, i) => (c.status(i)?.term ?? 0) !== term);
      c.runUntil(() => termMoved() || allApplied(c, commands, 3), 10_000);
      if (termMoved()) continue;
      check(allApplied(c, commands, 3), 'ten commands proposed at once to be applied by the 3 peers within 10 s');
      const forCommands = c.rpcCount() - before;
      // About 4 per command and follower (the entry, the commit index, an answer to each), and heartbeats meanwhile.
      check(forCommands <= 100, `ten commands to take at most 100 messages (answers included), but they took ${forCommands}`);
      const idleFrom = c.rpcCount();
      c.runFor(1000);
      const idle = c.rpcCount() - idleFrom;
      check(idle <= 60, `a second of idleness to take at most 60 messages (heartbeats and their answers), but it took ${idle}`);
      return;
    }
    check(false, 'the term to hold still long enough for ten commands to commit, in one of 5 attempts');
  });
});
