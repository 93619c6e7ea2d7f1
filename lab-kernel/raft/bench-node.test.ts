import { describe, expect, it } from 'vitest';
import { BenchNode, brief } from './bench-node';
import { loadSlot } from '../slots/slots';
import { message } from './types';

const newRaft = loadSlot('raft', 'solution');

describe('BenchNode', () => {
  it('drives one node by hand: ticks, messages in, and what its Readys held', () => {
    const n = new BenchNode(newRaft, { id: 'a', peers: ['a', 'b', 'c'], seed: 1 });
    const ticks = n.ticksUntilMessages();
    expect(ticks).toBeGreaterThanOrEqual(10);
    n.step('MsgVoteResp', 'b', { term: 1 });
    const out = n.take();
    expect(out.readies.map((rd) => rd.softState).filter(Boolean)).toEqual([{ lead: 'a', role: 'leader' }]);
    expect(out.entries).toEqual([{ term: 1, index: 1, data: '' }]);
    expect(out.messages.map(brief)).toEqual(['MsgApp a->b t1 [1@1]', 'MsgApp a->c t1 [1@1]']);
    expect(n.take().readies, 'everything was handed out').toEqual([]);
    expect(n.propose('x')).toBe(true);
    expect(n.readIndex('r')).toBe(true);
  });

  it('writes messages briefly, with only the fields that say something', () => {
    expect(brief(message({ type: 'MsgAppResp', from: 'b', to: 'a', term: 2, index: 7, reject: true, rejectHint: 5, logTerm: 1 }))).toBe('MsgAppResp b->a t2 i7/1 reject hint 5');
    expect(brief(message({ type: 'MsgHeartbeat', from: 'a', to: 'b', term: 2, commit: 4 }))).toBe('MsgHeartbeat a->b t2 c4');
  });
});
