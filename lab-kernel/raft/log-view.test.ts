import { describe, expect, it } from 'vitest';
import { loadSlot } from '../slots/slots';
import { memberLogs, persistedLog, recordApplies } from './log-view';
import { RaftCluster } from './raft-cluster';

const reference = loadSlot('raft', 'solution');

describe('memberLogs: the log matrix, read from the members’ disks', () => {
  it('shows what each member holds, committed or not, and a crashed member’s disk', () => {
    const c = new RaftCluster({ seed: 1, peers: 3, newRaft: reference });
    const leader = c.checkOneLeader();
    c.one('x=1', 3, false);
    const down = (leader + 1) % 3;
    c.crash(down);
    c.one('y=2', 2, false);
    const logs = memberLogs(c);
    expect(logs.map((l) => l.member)).toEqual(['raft-0', 'raft-1', 'raft-2']);
    expect(logs[leader]).toMatchObject({ role: 'leader', term: 1, commit: 3, applied: 3, snapshotIndex: 0 });
    expect(logs[leader].entries).toEqual([{ index: 1, term: 1 }, { index: 2, term: 1 }, { index: 3, term: 1 }]);
    // The crashed member: no role, no applied index, and its disk stops at index 2.
    expect(logs[down]).toMatchObject({ role: undefined, applied: undefined, cutOff: true });
    expect(logs[down].entries.map((e) => e.index)).toEqual([1, 2]);
    expect(logs[down].commit).toBe(persistedLog(c.disk(down)).hardState.commit);
  });

  it('marks entries folded into a snapshot', () => {
    const c = new RaftCluster({ seed: 4, peers: 3, newRaft: reference, snapshotEvery: 5 });
    c.checkOneLeader();
    for (let i = 1; i <= 6; i++) c.one(`cmd-${i}`, 3, false);
    for (const log of memberLogs(c)) {
      expect(log.snapshotIndex).toBe(5);
      expect(log.entries.map((e) => e.index)).toEqual([6, 7]);
    }
  });

  it('renames rows on request', () => {
    const c = new RaftCluster({ seed: 1, peers: 3, newRaft: reference });
    expect(memberLogs(c, (i) => `S${i + 1}`).map((l) => l.member)).toEqual(['S1', 'S2', 'S3']);
  });
});

describe('recordApplies', () => {
  it('writes down every apply with its virtual time, member by member', () => {
    const applies = recordApplies(reference, () => c.now());
    const c = new RaftCluster({ seed: 1, peers: 3, newRaft: applies.newRaft });
    c.checkOneLeader();
    c.one('x=1', 3, false);
    const x = applies.lines.filter((l) => l.endsWith('applies 2: "x=1"'));
    expect(x).toHaveLength(3);
    expect(x[0]).toMatch(/^\d+\.\d{3}s {2}raft-\d applies 2: "x=1"$/);
  });
});
