/**
 * The given plumbing on its own (core.ts, raft-log.ts), with parts that only record what the
 * node calls: the dispatch asks handleTerm first, a new leader's appendEntry commits at once
 * only when it is alone (so Part 1 never needs Part 2's maybeCommit), and the log's storage
 * keeps its marks. The reference's behaviour is tested through the slot in the other files.
 */
import { describe, expect, it } from 'vitest';
import { Raft, type RaftParts } from './core';
import { RaftLog } from './raft-log';
import { message } from './types';

/** Parts that record each call by name; `answers` says what a call returns (default: throw). */
function recordingParts(calls: string[], answers: Partial<Record<keyof RaftParts, unknown>> = {}): RaftParts {
  return new Proxy({} as RaftParts, {
    get: (_, name: string) => () => {
      calls.push(name);
      if (!(name in answers)) throw new Error(`unexpected call: ${name}`);
      return answers[name as keyof RaftParts];
    },
  });
}

describe('the given Raft node', () => {
  it('asks handleTerm first about a message from a peer, and stops there when it says drop', () => {
    const calls: string[] = [];
    const r = new Raft({ id: 'a', peers: ['a', 'b', 'c'], seed: 1 }, recordingParts(calls, { handleTerm: false }));
    r.step(message({ type: 'MsgVote', from: 'b', to: 'a', term: 1 }));
    expect(calls).toEqual(['handleTerm']);
  });

  it('routes a vote request to handleVote, and a heartbeat to a follower to handleHeartbeat after noting its leader', () => {
    const calls: string[] = [];
    const r = new Raft({ id: 'a', peers: ['a', 'b', 'c'], seed: 1 }, recordingParts(calls, { handleTerm: true, handleVote: undefined, handleHeartbeat: undefined }));
    r.step(message({ type: 'MsgVote', from: 'b', to: 'a', term: 1 }));
    r.step(message({ type: 'MsgHeartbeat', from: 'c', to: 'a', term: 1 }));
    expect(calls).toEqual(['handleTerm', 'handleVote', 'handleTerm', 'handleHeartbeat']);
    expect(r.status().lead).toBe('c');
  });

  it('appendEntry calls maybeCommit only for a leader alone: with followers, nothing new is committed before one answers', () => {
    for (const [peers, expected] of [[['a'], ['maybeCommit']], [['a', 'b', 'c'], []]] as const) {
      const calls: string[] = [];
      const r = new Raft({ id: 'a', peers: [...peers], seed: 1 }, recordingParts(calls, { maybeCommit: false }));
      r.appendEntry(['']);
      expect(calls, `peers ${peers.join(' ')}`).toEqual(expected);
      expect(r.log.lastIndex()).toBe(1);
      expect(r.pr('a').match).toBe(1);
    }
  });
});

describe('the given Raft log', () => {
  const entries = (terms: number[], from = 1) => terms.map((term, i) => ({ term, index: from + i, data: '' }));

  it('appends over an uncommitted tail, brings stabled back before it, and refuses to overwrite a committed entry or leave a gap', () => {
    const log = new RaftLog();
    log.append(entries([1, 1, 2]));
    log.accept(0);
    log.commitTo(1);
    expect(log.append(entries([3, 3], 3))).toBe(4);
    expect([1, 2, 3, 4].map((i) => log.term(i))).toEqual([1, 1, 3, 3]);
    expect(log.stabled).toBe(2);
    expect(log.unstableEntries().map((e) => e.index)).toEqual([3, 4]);
    expect(() => log.append(entries([2], 1))).toThrow(/committed/);
    expect(() => log.append(entries([3], 6))).toThrow(/gap/);
    expect(() => log.commitTo(5)).toThrow(/past the last index/);
  });
});
