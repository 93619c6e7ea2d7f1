/**
 * Exercise `raft-replication` — Raft, part 2: log replication, commit and linearizable reads
 * (§5.3, §5.4.2, §8).                                                              (chapter 02)
 *
 * The leader appends each proposal to its log and sends it out (given: r.appendEntry,
 * r.bcastAppend, r.sendAppend); you write what the follower does with an AppendEntries, how
 * the leader reads the answers, when an entry is committed, and how a read is confirmed. The
 * follower's side first, on its log, then the leader's:
 *
 *   leader a, log 1..4, proposes 'x'  => entry (5, t2, 'x'); MsgApp { index 4, logTerm 2, entries [5] } to b and c
 *   follower b (holds 4 of term 2)    => appends 5; MsgAppResp { index 5 }
 *   a, hearing b                      => b's match 5: a majority (a, b) holds 5, of term 2: commit 5
 *
 * Work through TODO(replication 1) to TODO(replication 9) in order, and grade with
 *   npm run grade -- raft-replication
 * A node restarted from disk needs Part 3 (it throws "not implemented yet: raft-persistence"
 * until then), and a follower too far behind for the log needs Part 4's snapshot: this part's
 * grading needs neither.
 */
import type { Entry, Message } from '../../lab-kernel/raft/types';
import type { Raft } from '../../lab-kernel/raft/core';
import type { Progress } from '../../lab-kernel/raft/progress';
import type { RaftLog } from '../../lab-kernel/raft/raft-log';

/**
 * TODO(replication 1) The index of the first of `entries` that the log does not already hold:
 * either its term differs from the log's entry at that index (a conflict), or the log ends
 * before it. 0 when the log holds all of them.
 *
 *   log terms 1 1 2 (indexes 1..3), entries (2,t1) (3,t2)        => 0  (already there)
 *   log terms 1 1 2,                entries (3,t2) (4,t3)        => 4  (new from 4)
 *   log terms 1 1 2,                entries (2,t1) (3,t3) (4,t3) => 3  (conflict at 3)
 */
export function findConflict(log: RaftLog, entries: Entry[]): number {
  // BEGIN SOLUTION raft-replication
  for (const e of entries) {
    if (!log.matchTerm(e.index, e.term)) return e.index;
  }
  return 0;
  // END SOLUTION
}

/**
 * TODO(replication 2) A follower's side of AppendEntries, on its log (Figure 2, receiver steps
 * 2-5). If the log holds the entry before the new ones (index `prevIndex`, term `prevTerm`),
 * keep what it already has, drop what conflicts, append the rest (log.append, given), and
 * advance the commit index to the leader's (log.commitTo) — but never past the last entry this
 * message vouches for. Returns the last index of the message's entries, or -1 when the log
 * does not match at prevIndex.
 *
 * Only entries after a conflict are touched: a stale, reordered MsgApp that is a prefix of
 * what the log holds must not truncate entries a newer MsgApp already appended.
 *
 *   log 1 1 2, maybeAppend(log, 3, 2, commit 3, [(4,t2)])   => 4, log 1 1 2 2, committed 3
 *   log 1 1 2, maybeAppend(log, 3, 3, ...)                  => -1 (entry 3 has term 2, not 3)
 *   log 1 1 2 2, maybeAppend(log, 1, 1, commit 9, [(2,t1)]) => 2, log unchanged, committed 2 (at most)
 */
export function maybeAppend(log: RaftLog, prevIndex: number, prevTerm: number, commit: number, entries: Entry[]): number {
  // BEGIN SOLUTION raft-replication
  if (!log.matchTerm(prevIndex, prevTerm)) return -1;
  const lastNew = prevIndex + entries.length;
  const conflict = findConflict(log, entries);
  if (conflict !== 0) log.append(entries.slice(conflict - prevIndex - 1));
  log.commitTo(Math.min(commit, lastNew));
  return lastNew;
  // END SOLUTION
}

/**
 * TODO(replication 3) Fast backtracking: the other log says its entry at `index` has term
 * `term`, and the logs disagree there. Every entry of ours with a term greater than `term`
 * cannot match (terms only grow along a log), so skip them all: return the largest index <=
 * `index` whose term is <= `term`, with that term. If that index is compacted, its term is
 * unknown: return it with term 0 ("might match"); an index that we do not hold yet is skipped
 * down too.
 *
 *   our terms at 1..9 = 1 3 3 3 5 5 5 5 5
 *   findConflictByTerm(log, 9, 2)  => { index: 1, term: 1 }   (skips all of term 3 and 5)
 *   findConflictByTerm(log, 6, 4)  => { index: 4, term: 3 }
 */
export function findConflictByTerm(log: RaftLog, index: number, term: number): { index: number; term: number } {
  // BEGIN SOLUTION raft-replication
  for (let i = Math.min(index, log.lastIndex()); i > 0; i--) {
    const t = log.term(i);
    if (t === undefined) return { index: i, term: 0 };
    if (t <= term) return { index: i, term: t };
  }
  return { index: 0, term: 0 };
  // END SOLUTION
}

/**
 * TODO(replication 4) A proposal, from the application or forwarded by a follower. The leader
 * appends it to its log (r.appendEntry) and sends it out (r.bcastAppend); a follower that
 * knows a leader forwards it there (as etcd does); a node without a leader, or campaigning,
 * drops it. Returns false when dropped.
 *
 *   leader at term 2, last index 4: MsgProp ['x'] => entry (index 5, term 2, 'x'), MsgApp to each follower, true
 *   follower of 'b':                MsgProp ['x'] => the same MsgProp, to b, true
 *   candidate:                      MsgProp ['x'] => false
 */
export function handleProposal(r: Raft, m: Message): boolean {
  // BEGIN SOLUTION raft-replication
  if (r.role === 'leader') {
    r.appendEntry(m.entries.map((e) => e.data));
    r.bcastAppend();
    return true;
  }
  if (r.role === 'follower' && r.lead !== null) {
    r.send({ ...m, to: r.lead });
    return true;
  }
  return false;
  // END SOLUTION
}

/**
 * TODO(replication 5) A follower's side of AppendEntries (§5.3).
 * - The MsgApp starts before our commit index: that part is settled, answer with the
 *   commit index (the leader moves on from there).
 * - Our log holds the entry before the new ones: append (maybeAppend) and answer
 *   with the last index the message covered.
 * - It does not: reject, with a hint for the leader to skip ahead — the largest index at or
 *   before the message's whose term is <= the message's logTerm (findConflictByTerm), and
 *   that entry's term.
 *
 *   follower log terms 1 1 2 2 2 (1..5), commit 1:
 *     MsgApp { index 5, logTerm 2, entries [(6, t3)], commit 6 } => MsgAppResp { index 6 }, commit 6
 *     MsgApp { index 5, logTerm 3 }                             => MsgAppResp { index 5, reject, rejectHint 5, logTerm 2 }
 *     MsgApp { index 7, logTerm 3 }                             => MsgAppResp { index 7, reject, rejectHint 5, logTerm 2 }
 *     MsgApp { index 0, logTerm 0 }                             => MsgAppResp { index 1 } (the commit index)
 */
export function handleAppendEntries(r: Raft, m: Message): void {
  // BEGIN SOLUTION raft-replication
  if (m.index < r.log.committed) {
    r.send({ type: 'MsgAppResp', to: m.from, index: r.log.committed });
    return;
  }
  const last = maybeAppend(r.log, m.index, m.logTerm, m.commit, m.entries);
  if (last >= 0) {
    r.send({ type: 'MsgAppResp', to: m.from, index: last });
    return;
  }
  const hint = findConflictByTerm(r.log, Math.min(m.index, r.log.lastIndex()), m.logTerm);
  r.send({ type: 'MsgAppResp', to: m.from, index: m.index, reject: true, rejectHint: hint.index, logTerm: hint.term });
  // END SOLUTION
}

/**
 * TODO(replication 6) Commits up to `index` if that entry is of term `term` — the leader's
 * current term. (Figure 8, §5.4.2: a leader must never commit an older term's entry by
 * counting replicas; committing one of its own commits everything before it.) Returns whether
 * the commit index moved.
 *
 *   log terms 1 2 3 3, committed 1:  commitIfOfTerm(log, 4, 3) => true, committed 4
 *                                    commitIfOfTerm(log, 2, 3) => false (entry 2 is of term 2)
 */
export function commitIfOfTerm(log: RaftLog, index: number, term: number): boolean {
  // BEGIN SOLUTION raft-replication
  if (index > log.committed && log.term(index) === term) {
    log.commitTo(index);
    return true;
  }
  return false;
  // END SOLUTION
}

/**
 * TODO(replication 6) Commit by majority (§5.3, §5.4.2): the highest index a majority holds is
 * the middle of the matches (r.pr(id).match), sorted high to low. Only commit it if its entry
 * is of the current term (commitIfOfTerm). The given appendEntry calls this too, when the
 * leader is alone.
 *
 *   5 voters, matches 9 9 7 4 2, term 3:  entry 7 of term 3 => commit 7, true;  of term 2 => false
 */
export function maybeCommit(r: Raft): boolean {
  // BEGIN SOLUTION raft-replication
  const matches = r.voters.map((id) => r.pr(id).match).sort((x, y) => y - x);
  return commitIfOfTerm(r.log, matches[r.quorum() - 1], r.term);
  // END SOLUTION
}

/**
 * TODO(replication 7) The leader reads a follower's answer; `pr` is that follower's progress
 * (lab-kernel/raft/progress.ts).
 * - Rejected: back up `next`, skipping as much as the hint allows — and, if the hint carries
 *   a term, also every index of ours whose term is above it (findConflictByTerm on our own
 *   log): at most one probe per term instead of one per entry. Then probe again.
 * - Accepted: the logs agree up to m.index. A follower we were probing can now be streamed
 *   to; one we sent a snapshot can be too, once its log reaches ours. Then maybe more
 *   entries are committed — release the reads waiting for that (r.releasePendingReads) and
 *   tell everyone — or send this follower what it still lacks.
 *
 *   leader terms 1 3 3 3 5 5 5 5 5 (1..9), follower probed at 9 answers
 *     { index 9, reject, rejectHint 6, logTerm 2 }  => next 2 (index 1 has term 1 <= 2), MsgApp { index 1, logTerm 1, entries 2..9 }
 */
export function handleAppendResponse(r: Raft, m: Message, pr: Progress): void {
  // BEGIN SOLUTION raft-replication
  if (m.reject) {
    let hint = m.rejectHint;
    if (m.logTerm > 0) hint = findConflictByTerm(r.log, m.rejectHint, m.logTerm).index;
    if (pr.maybeDecrTo(m.index, hint)) {
      if (pr.state === 'replicate') pr.becomeProbe();
      r.sendAppend(m.from);
    }
    return;
  }
  if (pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === 'probe')) {
    if (pr.state === 'probe' || (pr.state === 'snapshot' && pr.match + 1 >= r.log.firstIndex())) pr.becomeReplicate();
    if (maybeCommit(r)) {
      r.releasePendingReads();
      r.bcastAppend();
    } else {
      r.sendAppend(m.from, false);
    }
  }
  // END SOLUTION
}

/**
 * TODO(replication 8) A heartbeat answer shows the follower is alive: a probe may go out again,
 * and if it lacks entries (or we are probing it) send them. A snapshot still unanswered by now
 * was probably lost: forget it and probe (which sends it again if still needed). Its echoed
 * context confirms reads (§8): r.readOnly.ack, then answer (r.answerRead) every read
 * r.readOnly.confirmed(r.voters) returns.
 *
 *   leader last index 9, b probed (match 4):   MsgHeartbeatResp { from b }  => MsgApp { to b, index 4, entries 5..9 }
 *   b in snapshot state:                       MsgHeartbeatResp { from b }  => probe again (the snapshot is resent)
 *   3 voters, read 1 pending, acked by itself:  MsgHeartbeatResp { from b, context '1' } => the read is answered
 */
export function handleHeartbeatResponse(r: Raft, m: Message, pr: Progress): void {
  // BEGIN SOLUTION raft-replication
  pr.probeSent = false;
  if (pr.state === 'snapshot') {
    pr.pendingSnapshot = 0;
    pr.becomeProbe();
  }
  if (pr.match < r.log.lastIndex() || pr.state === 'probe') r.sendAppend(m.from);
  if (m.context === '') return;
  r.readOnly.ack(m.from, m.context);
  for (const req of r.readOnly.confirmed(r.voters)) r.answerRead(req.from, req.index, req.requestCtx);
  // END SOLUTION
}

/**
 * TODO(replication 9) A linearizable read (§8, ReadIndex). The leader notes its commit index,
 * then confirms with a heartbeat round that it still leads (r.readOnly.add, then
 * r.confirmReads()); the answer (a ReadState) carries that index, and the application serves
 * the read once it has applied that far. Two cases first: a single voter is trivially
 * confirmed (r.answerRead at once); and a leader that has not yet committed an entry of its
 * own term does not know the true commit index yet, so the read waits (r.pendingReads) until
 * it has. A follower forwards the read to its leader; without one, the read is dropped.
 *
 *   leader, commit 7 (of its term), 3 voters: readIndex('r1') => MsgHeartbeat { context '1' } to both;
 *     once one echoes '1' => ReadState { index 7, requestCtx 'r1' }
 *   new leader, nothing of its term committed: readIndex('r2') => waits, no heartbeat yet
 */
export function handleReadIndex(r: Raft, m: Message): boolean {
  // BEGIN SOLUTION raft-replication
  if (r.role === 'follower') {
    if (r.lead === null) return false;
    r.send({ ...m, to: r.lead });
    return true;
  }
  if (r.role !== 'leader') return false;
  if (r.voters.length === 1) {
    r.answerRead(m.from, r.log.committed, m.context);
  } else if (r.log.term(r.log.committed) !== r.term) {
    r.pendingReads.push(m);
  } else {
    r.readOnly.add(r.log.committed, m.from, m.context);
    r.confirmReads();
  }
  return true;
  // END SOLUTION
}
