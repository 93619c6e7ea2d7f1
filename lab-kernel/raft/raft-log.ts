import type { Entry, Snapshot } from './types';

/**
 * A node's log (etcd's raftLog and unstable, in one): the entries, where they stand — handed
 * out to disk, committed, applied — and the snapshot the log starts after. Given code: the
 * parts of the log you write (the consistency check, commit, compaction, loading) are plain
 * functions in exercises/raft/, and change these fields directly.
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
  /** The entries from index `offset` on. */
  entries: Entry[] = [];
  /** The index of entries[0]: the snapshot's index + 1. */
  offset = 1;
  /** The term of the entry at offset - 1. */
  snapshotTerm = 0;
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
   * Appends entries that follow on from some index already in the log (or from its end),
   * dropping everything from the first new index on: a newer leader overwrites a tail that was
   * never committed. Dropped entries may have been handed out to disk already, so `stabled`
   * comes back to just before the new ones: they must be persisted (and overwrite the old).
   * Returns the new last index.
   *
   *   log terms 1 1 2 (1..3), committed 1:  append([(3,t3), (4,t3)])  => 4, log 1 1 3 3
   *                                         append([(1,t2)])           => throws: 1 is committed
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

  /** Raises the commit index (never lowers it). Committing an entry the log does not hold is a bug. */
  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex()) throw new Error(`raft log: commit ${index} is past the last index ${this.lastIndex()}`);
    this.committed = index;
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
}
