import type { Entry, NodeId, Snapshot } from '../../lab-kernel/raft/types';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/**
 * Part of the Raft exercises: its TODOs belong to the parts of exercises/raft/raft.ts.
 *
 * A node's log (etcd's raftLog and unstable, in one): the entries, where they stand — handed
 * out to disk, committed, applied — and the snapshot the log starts after.
 *
 * The entries live in one array, `entries[0]` holding index `offset`. Everything before
 * `offset` was compacted into the snapshot; the entry right before it (`offset - 1`, the
 * snapshot's own index) is gone too, but its term is kept, because the next entry's
 * consistency check needs it. With no snapshot, offset is 1 and index 0 has term 0.
 *
 *   snapshot at 5 (term 2), entries 6..9          offset 6
 *   term(5) => 2     term(7) => entries[1].term    term(4) => undefined (compacted)
 *   term(10) => undefined (not there yet)
 *
 * Four marks move forward through it, in this order:
 *   applied  <=  applying  <=  committed  <=  lastIndex()       and, separately, stabled
 * `stabled` is the last index handed out to be persisted, `applying` the last handed out to
 * be applied, `applied` the last the application confirmed (advance()).
 */
export class RaftLog {
  private entries: Entry[] = [];
  private offset = 1;
  /** The term of the entry at offset - 1. */
  private snapshotTerm = 0;
  /** The snapshot the log starts after, or null when it starts at index 1. */
  snapshot: Snapshot | null = null;
  /** A snapshot installed from the leader, not yet handed out in a Ready. */
  pendingSnapshot: Snapshot | null = null;
  committed = 0;
  applying = 0;
  applied = 0;
  stabled = 0;

  /** The index of the first entry still in the log. */
  firstIndex(): number {
    return this.offset;
  }

  lastIndex(): number {
    return this.offset + this.entries.length - 1;
  }

  /** The index of the snapshot the log starts after, 0 if none. */
  snapshotIndex(): number {
    return this.offset - 1;
  }

  /** The term of the entry at index i, or undefined if it is compacted away or not there yet. */
  term(i: number): number | undefined {
    if (i === this.offset - 1) return this.snapshotTerm;
    if (i < this.offset || i > this.lastIndex()) return undefined;
    return this.entries[i - this.offset].term;
  }

  lastTerm(): number {
    return this.term(this.lastIndex()) as number;
  }

  /** Whether the entry at index i has this term. */
  matchTerm(i: number, term: number): boolean {
    return this.term(i) === term;
  }

  /** The entries with index in [lo, hi), a new array (never the log's own). */
  slice(lo: number, hi: number): Entry[] {
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }

  /**
   * TODO(election 6)
   * Election restriction (§5.4.1): a voter grants its vote only to a candidate whose log is at
   * least as up-to-date as its own. Compare the last entries: the later term wins; with the
   * same last term, the longer log wins; equal logs are up-to-date.
   *
   *   mine ends (index 9, term 5):  candidate (9, 4) => false   (8, 5) => false
   *                                 candidate (9, 5) => true    (2, 6) => true
   */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    throw notImplemented('raft-election');
  }

  /**
   * Appends entries that follow on from some index already in the log (or from its end),
   * dropping everything from the first new index on: a newer leader overwrites a tail that was
   * never committed. Dropped entries may have been handed out to disk already, so `stabled`
   * comes back to just before the new ones: they must be persisted (and overwrite the old).
   * Returns the new last index.
   */
  append(entries: Entry[]): number {
    if (entries.length === 0) return this.lastIndex();
    const first = entries[0].index;
    if (first <= this.committed) throw new Error(`raft log: cannot overwrite committed entry ${first} (committed ${this.committed})`);
    if (first > this.lastIndex() + 1) throw new Error(`raft log: entry ${first} would leave a gap after ${this.lastIndex()}`);
    this.entries.length = first - this.offset;
    for (const e of entries) this.entries.push(e);
    this.stabled = Math.min(this.stabled, first - 1);
    return this.lastIndex();
  }

  /**
   * TODO(replication 1)
   * The index of the first of `entries` that the log does not already hold: either its term
   * differs from the log's entry at that index (a conflict), or the log ends before it.
   * 0 when the log holds all of them.
   *
   *   log terms 1 1 2 (indexes 1..3), entries (2,t1) (3,t2)        => 0  (already there)
   *   log terms 1 1 2,                entries (3,t2) (4,t3)        => 4  (new from 4)
   *   log terms 1 1 2,                entries (2,t1) (3,t3) (4,t3) => 3  (conflict at 3)
   */
  findConflict(entries: Entry[]): number {
    throw notImplemented('raft-replication');
  }

  /**
   * TODO(replication 2)
   * A follower's side of AppendEntries (Figure 2, receiver steps 2-5). If the log holds the
   * entry before the new ones (index `prevIndex`, term `prevTerm`), keep what it already has,
   * drop what conflicts, append the rest, and advance the commit index to the leader's — but
   * never past the last entry this message vouches for. Returns the last index of the
   * message's entries, or -1 when the log does not match at prevIndex.
   *
   * Only entries after a conflict are touched: a stale, reordered MsgApp that is a prefix of
   * what the log holds must not truncate entries a newer MsgApp already appended.
   *
   *   log 1 1 2, maybeAppend(3, 2, commit 3, [(4,t2)])  => 4, log 1 1 2 2, committed 3
   *   log 1 1 2, maybeAppend(3, 3, ...)                 => -1 (entry 3 has term 2, not 3)
   *   log 1 1 2 2, maybeAppend(1, 1, commit 9, [(2,t1)]) => 2, log unchanged, committed 2 (at most)
   */
  maybeAppend(prevIndex: number, prevTerm: number, commit: number, entries: Entry[]): number {
    throw notImplemented('raft-replication');
  }

  /**
   * TODO(replication 3)
   * Fast backtracking: the other log says its entry at `index` has term `term`, and the logs
   * disagree there. Every entry of ours with a term greater than `term` cannot match (terms only
   * grow along a log), so skip them all: return the largest index <= `index` whose term is
   * <= `term`, with that term. If that index is compacted, its term is unknown: return it with
   * term 0 ("might match"); an index that we do not hold yet is skipped down too.
   *
   *   our terms at 1..9 = 1 3 3 3 5 5 5 5 5
   *   findConflictByTerm(9, 2)  => { index: 1, term: 1 }   (skips all of term 3 and 5)
   *   findConflictByTerm(6, 4)  => { index: 4, term: 3 }
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    throw notImplemented('raft-replication');
  }

  /** Raises the commit index (never lowers it). Committing an entry the log does not hold is a bug. */
  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex()) throw new Error(`raft log: commit ${index} is past the last index ${this.lastIndex()}`);
    this.committed = index;
  }

  /**
   * TODO(replication 6)
   * Commits up to `index` if that entry is of term `term` — the leader's current term.
   * (Figure 8, §5.4.2: a leader must never commit an older term's entry by counting replicas;
   * committing one of its own commits everything before it.)
   *
   *   log terms 1 2 3 3, committed 1:  maybeCommit(4, 3) => true, committed 4
   *                                    maybeCommit(2, 3) => false (entry 2 is of term 2)
   */
  maybeCommit(index: number, term: number): boolean {
    throw notImplemented('raft-replication');
  }

  /** The entries not yet handed out to be persisted. */
  unstableEntries(): Entry[] {
    return this.slice(this.stabled + 1, this.lastIndex() + 1);
  }

  /** Committed entries not yet handed out to be applied, in order; none while a snapshot waits to be handed out (it comes first). */
  nextCommittedEntries(): Entry[] {
    if (this.pendingSnapshot !== null) return [];
    return this.slice(this.applying + 1, this.committed + 1);
  }

  hasNextCommittedEntries(): boolean {
    return this.pendingSnapshot === null && this.applying < this.committed;
  }

  /** A Ready was handed out: its entries go to disk, its snapshot or committed entries (up to `appliedUpTo`) to the application. */
  accept(appliedUpTo: number): void {
    this.stabled = this.lastIndex();
    this.pendingSnapshot = null;
    this.applying = appliedUpTo;
  }

  /** The application confirmed it applied everything handed out. */
  appliedToApplying(): void {
    this.applied = this.applying;
  }

  /**
   * TODO(snapshots 1)
   * Log compaction (§7): the application's state as of `index` (already applied) becomes the
   * snapshot, and every entry up to `index` leaves the log. The term of entry `index` stays,
   * as the snapshot's term. Returns the new snapshot.
   *
   *   entries 1..10, applied 8: compact(6, 'state@6', voters) => snapshot { index 6, term of 6 },
   *   firstIndex() 7, term(6) still known, term(5) undefined
   */
  compact(index: number, data: string, voters: NodeId[]): Snapshot {
    throw notImplemented('raft-snapshots');
  }

  /**
   * TODO(snapshots 4)
   * InstallSnapshot (§7): replaces the whole log by the leader's snapshot. Everything in it is
   * committed; nothing of the old log survives (the caller checked the old log does not hold
   * the snapshot's last entry, so every entry after it belongs to a different history). The
   * snapshot waits to be handed out in a Ready, to be persisted and loaded.
   *
   *   log 1..5, committed 3:  restore({ index 50, term 4 })  => no entries, firstIndex() 51, term(50) 4,
   *                                                            committed 50, pendingSnapshot set
   */
  restore(snapshot: Snapshot): void {
    throw notImplemented('raft-snapshots');
  }

  /**
   * TODO(persistence 2)
   * Restart (§5.2, Figure 2's persistent state): the log as it was persisted — the snapshot, if
   * any, then the stored entries after it (any stored entry the snapshot covers is skipped).
   * Everything read from disk is already stable. The application reloads its state machine from
   * the snapshot, so application resumes right after it.
   *
   *   load({ index 5, term 2 }, entries 4..8)  => offset 6, entries 6..8, applied 5, stabled 8
   *   load(null, [])                           => an empty log
   */
  load(snapshot: Snapshot | null, entries: Entry[]): void {
    throw notImplemented('raft-persistence');
  }
}
