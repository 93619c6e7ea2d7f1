import { describe, expect, it } from 'vitest';
import { loadSlot } from '../slots/slots';
import { deliver, logOf, nodeFromDisk, writeSurvives } from './experiments';
import { RaftCluster } from './raft-cluster';

const reference = loadSlot('raft', 'solution');
const five = ['s1', 's2', 's3', 's4', 's5'];

describe('a node played by hand', () => {
  it('starts from the disk given, and deliver() answers with what it sends', () => {
    expect(logOf(1, 2).map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 2]]);
    const s1 = nodeFromDisk(reference, { id: 's1', peers: five, term: 3, logTerms: [1, 2] });
    expect(s1.status()).toMatchObject({ term: 3, lastIndex: 2, commit: 1 });
    expect(deliver(s1, 'MsgHup', 's1')).toBe('MsgVote to s2, MsgVote to s3, MsgVote to s4, MsgVote to s5');
    const s3 = nodeFromDisk(reference, { id: 's3', peers: five, term: 4, logTerms: [1, 2, 4] });
    expect(deliver(s3, 'MsgVote', 's5', { term: 5, index: 2, logTerm: 3 })).toBe('MsgVoteResp to s5 (refused)');
  });
});

describe('writeSurvives', () => {
  it('commits while a majority is up, and not once it is gone', () => {
    expect(writeSurvives(new RaftCluster({ seed: 1, peers: 3, newRaft: reference }), 1).committed).toBe(true);
    expect(writeSurvives(new RaftCluster({ seed: 1, peers: 3, newRaft: reference }), 2)).toEqual({ committed: false, ms: 5000 });
  });
});
