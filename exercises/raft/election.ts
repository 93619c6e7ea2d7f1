/**
 * Exercise `raft-election` — Raft, part 1: leader election (§5.1, §5.2, §5.4.1).   (chapter 02)
 *
 * Terms, votes, randomized timeouts and heartbeats: how a cluster comes to have exactly one
 * leader per term, and keeps it while it is alive. Each function gets the node `r` (a Raft,
 * lab-kernel/raft/core.ts: its state, and the given helpers send, becomeFollower, reset, pr,
 * quorum, appendEntry, bcastAppend...) and changes it; what it sends goes out in the next
 * Ready. The node calls them from its dispatch: tick() calls tickElection or tickHeartbeat,
 * step(m) calls handleTerm first, then handleVote, handleVoteResponse or handleHeartbeat.
 * Work through TODO(election 1) to TODO(election 8) in order, and grade with
 *   npm run grade -- raft-election
 *
 * Part 1 on its own. A new leader's first act is an AppendEntries (bcastAppend, given), and
 * its followers answer heartbeats: the code that handles those — a follower's
 * handleAppendEntries, the leader's handleHeartbeatResponse — is Part 2's, and until you
 * write it it throws "not implemented yet: raft-replication". Nothing in this part needs it:
 * a leader keeps its followers from campaigning with heartbeats alone, which are yours here.
 * So when the grader runs Part 1's clusters, a message whose handling reaches a later part's
 * "not implemented yet" is dropped, and the drop is written in the cluster's trace
 * (`dropped MsgApp ...: not implemented yet: raft-replication`) — it never silently does
 * nothing, and it never stops the run. (Run a cluster by hand before Part 2 and you will see
 * that error: it is expected.)
 */
import type { Message, NodeId } from '../../lab-kernel/raft/types';
import type { CampaignKind, Raft } from '../../lab-kernel/raft/core';
import type { RaftLog } from '../../lab-kernel/raft/raft-log';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/** Where a vote count stands. */
export type VoteResult = 'won' | 'lost' | 'pending';

/**
 * TODO(election 1) The term rules, applied to every message from another node before anything
 * else (§5.1): terms act as a logical clock, and a node that sees a newer term knows it is out
 * of date. Returns whether the message should still be handled.
 *
 * - A newer term: step down to follower in that term (with the sender as leader if it is
 *   one: MsgApp, MsgHeartbeat, MsgSnap). Except: a pre-vote request never changes the
 *   term, nor does a granted pre-vote (it answers with the term the pre-candidate will
 *   campaign in); and with checkQuorum, a node that heard from its leader less than an
 *   election timeout ago ignores vote requests altogether (the leader is alive: no need
 *   for a new one).
 * - An older term: drop the message. Two answers help the sender, though: a stale leader
 *   (when checkQuorum or preVote is on, the sender may be stuck in an old term forever,
 *   since higher-term votes no longer reach it) gets an MsgAppResp carrying our term, and
 *   a pre-candidate gets its rejection.
 *
 *   follower at term 3:  MsgApp { from b, term 5 }   => true; now follower at term 5, lead b, vote null
 *                        MsgVote { from c, term 5 }  => true; now follower at term 5, lead null
 *                        MsgPreVote { term 4 }       => true; still term 3 (handleVote decides)
 *                        MsgHeartbeat { term 2 }     => false (with checkQuorum or preVote: MsgAppResp { term 3 } back)
 *   leader at term 3:    MsgAppResp { term 2 }       => false, nothing sent
 *   checkQuorum, follower that heard its leader 2 ticks ago:  MsgVote { term 9 } => false, still term 3
 */
export function handleTerm(r: Raft, m: Message): boolean {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 2) A follower or candidate that heard nothing for its (randomized) election
 * timeout campaigns (§5.2): count the tick; at the timeout, start counting again and campaign
 * (r.hup(), given).
 *
 *   randomizedElectionTimeout 13, electionElapsed 11:  tick => 12, nothing
 *                                                     tick => 0, campaigns: MsgVote to every peer
 */
export function tickElection(r: Raft): void {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 3) A new term, a vote for itself (§5.2). r.reset(term) (given) does what
 * every role change needs: a new term clears the vote, the timers restart.
 *
 *   follower at term 4, vote b  => candidate at term 5, vote itself, lead null, a new random timeout
 */
export function becomeCandidate(r: Raft): void {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 3) A pre-candidate polls without touching term or vote: only the role, the
 * votes and the leader change.
 *
 *   follower at term 4, vote b, lead b  => pre-candidate at term 4, vote b, lead null, no votes yet
 */
export function becomePreCandidate(r: Raft): void {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 4) Becomes a (pre-)candidate, votes for itself, and asks every other voter for
 * its vote, saying how far its log goes so the voter can apply the election restriction
 * (§5.2, §5.4.1). A pre-vote asks "would you vote for me in term+1?" without raising the term.
 * A single-node cluster wins at once.
 *
 *   follower 'a' at term 4, log ending (index 9, term 3), peers a b c, campaign('election')
 *   => candidate at term 5, vote 'a';
 *      messages MsgVote { to b, term 5, index 9, logTerm 3 } and the same to c
 */
export function campaign(r: Raft, kind: CampaignKind): void {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 5) Records `id`'s vote (only its first vote counts) and tallies: won with a
 * majority of grants, lost once a majority can no longer be reached, pending otherwise.
 *
 *   5 voters, granted by self, b          => 'pending'
 *   5 voters, granted by self, b, c       => 'won'
 *   5 voters, self; rejected by b, c, d   => 'lost'
 */
export function poll(r: Raft, id: NodeId, granted: boolean): VoteResult {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 6) Election restriction (§5.4.1): a voter grants its vote only to a candidate
 * whose log is at least as up-to-date as its own. Compare the last entries: the later term
 * wins; with the same last term, the longer log wins; equal logs are up-to-date.
 *
 *   mine ends (index 9, term 5):  candidate (9, 4) => false   (8, 5) => false
 *                                 candidate (9, 5) => true    (2, 6) => true
 */
export function isUpToDate(log: RaftLog, lastIndex: number, lastTerm: number): boolean {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 6) A vote or pre-vote request (§5.2, §5.4.1). Grant it if both hold:
 *   - this node may vote for the sender: it already voted for it in this term (a repeated
 *     request), or it has voted for nobody and knows no leader in this term, or it is a
 *     pre-vote for a later term (pre-votes promise nothing);
 *   - the sender's log is at least as up-to-date as ours (the election restriction).
 * A granted vote is recorded (and resets the election timer: someone is about to lead); a
 * pre-vote is not. The answer carries the request's term when granted, ours when not.
 *
 *   follower at term 6, voted for nobody, log ends (9, 5):
 *     MsgVote { from c, term 6, index 9, logTerm 4 }  => MsgVoteResp { to c, term 6, reject: true } (c's log is behind)
 *     MsgVote { from c, term 6, index 9, logTerm 5 }  => MsgVoteResp { to c, term 6 }, vote = c
 *     then MsgVote { from d, term 6, index 20, logTerm 6 } => rejected: already voted for c in term 6
 */
export function handleVote(r: Raft, m: Message): void {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 7) Leads its term. r.reset(term) makes every follower's progress start from
 * the guess "you have what I have". Then it appends an empty entry of its own term
 * (r.appendEntry([''])): until an entry of its term is committed, it cannot know which
 * entries are committed (Figure 8), nor serve reads (§8).
 *
 *   candidate at term 5 of a b c, log ending at 9  => leader, lead itself; progress of b and c
 *   next 10, match 0; its own log gains (index 10, term 5, data ''); its own progress is
 *   replicating and active
 */
export function becomeLeader(r: Raft): void {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 7) A (pre-)candidate counts an answer to its own kind of request (a
 * pre-candidate ignores late answers to real votes, a candidate late pre-vote answers). A won
 * pre-vote starts the real election; a won election makes it leader, which at once tells
 * everyone (r.bcastAppend(), given); a lost one makes it a follower again.
 *
 *   candidate at term 5 of a b c, voted for itself:
 *     MsgVoteResp { from b, term 5 }                 => leader; MsgApp to b and c
 *     MsgVoteResp { from b, term 5, reject: true },
 *     then the same from c                          => follower at term 5, lead null
 *     MsgPreVoteResp { from b, term 6 }              => ignored (not a pre-candidate)
 */
export function handleVoteResponse(r: Raft, m: Message): void {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 8) A leader sends heartbeats every heartbeatTimeout ticks
 * (r.bcastHeartbeat(r.readOnly.context()), given: your sendHeartbeat to each follower), so
 * that followers do not time out (§5.2). With checkQuorum, once per election timeout it also
 * checks that a majority answered since the last check (r.pr(id).recentActive) — if not, it
 * is probably cut off, and steps down.
 *
 *   heartbeatTimeout 1:  every tick => MsgHeartbeat to each follower
 *   checkQuorum, 5 voters, electionElapsed reaches electionTimeout, only b answered since the
 *   last check (2 of 5 with itself) => follower, lead null; had c answered too => stays, and
 *   marks b and c inactive for the next check
 */
export function tickHeartbeat(r: Raft): void {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 8) A heartbeat carries the commit index, but never beyond what the follower is
 * known to hold (`match`): a follower whose log still diverges must not commit its own
 * entries there.
 *
 *   leader commit 7, b's match 4:  sendHeartbeat(r, b, '')   => MsgHeartbeat { to b, commit 4 }
 *   leader commit 7, c's match 9:  sendHeartbeat(r, c, '3')  => MsgHeartbeat { to c, commit 7, context '3' }
 */
export function sendHeartbeat(r: Raft, to: NodeId, context: string): void {
  throw notImplemented('raft-election');
}

/**
 * TODO(election 8) A follower takes the commit index from a heartbeat (r.log.commitTo) and
 * answers, echoing the context (for reads).
 *
 *   commit 2:  MsgHeartbeat { from a, commit 5, context '3' }  => commit 5, MsgHeartbeatResp { to a, context '3' }
 */
export function handleHeartbeat(r: Raft, m: Message): void {
  throw notImplemented('raft-election');
}
