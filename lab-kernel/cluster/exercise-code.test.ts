import { describe, expect, it } from 'vitest';
import { SlotError } from '../slots/slots';
import { implementation, raftCluster } from './exercise-code';

describe('where exercise code enters the kernel', () => {
  it('raftCluster runs the reference Raft by default', () => {
    const c = raftCluster({ seed: 1, peers: 3 });
    c.one('x', 3, true);
    expect(c.status(0)?.applied).toBeGreaterThanOrEqual(2);
  });

  it("raftCluster runs the learner's Raft on request: a stub fails as not implemented", () => {
    expect(() => raftCluster({ seed: 1, peers: 3, source: 'exercise' }).checkOneLeader()).toThrow(/not implemented yet: raft-election/);
  });

  it('implementation gives the reference unguarded, and the learner code behind the guard', () => {
    const reference = implementation('mvcc-read', 'solution');
    const history = [{ modRevision: 2, createRevision: 2, version: 1 }];
    expect(reference(history, 2)).toEqual(history[0]);
    const stub = implementation('mvcc-read', 'exercise');
    expect(() => stub([], 1)).toThrow(SlotError);
  });
});
