/**
 * Exercise `raft-persistence` — Raft, part 3: starting again from what was persisted
 * (§5.2, Figure 2).                                                                (chapter 02)
 *
 * Whatever a node says — a vote, an acknowledgement — it first hands to its caller to persist
 * (Ready: hardState, entries, snapshot). After a crash it is built again from that disk:
 * newRaft({ ..., restored }) calls your loadPersisted before anything else, and the node then
 * starts as a follower in the term it had reached. Nothing volatile survives — role, leader,
 * progress, votes received all start afresh.
 *
 *   restored { hardState { term 5, vote b, commit 6 }, entries 1..8, snapshot null }
 *     => follower at term 5, vote b, log 1..8, committed 6; the first Ready hands out entries 1..6 to apply again
 *
 * Work through TODO(persistence 1) to TODO(persistence 3), and grade with
 *   npm run grade -- raft-persistence
 * (A disk holding a snapshot needs nothing from Part 4 here: loading one is yours in loadLog.)
 */
import type { Entry, HardState, PersistedState, Snapshot } from '../../lab-kernel/raft/types';
import type { Raft } from '../../lab-kernel/raft/core';
import type { RaftLog } from '../../lab-kernel/raft/raft-log';

/**
 * TODO(persistence 1) Starting again after a crash: the log from the snapshot and the stored
 * entries (loadLog), then the hard state (loadState).
 *
 *   { hardState { term 5, vote b, commit 6 }, entries 1..8, snapshot null }
 *     => term 5, vote b, log 1..8, committed 6
 */
export function loadPersisted(r: Raft, state: PersistedState): void {
  // BEGIN SOLUTION raft-persistence
  loadLog(r.log, state.snapshot, state.entries);
  loadState(r, state.hardState);
  // END SOLUTION
}

/**
 * TODO(persistence 2) The log as it was persisted — the snapshot, if any, then the stored
 * entries after it (any stored entry the snapshot covers is skipped; the rest must follow on
 * with no gap, or the disk is corrupt: throw). With a snapshot, the log starts right after it:
 * offset, snapshotTerm and snapshot come from it. Everything read from disk is already stable
 * (stabled). The application reloads its state machine from the snapshot, so committed,
 * applying and applied all start at the snapshot's index: application resumes right after it.
 *
 *   loadLog(log, { index 5, term 2 }, entries 4..8)  => offset 6, entries 6..8, applied 5, stabled 8
 *   loadLog(log, null, [])                           => an empty log
 *   loadLog(log, null, entries 1, 2, 4)              => throws (4 does not follow on from 2)
 */
export function loadLog(log: RaftLog, snapshot: Snapshot | null, entries: Entry[]): void {
  // BEGIN SOLUTION raft-persistence
  if (snapshot !== null) {
    log.offset = snapshot.metadata.index + 1;
    log.snapshotTerm = snapshot.metadata.term;
    log.snapshot = snapshot;
  }
  log.entries = entries.filter((e) => e.index >= log.offset);
  log.entries.forEach((e, i) => {
    if (e.index !== log.offset + i) throw new Error(`raft log: stored entries must follow on from ${log.offset - 1}; found ${e.index} at position ${i}`);
  });
  log.committed = log.applying = log.applied = log.offset - 1;
  log.stabled = log.lastIndex();
  // END SOLUTION
}

/**
 * TODO(persistence 3) The term and the vote come back as they were: forgetting the vote could
 * let the node vote twice in one term, forgetting the term could let it accept an old leader.
 * The commit index too (etcd persists it), so the node re-applies what it had applied — never
 * less than the snapshot, which is committed by definition, and never more than the log holds.
 *
 *   log 1..8, { term 5, vote 'b', commit 6 } => term 5, vote b, committed 6 (7 and 8 wait for a leader)
 *   log 1..8, { term 5, vote 'b', commit 9 } => throws: the disk is inconsistent
 */
export function loadState(r: Raft, hs: HardState): void {
  // BEGIN SOLUTION raft-persistence
  if (hs.commit > r.log.lastIndex()) throw new Error(`raft: persisted commit ${hs.commit} is past the last persisted entry ${r.log.lastIndex()}`);
  r.term = hs.term;
  r.vote = hs.vote;
  r.log.committed = Math.max(hs.commit, r.log.snapshotIndex());
  // END SOLUTION
}
