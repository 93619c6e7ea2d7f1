import type { RaftCluster } from './raft-cluster';
import { message, type Entry, type Message, type MessageType, type NewRaft, type RaftNode } from './types';

/**
 * The plumbing of chapter 02's experiments, so that a cell shows only the experiment.
 *
 * Playing one node by hand, as the paper's tests do: a node started from a disk prepared by
 * hand, and us playing the network.
 *
 *   const s1 = nodeFromDisk(reference, { id: 's1', peers: five, term: 3, logTerms: [1, 2] });
 *   deliver(s1, 'MsgHup', 's1')                                        // => 'MsgVote to s2, MsgVote to s3, ...'
 *   deliver(s1, 'MsgVoteResp', 's2', { term: 4 })                      // => ''
 *
 * Fault tolerance, measured:
 *
 *   writeSurvives(raftCluster({ seed: 1, peers: 5 }), 2)   // => { committed: true, ms: 1500 }
 */

/** A log whose entry i has the i-th term given: logOf(1, 2) = [index 1 of term 1, index 2 of term 2]. */
export function logOf(...terms: number[]): Entry[] {
  return terms.map((term, i) => ({ term, index: i + 1, data: `written in term ${term}` }));
}

export interface DiskByHand {
  id: string;
  peers: string[];
  /** The term on its disk (no vote). */
  term: number;
  /** Its log, as the term of each entry from index 1: [1, 2] is entry 1 of term 1, entry 2 of term 2. */
  logTerms: number[];
  /** Its commit index (default 1: the first entry is committed). */
  commit?: number;
}

/** A node started from a disk prepared by hand. */
export function nodeFromDisk(newRaft: NewRaft, disk: DiskByHand): RaftNode {
  return newRaft({
    id: disk.id,
    peers: disk.peers,
    seed: 1,
    restored: { hardState: { term: disk.term, vote: null, commit: disk.commit ?? 1 }, entries: logOf(...disk.logTerms), snapshot: null },
  });
}

/** Delivers one message to the node and runs its Ready; returns what it sends in answer, in words. */
export function deliver(node: RaftNode, type: MessageType, from: string, fields: Partial<Message> = {}): string {
  node.step(message({ type, from, to: node.status().id, ...fields }));
  const rd = node.ready();
  node.advance();
  return rd.messages.map(describeAnswer).join(', ');
}

/** 'MsgVoteResp to a (granted)', 'MsgAppResp to s1 (refused)', 'MsgApp to s2'. */
export function describeAnswer(m: Message): string {
  const verdict = m.reject ? ' (refused)' : m.type === 'MsgVoteResp' || m.type === 'MsgPreVoteResp' ? ' (granted)' : '';
  return `${m.type} to ${m.to}${verdict}`;
}

/**
 * Crashes k members of the cluster, its leader first (the worst case: an election must follow),
 * then offers one write to whoever leads, every quarter second: is it committed within
 * `deadlineMs`, and how soon?
 */
export function writeSurvives(c: RaftCluster, k: number, deadlineMs = 5000): { committed: boolean; ms: number } {
  const n = c.names.length;
  const leader = c.checkOneLeader();
  const order = [leader, ...c.names.map((_, i) => i).filter((i) => i !== leader)];
  for (const victim of order.slice(0, k)) c.crash(victim);
  const start = c.now();
  const command = `write with ${k} of ${n} down`;
  while (c.now() - start < deadlineMs) {
    for (let i = 0; i < n; i++) if (c.isLeader(i)) c.start(i, command); // whoever leads now
    const committed = c.runUntil(() => c.safety.indexOf(command) !== undefined, 250);
    if (committed) return { committed: true, ms: c.now() - start };
  }
  return { committed: false, ms: deadlineMs };
}
