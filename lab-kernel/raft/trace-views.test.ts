import { describe, expect, it } from 'vitest';
import { loadSlot } from '../slots/slots';
import { RaftCluster } from './raft-cluster';
import { raftLines, raftMessages, votesByTerm } from './trace-views';

const reference = loadSlot('raft', 'solution');

describe('raftMessages and raftLines', () => {
  it('pick the Raft messages since a time whose summary matches', () => {
    const c = new RaftCluster({ seed: 16, peers: 3, newRaft: reference });
    c.checkOneLeader();
    const votes = raftMessages(c.sim.trace, 0, /Vote/);
    expect(votes.length).toBeGreaterThanOrEqual(4);
    expect(votes.every((e) => /^MsgVote/.test(e.summary))).toBe(true);
    expect(raftLines(c.sim.trace, 0, /Vote/).split('\n')).toHaveLength(votes.length);
    expect(raftMessages(c.sim.trace, c.now() + 1)).toEqual([]);
  });
});

describe('votesByTerm', () => {
  it('counts each candidate’s own vote and the votes granted to it, term by term', () => {
    // Chapter 02's run: raft-1 wins term 1; after it crashes, term 2 splits and term 3 elects.
    const c = new RaftCluster({ seed: 16, peers: 3, newRaft: reference });
    const first = c.checkOneLeader();
    expect(votesByTerm(c.sim.trace, 0, 3)).toEqual([
      { term: 1, candidate: `raft-${first}`, 'votes it got': expect.stringContaining(`raft-${first} (itself)`), 'votes needed': 2, result: 'leader' },
    ]);
    c.runFor(1000); // a second of heartbeats, as in the chapter
    const crashedAt = c.now();
    c.crash(first);
    c.checkOneLeader();
    const rows = votesByTerm(c.sim.trace, crashedAt, 3);
    expect(rows.filter((r) => r.term === 2).map((r) => r.result)).toEqual(['no majority', 'no majority']);
    expect(rows.filter((r) => r.result === 'leader')).toHaveLength(1);
  });
});
