/**
 * The Raft paper, sentence by sentence (in the style of etcd's raft_paper_test.go): each test
 * sets a node up by hand, steps messages into it, and checks what comes out of ready() — the
 * messages it would send, the entries it would persist and apply — and its status().
 * Each cites the section of "In Search of an Understandable Consensus Algorithm" it checks.
 *
 * The node under test is the reference, loaded through the raft slot exactly as the cluster
 * loads it (guarded, every argument and result copied).
 */
import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from './memory-network';
import { loadSlot } from '../slots/slots';
import { message, type Entry, type Message, type MessageType, type NodeId, type PersistedState, type RaftNode, type Ready } from './types';

const newRaft = loadSlot('raft', 'solution');

interface Setup {
  id?: NodeId;
  peers?: NodeId[];
  /** The log, given as the term of each entry from index 1. */
  terms?: number[];
  term?: number;
  vote?: NodeId | null;
  commit?: number;
  seed?: number;
  electionTick?: number;
}

function ids(n: number): NodeId[] {
  return Array.from({ length: n }, (_, i) => String(i + 1));
}

function entries(terms: number[], from = 1): Entry[] {
  return terms.map((term, i) => ({ term, index: from + i, data: `e${from + i}` }));
}

function disk(s: Setup): PersistedState {
  return { hardState: { term: s.term ?? 0, vote: s.vote ?? null, commit: s.commit ?? 0 }, entries: entries(s.terms ?? []), snapshot: null };
}

/** Node s.id (default '1') of s.peers (default 1, 2, 3), restarted from the state described. */
function node(s: Setup = {}): RaftNode {
  const restored = s.terms !== undefined || s.term !== undefined ? { restored: disk(s) } : {};
  return newRaft({ id: s.id ?? '1', peers: s.peers ?? ids(3), seed: s.seed ?? 1, electionTick: s.electionTick ?? 10, ...restored });
}

/** Takes the node's Ready (marking it handled). */
function take(n: RaftNode): Ready {
  const rd = n.ready();
  n.advance();
  return rd;
}

function sent(n: RaftNode): Message[] {
  return take(n).messages;
}

/** A message to node '1' from `from`. */
function to1(type: MessageType, from: NodeId, fields: Partial<Message> = {}): Message {
  return message({ type, from, to: '1', ...fields });
}

/** The fields of messages that matter, for readable comparisons. */
function brief(ms: Message[]): string[] {
  return ms.map((m) => {
    const parts = [`${m.type} ${m.from}->${m.to} term=${m.term}`];
    if (m.index || m.logTerm) parts.push(`index=${m.index} logTerm=${m.logTerm}`);
    if (m.entries.length > 0) parts.push(`entries=${m.entries.map((e) => `${e.index}@${e.term}`).join(',')}`);
    if (m.commit) parts.push(`commit=${m.commit}`);
    if (m.reject) parts.push(`reject hint=${m.rejectHint}`);
    return parts.join(' ');
  });
}

/** Makes node n campaign and win with the votes of `voters`; returns what it sends (its first MsgApp to each follower). */
function elect(n: RaftNode, voters: NodeId[]): Message[] {
  n.step(to1('MsgHup', '1'));
  const term = n.status().term;
  for (const v of voters) n.step(to1('MsgVoteResp', v, { term }));
  return sent(n);
}

/** What a follower answers to an MsgApp that fits its log. */
function ack(m: Message): Message {
  return message({ type: 'MsgAppResp', from: m.to, to: m.from, term: m.term, index: m.index + m.entries.length });
}

/** Ticks until the node sends something; returns how many ticks that took. */
function ticksUntilMessages(n: RaftNode, max = 100): number {
  for (let t = 1; t <= max; t++) {
    n.tick();
    if (n.ready().messages.length > 0) return t;
  }
  throw new Error(`nothing sent in ${max} ticks`);
}

describe('§5.1 terms', () => {
  it.each(['follower', 'candidate', 'leader'])('a %s that sees a larger term takes it and becomes (or stays) a follower', (role) => {
    const n = node({ term: 1 });
    if (role === 'candidate') n.step(to1('MsgHup', '1'));
    if (role === 'leader') elect(n, ['2']);
    n.step(to1('MsgApp', '2', { term: 5 }));
    expect(n.status()).toMatchObject({ term: 5, role: 'follower', lead: '2' });
  });

  it('a request with a stale term is refused: the node ignores it (etcd drops it rather than answering)', () => {
    const n = node({ term: 2, terms: [1] });
    take(n);
    n.step(to1('MsgApp', '2', { term: 1, index: 1, logTerm: 1, entries: entries([1], 2) }));
    n.step(to1('MsgVote', '3', { term: 1, index: 5, logTerm: 1 }));
    expect(n.hasReady()).toBe(false);
    expect(n.status()).toMatchObject({ term: 2, lastIndex: 1, vote: null });
  });
});

describe('§5.2 leader election', () => {
  it('servers start up as followers, knowing no leader', () => {
    expect(node().status()).toMatchObject({ role: 'follower', term: 0, lead: null });
  });

  it('a leader sends heartbeats (no entries) to every follower each heartbeat interval', () => {
    const n = node({ term: 1 });
    elect(n, ['2']);
    n.tick();
    expect(brief(sent(n))).toEqual(['MsgHeartbeat 1->2 term=2', 'MsgHeartbeat 1->3 term=2']);
  });

  it.each(['follower', 'candidate'])(
    'a %s that hears nothing for an election timeout starts an election: next term, candidate, votes for itself, asks everyone',
    (role) => {
      const n = node({ term: 1, terms: [1] });
      if (role === 'candidate') n.step(to1('MsgHup', '1'));
      const term = n.status().term;
      take(n);
      for (let i = 1; i < 2 * 10; i++) n.tick();
      expect(n.status()).toMatchObject({ term: term + 1, role: 'candidate', vote: '1' });
      expect(brief(sent(n))).toEqual([`MsgVote 1->2 term=${term + 1} index=1 logTerm=1`, `MsgVote 1->3 term=${term + 1} index=1 logTerm=1`]);
    },
  );

  // [cluster size, votes received (true = granted), the role after]
  const rounds: [number, Record<string, boolean>, string][] = [
    [1, {}, 'leader'],
    [3, { 2: true, 3: true }, 'leader'],
    [3, { 2: true }, 'leader'],
    [5, { 2: true, 3: true, 4: true, 5: true }, 'leader'],
    [5, { 2: true, 3: true }, 'leader'],
    [3, { 2: false, 3: false }, 'follower'],
    [5, { 2: false, 3: false, 4: false, 5: false }, 'follower'],
    [5, { 2: true, 3: false, 4: false, 5: false }, 'follower'],
    [3, {}, 'candidate'],
    [5, { 2: true }, 'candidate'],
    [5, { 2: false, 3: false }, 'candidate'],
  ];
  it.each(rounds)('in a cluster of %i, votes %j: a candidate with a majority leads, with a majority against follows, else waits', (size, votes, role) => {
    const n = node({ peers: ids(size) });
    n.step(to1('MsgHup', '1'));
    for (const [from, granted] of Object.entries(votes)) n.step(to1('MsgVoteResp', from, { term: 1, reject: !granted }));
    expect(n.status()).toMatchObject({ role, term: 1 });
  });

  // [already voted for, vote requested by, rejected?]
  const votes: [NodeId | null, NodeId, boolean][] = [
    [null, '2', false],
    [null, '3', false],
    ['2', '2', false],
    ['3', '3', false],
    ['2', '3', true],
    ['3', '2', true],
  ];
  it.each(votes)('each server votes for at most one candidate per term, first come first served (voted for %s, asked by %s)', (vote, candidate, rejected) => {
    const n = node({ term: 1, vote });
    n.step(to1('MsgVote', candidate, { term: 1 }));
    const rd = take(n);
    expect(brief(rd.messages)).toEqual([`MsgVoteResp 1->${candidate} term=1${rejected ? ' reject hint=0' : ''}`]);
  });

  it('a vote is persisted before it is sent: the Ready carrying it also carries the hard state with the vote', () => {
    const n = node({ term: 1 });
    take(n);
    n.step(to1('MsgVote', '2', { term: 2 }));
    const rd = take(n);
    expect(rd.hardState).toEqual({ term: 2, vote: '2', commit: 0 });
    expect(rd.messages.map((m) => m.type)).toEqual(['MsgVoteResp']);
  });

  it.each([1, 2])('a candidate that hears from a leader of term >= its own (%i) returns to follower', (term) => {
    const n = node();
    n.step(to1('MsgHup', '1'));
    expect(n.status().role).toBe('candidate');
    n.step(to1('MsgApp', '2', { term }));
    expect(n.status()).toMatchObject({ role: 'follower', term, lead: '2' });
  });

  it('election timeouts are chosen randomly from [electionTimeout, 2 * electionTimeout)', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 300; seed++) seen.add(ticksUntilMessages(node({ seed, term: 1 })));
    expect([...seen].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('so that in most cases only a single server times out first (split votes are rare)', () => {
    let conflicts = 0;
    const rounds = 200;
    for (let round = 0; round < rounds; round++) {
      const nodes = ids(5).map((id) => newRaft({ id, peers: ids(5), seed: round * 5 + Number(id) }));
      let timedOut = 0;
      while (timedOut === 0) {
        for (const n of nodes) {
          n.tick();
          if (n.ready().messages.length > 0) timedOut++;
        }
      }
      if (timedOut > 1) conflicts++;
    }
    expect(conflicts / rounds).toBeLessThanOrEqual(0.3);
  });
});

describe('§5.3 log replication', () => {
  /** A leader of term 2 whose followers 2 and 3 acknowledged its empty entry (index 1, committed). */
  function leader(): RaftNode {
    const n = node({ term: 1 });
    for (const m of elect(n, ['2'])) n.step(ack(m));
    take(n);
    expect(n.status().commit).toBe(1);
    return n;
  }

  it('the leader appends a proposal to its log, persists it, and sends it with the index and term of the entry before it', () => {
    const n = leader();
    expect(n.propose('x')).toBe(true);
    const rd = take(n);
    expect(rd.entries).toEqual([{ term: 2, index: 2, data: 'x' }]);
    expect(brief(rd.messages)).toEqual(['MsgApp 1->2 term=2 index=1 logTerm=2 entries=2@2 commit=1', 'MsgApp 1->3 term=2 index=1 logTerm=2 entries=2@2 commit=1']);
  });

  it('once replicated on a majority the entry is committed and applied, and later AppendEntries carry the new commit index', () => {
    const n = leader();
    n.propose('x');
    const out = sent(n);
    n.step(ack(out[0]));
    const rd = take(n);
    expect(rd.committedEntries).toEqual([{ term: 2, index: 2, data: 'x' }]);
    expect(rd.messages.map((m) => `${m.type}->${m.to} commit=${m.commit}`)).toEqual(['MsgApp->2 commit=2', 'MsgApp->3 commit=2']);
  });

  // [cluster size, followers that accept, committed?]
  const acks: [number, NodeId[], boolean][] = [
    [1, [], true],
    [3, [], false],
    [3, ['2'], true],
    [3, ['2', '3'], true],
    [5, [], false],
    [5, ['2'], false],
    [5, ['2', '3'], true],
    [5, ['2', '3', '4'], true],
  ];
  it.each(acks)('in a cluster of %i, acknowledged by %j: an entry is committed once the leader has it on a majority', (size, acceptors, committed) => {
    const n = node({ peers: ids(size), term: 1 });
    for (const m of elect(n, ids(size).slice(1))) n.step(ack(m));
    take(n);
    const before = n.status().commit;
    n.propose('x');
    for (const m of sent(n)) if (acceptors.includes(m.to)) n.step(ack(m));
    expect(n.status().commit > before).toBe(committed);
  });

  it.each([[[]], [[2]], [[1, 2]], [[1]]])('committing an entry commits every entry before it, even from earlier terms (log terms %j)', (terms) => {
    const n = node({ term: 2, terms });
    const probes = elect(n, ['2']);
    n.propose('x');
    for (const m of probes) n.step(ack(m));
    const first = take(n);
    for (const m of first.messages) if (m.type === 'MsgApp') n.step(ack(m));
    const applied = [...first.committedEntries, ...take(n).committedEntries].map((e) => [e.index, e.term, e.data]);
    const li = terms.length;
    expect(applied).toEqual([...terms.map((t, i) => [i + 1, t, `e${i + 1}`]), [li + 1, 3, ''], [li + 2, 3, 'x']]);
  });

  it.each([
    [[1], 1],
    [[1, 1], 2],
    [[1, 1], 1],
  ])('a follower that learns an entry is committed applies it, in log order (log %j, commit %i)', (terms, commit) => {
    const n = node({ term: 1 });
    n.step(to1('MsgApp', '2', { term: 1, entries: entries(terms), commit }));
    expect(n.status().commit).toBe(commit);
    expect(take(n).committedEntries).toEqual(entries(terms).slice(0, commit));
  });

  // follower log terms 1 2, commit 1; MsgApp's (logTerm, index) => the answer
  const checks: [number, number, string][] = [
    [0, 0, 'MsgAppResp 1->2 term=2 index=1 logTerm=0'],
    [1, 1, 'MsgAppResp 1->2 term=2 index=1 logTerm=0'],
    [2, 2, 'MsgAppResp 1->2 term=2 index=2 logTerm=0'],
    [1, 2, 'MsgAppResp 1->2 term=2 index=2 logTerm=1 reject hint=1'],
    [3, 3, 'MsgAppResp 1->2 term=2 index=3 logTerm=2 reject hint=2'],
  ];
  it.each(checks)(
    'a follower refuses entries unless it holds the entry before them with the same index and term (logTerm %i, index %i)',
    (logTerm, index, answer) => {
      const n = node({ term: 2, terms: [1, 2], commit: 1 });
      take(n);
      n.step(to1('MsgApp', '2', { term: 2, logTerm, index }));
      expect(brief(sent(n))).toEqual([answer]);
    },
  );

  // follower log terms 1 2; MsgApp (index, logTerm, entries) => the log after, and what it must persist
  const appends: [number, number, Entry[], number[], number[]][] = [
    [2, 2, entries([3], 3), [1, 2, 3], [3]],
    [1, 1, entries([3, 4], 2), [1, 3, 4], [3, 4]],
    [0, 0, entries([1], 1), [1, 2], []],
    [0, 0, entries([3], 1), [3], [3]],
  ];
  it.each(appends)(
    'a follower deletes a conflicting entry and all after it, appends what it lacks, and persists the new entries (MsgApp at %i)',
    (index, logTerm, ents, log, persisted) => {
      const n = node({ term: 2, terms: [1, 2] });
      take(n);
      n.step(to1('MsgApp', '2', { term: 2, index, logTerm, entries: ents }));
      const rd = take(n);
      expect(rd.entries.map((e) => e.term)).toEqual(persisted);
      expect(n.status().lastIndex).toBe(log.length);
      const net = new MemoryNetwork(newRaft, { ids: ['1'], restored: { 1: { hardState: { term: 2, vote: null, commit: 0 }, entries: entries([1, 2]), snapshot: null } } });
      net.send(to1('MsgApp', '2', { term: 2, index, logTerm, entries: ents }));
      net.deliver();
      expect(net.disks.get('1')!.entries.map((e) => e.term)).toEqual(log);
    },
  );

  // Figure 7: the leader's log, and the follower logs (a)-(f) it must repair.
  const figure7Leader = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
  const figure7 = {
    a: [1, 1, 1, 4, 4, 5, 5, 6, 6],
    b: [1, 1, 1, 4],
    c: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
    d: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
    e: [1, 1, 1, 4, 4, 4, 4],
    f: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
  };
  it.each(Object.entries(figure7))('the leader brings a follower log into line with its own (Figure 7, follower %s)', (_, follower) => {
    const net = new MemoryNetwork(newRaft, {
      ids: ids(3),
      restored: {
        1: { hardState: { term: 8, vote: null, commit: figure7Leader.length }, entries: entries(figure7Leader), snapshot: null },
        2: { hardState: { term: 7, vote: null, commit: 0 }, entries: entries(follower), snapshot: null },
      },
    });
    net.crash('3');
    net.send(to1('MsgHup', '1'));
    net.deliver();
    // Node 3 (down) votes by hand: node 2 refuses when its log is more up-to-date.
    net.send(to1('MsgVoteResp', '3', { term: 9 }));
    net.deliver();
    net.propose('1', 'x');
    net.deliver();
    const terms = (id: NodeId) => net.disks.get(id)!.entries.map((e) => e.term);
    expect(terms('2')).toEqual(terms('1'));
    expect(terms('1')).toEqual([...figure7Leader, 9, 9]);
  });
});

describe('§5.4.1 election restriction', () => {
  it.each([[[1]], [[1, 2]]])('a vote request carries the index and term of the candidate’s last entry (log terms %j)', (terms) => {
    const n = node({ term: terms[terms.length - 1], terms });
    for (let i = 1; i < 20; i++) n.tick();
    const requests = sent(n).filter((m) => m.type === 'MsgVote');
    expect(requests.map((m) => [m.to, m.index, m.logTerm])).toEqual([
      ['2', terms.length, terms[terms.length - 1]],
      ['3', terms.length, terms[terms.length - 1]],
    ]);
  });

  // voter log terms; candidate's (logTerm, index); rejected?
  const voters: [number[], number, number, boolean][] = [
    [[1], 1, 1, false],
    [[1], 1, 2, false],
    [[1, 1], 1, 1, true],
    [[1], 2, 1, false],
    [[1], 2, 2, false],
    [[1, 1], 2, 1, false],
    [[2], 1, 1, true],
    [[2], 1, 2, true],
    [[2, 2], 1, 1, true],
    [[1, 1], 1, 1, true],
  ];
  it.each(voters)('a voter with log terms %j denies its vote when its log is more up-to-date (candidate logTerm %i, index %i)', (terms, logTerm, index, rejected) => {
    const n = node({ peers: ids(2), terms, term: 2 });
    n.step(to1('MsgVote', '2', { term: 3, logTerm, index }));
    const answers = sent(n);
    expect(answers.map((m) => [m.type, m.reject])).toEqual([['MsgVoteResp', rejected]]);
  });

  it('a follower at term 5 whose last entry is of term 5 rejects a term-6 candidate whose log ends at term 4, however long', () => {
    const n = node({ term: 5, terms: [1, 5] });
    n.step(to1('MsgVote', '2', { term: 6, index: 9, logTerm: 4 }));
    expect(brief(sent(n))).toEqual(['MsgVoteResp 1->2 term=6 reject hint=0']);
    expect(n.status()).toMatchObject({ term: 6, vote: null });
  });
});

describe('§5.4.2 committing entries from previous terms', () => {
  it.each([
    [1, 0],
    [2, 0],
    [3, 3],
  ])('only entries of the leader’s current term are committed by counting replicas (acknowledged up to %i => commit %i)', (index, commit) => {
    const n = node({ peers: ids(2), term: 2, terms: [1, 2] });
    elect(n, ['2']);
    n.step(to1('MsgAppResp', '2', { term: 3, index }));
    expect(n.status().commit).toBe(commit);
  });

  it('Figure 8: an old-term entry on a majority is not committed until an entry of the leader’s term is, which commits both', () => {
    // Leader of term 4 with log [t1, t2]: entry 2 (term 2) reaches a majority first.
    const n = node({ peers: ids(5), term: 3, terms: [1, 2], commit: 1 });
    elect(n, ['2', '3']);
    n.step(to1('MsgAppResp', '2', { term: 4, index: 2 }));
    n.step(to1('MsgAppResp', '3', { term: 4, index: 2 }));
    expect(n.status().commit).toBe(1);
    n.step(to1('MsgAppResp', '2', { term: 4, index: 3 }));
    n.step(to1('MsgAppResp', '3', { term: 4, index: 3 }));
    expect(n.status().commit).toBe(3);
  });
});

describe('§7 log compaction', () => {
  /** A 3-node cluster that committed `n` entries, the leader compacted up to them, node 3 down all along. */
  function compactedCluster(n: number): MemoryNetwork {
    const net = new MemoryNetwork(newRaft, { ids: ids(3), seed: 3 });
    net.crash('3');
    net.runFor(40);
    const lead = net.leader()!;
    for (let i = 0; i < n; i++) net.propose(lead, `x${i}`);
    net.deliver();
    for (const id of ['1', '2']) net.compact(id);
    return net;
  }

  it('each server compacts its own log: the snapshot replaces the entries up to the last applied one', () => {
    const net = compactedCluster(5);
    const lead = net.leader()!;
    expect(net.nodes.get(lead)!.status()).toMatchObject({ snapshotIndex: 6, lastIndex: 6, applied: 6 });
    expect(net.disks.get(lead)!.snapshot?.metadata).toMatchObject({ index: 6, voters: ids(3) });
    expect(net.disks.get(lead)!.entries).toEqual([]);
  });

  it('compact() refuses to go past what was applied, and does nothing where the log is already compacted', () => {
    const net = compactedCluster(2);
    const n = net.nodes.get(net.leader()!)!;
    expect(n.compact(3, 's')).toBeNull();
    expect(() => n.compact(4, 's')).toThrow(/only up to 3/);
  });

  it('the leader sends its snapshot to a follower that lags behind its log (InstallSnapshot), then entries after it', () => {
    const net = compactedCluster(5);
    const lead = net.leader()!;
    net.restart('3');
    net.runFor(3);
    net.propose(lead, 'after');
    net.deliver();
    // Node 3 never compacted: its snapshot can only have come from the leader.
    expect(net.disks.get('3')!.snapshot?.metadata.index).toBe(6);
    expect(net.disks.get('3')!.entries.map((e) => e.data)).toEqual(['after']);
    expect(net.apps.get('3')).toMatchObject({ applied: 7, state: net.apps.get(lead)!.state });
  });

  it('a follower discards its whole log when the snapshot holds entries it lacks', () => {
    const n = node({ term: 2, terms: [1, 1, 2] });
    take(n);
    const snapshot = { metadata: { index: 5, term: 3, voters: ids(3) }, data: 'state@5' };
    n.step(to1('MsgSnap', '2', { term: 3, snapshot }));
    const rd = take(n);
    expect(rd.snapshot).toEqual(snapshot);
    expect(rd.committedEntries).toEqual([]);
    expect(brief(rd.messages)).toEqual(['MsgAppResp 1->2 term=3 index=5 logTerm=0']);
    expect(n.status()).toMatchObject({ lastIndex: 5, snapshotIndex: 5, commit: 5, applied: 5 });
  });

  it('a snapshot of a prefix of the follower’s log deletes nothing it still needs: the entries after it are kept', () => {
    const n = node({ term: 2, terms: [1, 1, 2, 2] });
    take(n);
    n.step(to1('MsgSnap', '2', { term: 2, snapshot: { metadata: { index: 3, term: 2, voters: ids(3) }, data: 'state@3' } }));
    const rd = take(n);
    expect(rd.snapshot).toBeUndefined();
    expect(rd.committedEntries.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(n.status()).toMatchObject({ lastIndex: 4, commit: 3 });
  });
});

describe('§8 client interaction: linearizable reads', () => {
  it('a new leader commits a blank no-op entry at the start of its term', () => {
    const n = node({ term: 1, terms: [1] });
    n.step(to1('MsgHup', '1'));
    n.step(to1('MsgVoteResp', '2', { term: 2 }));
    expect(take(n).entries).toEqual([{ term: 2, index: 2, data: '' }]);
  });

  it('a leader confirms with a heartbeat round that it has not been deposed before answering a read', () => {
    const n = node({ term: 1 });
    elect(n, ['2']);
    n.step(to1('MsgAppResp', '2', { term: 2, index: 1 }));
    take(n);
    expect(n.readIndex('r1')).toBe(true);
    const beats = sent(n);
    expect(beats.map((m) => [m.type, m.to, m.context])).toEqual([
      ['MsgHeartbeat', '2', '1'],
      ['MsgHeartbeat', '3', '1'],
    ]);
    expect(n.hasReady()).toBe(false);
    n.step(to1('MsgHeartbeatResp', '3', { term: 2, context: '1' }));
    expect(take(n).readStates).toEqual([{ index: 1, requestCtx: 'r1' }]);
  });

  it('a leader that has not committed an entry of its term yet holds reads back until it has', () => {
    const n = node({ term: 1, terms: [1], commit: 1 });
    elect(n, ['2']);
    n.readIndex('r1');
    expect(sent(n)).toEqual([]);
    n.step(to1('MsgAppResp', '2', { term: 2, index: 2 }));
    const out = sent(n).filter((m) => m.type === 'MsgHeartbeat');
    expect(out.map((m) => m.context)).toEqual(['1', '1']);
    n.step(to1('MsgHeartbeatResp', '2', { term: 2, context: '1' }));
    expect(take(n).readStates).toEqual([{ index: 2, requestCtx: 'r1' }]);
  });

  it('a follower forwards a read to the leader, and gets the read index back', () => {
    const n = node({ term: 2 });
    n.step(to1('MsgHeartbeat', '2', { term: 2 }));
    take(n);
    expect(n.readIndex('r7')).toBe(true);
    expect(sent(n).map((m) => [m.type, m.from, m.to, m.term, m.context])).toEqual([['MsgReadIndex', '1', '2', 0, 'r7']]);
    n.step(to1('MsgReadIndexResp', '2', { term: 2, index: 9, context: 'r7' }));
    expect(take(n).readStates).toEqual([{ index: 9, requestCtx: 'r7' }]);
  });

  it('without a leader, reads and proposals are dropped', () => {
    const n = node();
    expect(n.readIndex('r')).toBe(false);
    expect(n.propose('x')).toBe(false);
  });
});
