/**
 * Exercise `raft-snapshots` — Raft, part 4: snapshots and log compaction (§7).     (chapter 02)
 *
 * A log cannot grow for ever. Once the application has applied up to some index, its state
 * there can stand for every entry before it: compact() turns that state into a snapshot and
 * drops those entries. A follower that falls so far behind that the leader no longer holds
 * the entries it needs gets the snapshot instead (InstallSnapshot), and starts over from it.
 *
 *   applied 8:  compact(r, 6, 's6')          => snapshot at 6; the log keeps 7..8
 *   leader, b's next is 3 (compacted away)  => MsgSnap { to b, snapshot at 6 } (the given sendAppend calls your sendSnapshot)
 *   b installs it                           => log empty after 6, committed 6; MsgAppResp { index 6 }
 *
 * Work through TODO(snapshots 1) to TODO(snapshots 5) in order, and grade with
 *   npm run grade -- raft-snapshots
 */
import type { Message, NodeId, Snapshot } from '../../lab-kernel/raft/types';
import type { Raft } from '../../lab-kernel/raft/core';
import type { Progress } from '../../lab-kernel/raft/progress';
import type { RaftLog } from '../../lab-kernel/raft/raft-log';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/**
 * TODO(snapshots 1) Log compaction (§7), on the log: the application's state as of `index`
 * (already applied) becomes the snapshot, and every entry up to `index` leaves the log. The
 * term of entry `index` stays, as the snapshot's term (snapshotTerm). Returns the new snapshot.
 *
 *   entries 1..10, applied 8: compactLog(log, 6, 'state@6', voters) => snapshot { index 6, term of 6 },
 *   firstIndex() 7, term(6) still known, term(5) undefined
 */
export function compactLog(log: RaftLog, index: number, data: string, voters: NodeId[]): Snapshot {
  throw notImplemented('raft-snapshots');
}

/**
 * TODO(snapshots 2) The node's compact(index, data): the application has applied up to at least
 * `index` and hands its state as of `index`: that becomes the snapshot, and the log up to
 * `index` goes (compactLog, with r.voters). Compacting where the log is already compacted does
 * nothing; compacting past what was applied is a mistake of the caller (the snapshot would
 * claim entries it never saw).
 *
 *   applied 8, snapshot at 0:  compact(r, 6, 's6')  => { metadata: { index: 6, term: 2, voters }, data: 's6' }
 *                              compact(r, 6, 's6')  => null (already compacted there)
 *                              compact(r, 9, 's9')  => throws RangeError (only 8 applied)
 */
export function compact(r: Raft, index: number, data: string): Snapshot | null {
  throw notImplemented('raft-snapshots');
}

/**
 * TODO(snapshots 3) The follower needs entries the leader compacted away (the given sendAppend
 * found the term of next - 1 unknown): send the snapshot (r.log.snapshot) instead, and pause
 * replication to it until it answers (pr.becomeSnapshot). Not to a follower that has not
 * answered anything since this leader took over (it may well be down: a snapshot is big).
 *
 *   snapshot at 50, b (recently active) probed at next 31  => MsgSnap { to b, snapshot }, b paused in snapshot state, true
 *   c never heard from in this term                        => nothing sent, false
 */
export function sendSnapshot(r: Raft, to: NodeId, pr: Progress): boolean {
  throw notImplemented('raft-snapshots');
}

/**
 * TODO(snapshots 4) InstallSnapshot, on the log (§7): replaces the whole log by the leader's
 * snapshot. Everything in it is committed; nothing of the old log survives (the caller checked
 * the old log does not hold the snapshot's last entry, so every entry after it belongs to a
 * different history). The snapshot waits to be handed out in a Ready (pendingSnapshot), to be
 * persisted and loaded before any later committed entry.
 *
 *   log 1..5, committed 3:  replaceLog(log, { index 50, term 4 })  => no entries, firstIndex() 51, term(50) 4,
 *                                                                   committed 50, pendingSnapshot set
 */
export function replaceLog(log: RaftLog, snapshot: Snapshot): void {
  throw notImplemented('raft-snapshots');
}

/**
 * TODO(snapshots 4) Whether to replace the log by the snapshot. Not if it is at or behind our
 * commit index (we have all it has). Not if our log holds its last entry (same index and
 * term): then the log already has everything it covers — and maybe more that must be kept —
 * so just commit up to it. Otherwise, the whole log goes (replaceLog).
 *
 *   commit 9, snapshot at 7                         => false
 *   commit 3, log holds (7, term 2), snapshot (7, 2) => false, commit 7
 *   commit 3, log ends at 5, snapshot (7, 2)        => true: log empty after 7, commit 7
 */
export function restore(r: Raft, s: Snapshot): boolean {
  throw notImplemented('raft-snapshots');
}

/**
 * TODO(snapshots 5) InstallSnapshot, the follower's side (§7): install it if it brings
 * something new (restore), and answer like an append — with the last index now held, or with
 * the commit index if the snapshot was of no use.
 *
 *   commit 3, log ends at 5:  MsgSnap { from a, snapshot at 50 }  => MsgAppResp { to a, index 50 }
 *   commit 60:                MsgSnap { from a, snapshot at 50 }  => MsgAppResp { to a, index 60 }
 */
export function handleSnapshot(r: Raft, m: Message): void {
  throw notImplemented('raft-snapshots');
}
