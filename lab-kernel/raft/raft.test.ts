/**
 * Whole clusters of the reference Raft (loaded through the raft slot) on the in-memory network:
 * elections, replication, partitions, crashes, snapshots and reads — syllabus T02.1 to T02.7.
 */
import { describe, expect, it } from 'vitest';
import { MemoryNetwork, type MemoryNetworkOptions } from './memory-network';
import { loadSlot } from '../slots/slots';
import { message, type Entry, type Message, type NodeId, type PersistedState } from './types';

const newRaft = loadSlot('raft', 'solution');

function ids(n: number): NodeId[] {
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

function cluster(n: number, options: Partial<MemoryNetworkOptions> = {}): MemoryNetwork {
  return new MemoryNetwork(newRaft, { ids: ids(n), seed: 1, ...options });
}

/** A network that records every message sent, and can lose the ones a test picks. */
class RecordingNetwork extends MemoryNetwork {
  readonly log: Message[] = [];
  lose: (m: Message) => boolean = () => false;

  override send(m: Message): void {
    this.log.push(m);
    if (!this.lose(m)) super.send(m);
  }
}

/** Runs until some node leads; returns it. */
function electLeader(net: MemoryNetwork, maxTicks = 200): NodeId {
  for (let t = 0; t < maxTicks; t++) {
    net.runFor(1);
    const lead = net.leader();
    if (lead !== null) return lead;
  }
  throw new Error(`no leader after ${maxTicks} ticks`);
}

/** Proposes on the leader and delivers; returns how many of the running nodes applied it. */
function commitOne(net: MemoryNetwork, lead: NodeId, data: string): void {
  expect(net.propose(lead, data), `the leader ${lead} accepts ${data}`).toBe(true);
  net.deliver();
}

function states(net: MemoryNetwork): string[] {
  return net.running().map((id) => `${net.apps.get(id)!.applied}:${net.apps.get(id)!.state}`);
}

function entries(terms: number[]): Entry[] {
  return terms.map((term, i) => ({ term, index: i + 1, data: `e${i + 1}` }));
}

function disk(terms: number[], term: number, commit = 1): PersistedState {
  return { hardState: { term, vote: null, commit }, entries: entries(terms), snapshot: null };
}

describe('election (T02.1)', () => {
  it.each([3, 5, 7])('a cluster of %i elects exactly one leader, whom every node follows in the same term', (n) => {
    const net = cluster(n);
    const lead = electLeader(net);
    net.runFor(50);
    const statuses = net.running().map((id) => net.nodes.get(id)!.status());
    expect(statuses.filter((s) => s.role === 'leader').map((s) => s.id)).toEqual([lead]);
    expect(new Set(statuses.map((s) => `${s.term}/${s.lead}`)).size).toBe(1);
  });

  it('the same seed gives the same run, message for message; other seeds give other runs', () => {
    const history = (seed: number) => {
      const net = new RecordingNetwork(newRaft, { ids: ids(5), seed, dropRate: 0.1 });
      net.runFor(100);
      return JSON.stringify(net.log);
    };
    expect(history(7)).toBe(history(7));
    expect(new Set([1, 2, 3, 4].map(history)).size).toBeGreaterThan(1);
  });

  it('when the leader crashes, the others elect a new one in a later term, and the old one returns as a follower', () => {
    const net = cluster(5);
    const first = electLeader(net);
    const term = net.nodes.get(first)!.status().term;
    net.crash(first);
    const second = electLeader(net);
    expect(second).not.toBe(first);
    expect(net.nodes.get(second)!.status().term).toBeGreaterThan(term);
    net.restart(first);
    net.runFor(30);
    expect(net.nodes.get(first)!.status()).toMatchObject({ role: 'follower', lead: second });
  });

  it('a split vote elects nobody; the randomized timeouts then break the tie in a later term', () => {
    const net = cluster(4);
    const [a, b, c, d] = ids(4);
    net.partition([a, c]);
    net.send(message({ type: 'MsgHup', from: a, to: a }));
    net.send(message({ type: 'MsgHup', from: b, to: b }));
    net.deliver();
    expect(net.leader()).toBeNull();
    expect([a, b].map((id) => net.nodes.get(id)!.status())).toMatchObject([
      { role: 'candidate', term: 1 },
      { role: 'candidate', term: 1 },
    ]);
    expect([c, d].map((id) => net.nodes.get(id)!.status().vote)).toEqual([a, b]);
    net.heal();
    const lead = electLeader(net);
    expect(net.nodes.get(lead)!.status().term).toBeGreaterThan(1);
  });
});

describe('replication (T02.2, T02.3)', () => {
  it('every proposal — on the leader or forwarded by a follower — is applied in the same order on every node', () => {
    const net = cluster(5);
    const lead = electLeader(net);
    for (let i = 0; i < 100; i++) {
      const via = ids(5)[i % 5];
      expect(net.propose(via, `x${i}`)).toBe(true);
      if (i % 7 === 0) net.deliver();
    }
    net.deliver();
    net.runFor(2);
    expect(new Set(states(net)).size).toBe(1);
    expect(net.apps.get(lead)!.applied).toBe(101);
  });

  it('ready() hands each entry out once: only new entries to persist, only newly committed ones to apply', () => {
    const net = cluster(3);
    const lead = electLeader(net);
    const node = net.nodes.get(lead)!;
    const persisted: number[] = [];
    for (const data of ['a', 'b', 'c']) {
      node.propose(data);
      const rd = node.ready();
      node.advance();
      persisted.push(...rd.entries.map((e) => e.index));
      expect(node.hasReady()).toBe(false);
    }
    expect(persisted).toEqual([2, 3, 4]);
  });

  it('a follower acknowledges entries only in the Ready that persists them', () => {
    const net = cluster(3);
    const lead = electLeader(net);
    const follower = net.running().find((id) => id !== lead)!;
    const node = net.nodes.get(follower)!;
    const { term, lastIndex, commit } = node.status();
    node.step(message({ type: 'MsgApp', from: lead, to: follower, term, index: lastIndex, logTerm: term, entries: [{ term, index: lastIndex + 1, data: 'x' }], commit }));
    const rd = node.ready();
    expect(rd.entries).toEqual([{ term, index: lastIndex + 1, data: 'x' }]);
    expect(rd.messages.map((m) => [m.type, m.index])).toEqual([['MsgAppResp', lastIndex + 1]]);
  });

  it('fast backtracking: a follower with a long divergent tail is repaired with about one probe per term, not one per entry', () => {
    const leaderLog = [1, ...Array(100).fill(3), ...Array(100).fill(5)];
    const followerLog = [1, ...Array(150).fill(2)];
    const net = new RecordingNetwork(newRaft, {
      ids: ['a', 'b', 'c'],
      restored: { a: disk(leaderLog, 5), b: disk(followerLog, 4), c: disk(leaderLog, 5) },
    });
    net.send(message({ type: 'MsgHup', from: 'a', to: 'a' }));
    net.deliver();
    expect(net.leader()).toBe('a');
    const rejections = net.log.filter((m) => m.type === 'MsgAppResp' && m.from === 'b' && m.reject);
    expect(rejections.length).toBeLessThanOrEqual(2);
    expect(net.disks.get('b')!.entries.map((e) => e.term)).toEqual([...leaderLog, 6]);
  });
});

describe('fault tolerance and partitions (T02.6)', () => {
  it.each([
    [3, 1],
    [5, 2],
    [7, 3],
  ])('%i nodes tolerate %i failures: they commit with that many down, stall with one more, and catch up when it returns', (n, f) => {
    const net = cluster(n);
    let lead = electLeader(net);
    const others = net.running().filter((id) => id !== lead);
    for (const id of others.slice(0, f)) net.crash(id);
    commitOne(net, lead, 'with-f-down');
    expect(net.apps.get(lead)!.applied).toBe(2);

    const extra = others[f];
    net.crash(extra);
    commitOne(net, lead, 'with-f+1-down');
    net.runFor(30);
    expect(net.apps.get(lead)!.applied, 'no majority: nothing more is committed').toBe(2);

    net.restart(extra);
    net.runFor(60);
    lead = net.leader()!;
    expect(net.apps.get(extra)!.applied).toBe(net.apps.get(lead)!.applied);
    expect(net.apps.get(lead)!.applied).toBeGreaterThanOrEqual(3);
  });

  it('a minority partition cannot commit; the majority elects a leader and commits; after healing all agree, the old tail replaced', () => {
    const net = cluster(5);
    const old = electLeader(net);
    const minority = [old, net.running().find((id) => id !== old)!];
    net.partition(minority);
    commitOne(net, old, 'lost-write');
    net.runFor(40);
    expect(net.apps.get(old)!.applied).toBe(1);

    const majorityLeader = net.leader()!;
    expect(minority).not.toContain(majorityLeader);
    commitOne(net, majorityLeader, 'kept-write');
    const applied = net.apps.get(majorityLeader)!.applied;

    net.heal();
    net.runFor(30);
    expect(net.nodes.get(old)!.status().role).toBe('follower');
    expect(new Set(states(net)).size).toBe(1);
    expect(net.disks.get(old)!.entries.map((e) => e.data)).toContain('kept-write');
    expect(net.disks.get(old)!.entries.map((e) => e.data)).not.toContain('lost-write');
    expect(net.apps.get(old)!.applied).toBe(applied);
  });
});

describe('persistence and crash recovery (T02.7)', () => {
  it('after every node crashes and restarts from its disk, nothing committed is lost, and the cluster carries on', () => {
    const net = cluster(3);
    const lead = electLeader(net);
    for (let i = 0; i < 10; i++) commitOne(net, lead, `x${i}`);
    const before = states(net);
    for (const id of ids(3)) net.crash(id);
    for (const id of ids(3)) net.restart(id);
    // A restarted node re-applies what it knows to be committed, from the start of its log.
    net.runFor(1);
    expect(states(net)).toEqual(before);
    const next = electLeader(net);
    commitOne(net, next, 'after-restart');
    expect(net.apps.get(next)!.applied).toBe(13);
  });

  it('a node restarted in a term it voted in will not vote for anyone else in that term', () => {
    const node = newRaft({ id: 'a', peers: ['a', 'b', 'c'], seed: 1, restored: { hardState: { term: 5, vote: 'b', commit: 0 }, entries: [], snapshot: null } });
    node.step(message({ type: 'MsgVote', from: 'c', to: 'a', term: 5 }));
    node.step(message({ type: 'MsgVote', from: 'b', to: 'a', term: 5 }));
    expect(node.ready().messages.map((m) => [m.to, m.reject])).toEqual([
      ['c', true],
      ['b', false],
    ]);
  });

  it('a restart with a disk that claims more is committed than it holds is refused', () => {
    const restored = { hardState: { term: 2, vote: null, commit: 3 }, entries: entries([1, 2]), snapshot: null };
    expect(() => newRaft({ id: 'a', peers: ['a', 'b', 'c'], seed: 1, restored })).toThrow(/persisted commit 3 is past the last persisted entry 2/);
  });
});

describe('snapshots and log compaction (T02.5)', () => {
  it('with compaction on, a node that was down a long time catches up from the leader’s snapshot, and every log stays short', () => {
    const net = cluster(3, { compactEvery: 10 });
    const lead = electLeader(net);
    const late = net.running().find((id) => id !== lead)!;
    net.crash(late);
    for (let i = 0; i < 100; i++) commitOne(net, lead, `x${i}`);
    net.restart(late);
    net.runFor(10);
    expect(net.apps.get(late)!.applied).toBe(101);
    expect(new Set(states(net)).size).toBe(1);
    for (const id of ids(3)) {
      expect(net.disks.get(id)!.snapshot!.metadata.index).toBeGreaterThan(80);
      expect(net.disks.get(id)!.entries.length).toBeLessThan(20);
    }
  });

  it('a snapshot that is lost is sent again after the next heartbeat round', () => {
    const net = new RecordingNetwork(newRaft, { ids: ids(3), seed: 2, compactEvery: 5 });
    const lead = electLeader(net);
    const late = net.running().find((id) => id !== lead)!;
    net.crash(late);
    for (let i = 0; i < 20; i++) commitOne(net, lead, `x${i}`);
    let lost = 0;
    net.lose = (m) => m.type === 'MsgSnap' && lost++ === 0;
    net.restart(late);
    net.runFor(5);
    expect(net.log.filter((m) => m.type === 'MsgSnap').length).toBe(2);
    expect(net.apps.get(late)!.state).toBe(net.apps.get(lead)!.state);
  });
});

describe('linearizable reads (T02.4)', () => {
  it('a read sees every write committed before it was asked, on the leader and on a follower', () => {
    const net = cluster(3);
    const lead = electLeader(net);
    const follower = net.running().find((id) => id !== lead)!;
    commitOne(net, lead, 'x=1');
    const written = net.apps.get(lead)!.applied;
    for (const id of [lead, follower]) {
      expect(net.readIndex(id, `read-on-${id}`)).toBe(true);
      net.deliver();
      const [answer] = net.apps.get(id)!.reads;
      expect(answer).toEqual({ index: written, requestCtx: `read-on-${id}` });
      expect(net.apps.get(id)!.applied).toBeGreaterThanOrEqual(answer.index);
    }
  });

  it('a deposed leader cut off with a minority never answers a read: no stale reads', () => {
    const net = cluster(5);
    const old = electLeader(net);
    net.partition([old]);
    net.readIndex(old, 'stale?');
    net.runFor(50);
    const fresh = net.leader()!;
    expect(fresh).not.toBe(old);
    commitOne(net, fresh, 'x=2');
    net.readIndex(fresh, 'fresh');
    net.deliver();
    expect(net.apps.get(old)!.reads).toEqual([]);
    expect(net.apps.get(fresh)!.reads.map((r) => r.requestCtx)).toEqual(['fresh']);
  });
});

describe('pre-vote and check-quorum', () => {
  it.each([
    [true, 'keeps its term, and the leader keeps leading'],
    [false, 'raises its term while away, and deposes the leader when it returns'],
  ])('with preVote %s, a node that was cut off %s', (preVote, _) => {
    const net = cluster(3, { preVote });
    const lead = electLeader(net);
    const term = net.nodes.get(lead)!.status().term;
    const away = net.running().find((id) => id !== lead)!;
    net.isolate(away);
    net.runFor(100);
    expect(net.nodes.get(away)!.status().term > term).toBe(!preVote);
    net.heal();
    net.runFor(50);
    const now = net.leader()!;
    expect(net.nodes.get(now)!.status().term === term).toBe(preVote);
  });

  it('with checkQuorum, a leader that hears from no majority steps down within two election timeouts', () => {
    const net = cluster(3, { checkQuorum: true });
    const lead = electLeader(net);
    net.isolate(lead);
    net.runFor(20);
    expect(net.nodes.get(lead)!.status()).toMatchObject({ role: 'follower', lead: null });
  });
});
