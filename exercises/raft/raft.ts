/**
 * Exercises `raft-election`, `raft-replication`, `raft-persistence`, `raft-snapshots` — Raft,
 * in four parts.                                                                (chapter 02)
 *
 * Raft keeps a log identical on every node of a cluster, so that each node, applying the log in
 * order, computes the same state — etcd, under every Kubernetes cluster, is such a log. You
 * write it as a pure state machine in the shape of etcd's raft library: the node never sends,
 * stores or applies anything itself. It appends messages to its outbox and moves marks in its
 * log, and ready() (given) hands everything out to the caller, who persists, sends, applies and
 * calls advance(). So each handler is a plain function of (state, message) => (new state,
 * messages out). The contract — Message, Ready, Config, RaftNode — is in
 * lab-kernel/raft/types.ts: read it first. The paper: "In Search of an Understandable
 * Consensus Algorithm" (sections cited as §).
 *
 * As in etcd-io/raft, the plumbing is given, in lab-kernel/raft/: the node's state and
 * interface, the dispatch of each message in step(), the Ready bookkeeping, becomeFollower and
 * reset, sending entries (appendEntry, bcastAppend, sendAppend), the log's storage
 * (raft-log.ts), the follower tracking (progress.ts) and the read queue (read-only.ts). You
 * write the handlers, one file per part, each in the order you write it:
 *   election.ts     raft-election     TODO(election 1-8)     terms, votes, randomized timeouts,
 *                                                            heartbeats (§5.1, §5.2, §5.4.1)
 *   replication.ts  raft-replication  TODO(replication 1-9)  appending, consistency check,
 *                                                            backtracking, commit, reads (§5.3, §5.4.2, §8)
 *   persistence.ts  raft-persistence  TODO(persistence 1-3)  starting again from disk (§5.2, Figure 2)
 *   snapshots.ts    raft-snapshots    TODO(snapshots 1-5)    compaction and InstallSnapshot (§7)
 * Each part builds on the ones before; until you write a function it throws
 * "not implemented yet: <part>". Grade a part with
 *   npm run grade -- raft-election      (then raft-replication, raft-persistence, raft-snapshots)
 * and ask for hints with --hint.
 *
 * This file hands the node the functions it calls, part by part:
 *
 *   newRaft({ id: 'a', peers: ['a', 'b', 'c'], seed: 7 })   => a follower at term 0, no leader
 */
import { Raft, type RaftParts } from '../../lab-kernel/raft/core';
import type { Config, RaftNode } from '../../lab-kernel/raft/types';
import { campaign, handleHeartbeat, handleTerm, handleVote, handleVoteResponse, sendHeartbeat, tickElection, tickHeartbeat } from './election';
import { handleAppendEntries, handleAppendResponse, handleHeartbeatResponse, handleProposal, handleReadIndex, maybeCommit } from './replication';
import { loadPersisted } from './persistence';
import { compact, handleSnapshot, sendSnapshot } from './snapshots';

const parts: RaftParts = {
  handleTerm, tickElection, tickHeartbeat, campaign, handleVote, handleVoteResponse, sendHeartbeat, handleHeartbeat,
  handleProposal, handleAppendEntries, handleAppendResponse, maybeCommit, handleHeartbeatResponse, handleReadIndex,
  loadPersisted,
  compact, sendSnapshot, handleSnapshot,
};

/** The slot's entry point: a new node, restarted from `config.restored` if given. */
export function newRaft(config: Config): RaftNode {
  return new Raft(config, parts);
}
