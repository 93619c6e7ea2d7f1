import { search } from '../sim/search';
import type { KeyValue } from './types';
import type { KeyRevision, VersionAt } from './version-at-contract';

/**
 * Every version of one key the store still holds, oldest first, tombstones included — etcd's
 * keyIndex and the backend values it points to, for one key.
 *
 *   put /k (rev 2), put /k (rev 3), delete /k (rev 4), put /k (rev 6)
 *   history.revisions  // => [{ modRevision: 2, createRevision: 2, version: 1 }, { 3, 2, 2 }, { 4, 0, 0 }, { 6, 6, 1 }]
 *   history.at(3)      // => the KeyValue written at revision 3 (its value as stored)
 *
 * Compaction at revision c drops what no read at c or later can see: every version below c
 * except the latest one at or below c — and that one too if it is a tombstone older than c
 * (the key was deleted before c: nothing to see). These are etcd's rules (keyIndex.compact):
 *
 *   versions 1, 2, 3(tombstone), 4, 5(tombstone)
 *   compact(2) => 2, 3(t), 4, 5(t)      2 is what a read at 2 sees
 *   compact(4) => 4, 5(t)
 *   compact(5) => 5(t)                  a tombstone at exactly c stays: a watch from c replays the delete
 *   compact(6) => nothing: the key is gone
 */
export class KeyHistory {
  private versions: KeyValue[] = [];
  private revs: KeyRevision[] = [];

  /** The versions' revisions, oldest first: what a `VersionAt` function looks through. */
  get revisions(): readonly KeyRevision[] {
    return this.revs;
  }

  get isEmpty(): boolean {
    return this.versions.length === 0;
  }

  /** Appends a version written after every version already here. */
  push(kv: KeyValue): void {
    this.versions.push(kv);
    this.revs.push({ modRevision: kv.modRevision, createRevision: kv.createRevision, version: kv.version });
  }

  /** The version written at exactly `modRevision`, if this key has one. */
  at(modRevision: number): KeyValue | undefined {
    const i = lastIndexAtOrBelow(this.revs, modRevision);
    return i >= 0 && this.revs[i].modRevision === modRevision ? this.versions[i] : undefined;
  }

  /** Drops what no read at `revision` or later can see (see above). */
  compact(revision: number): void {
    let keep = lastIndexAtOrBelow(this.revs, revision);
    if (keep < 0) return;
    const kept = this.revs[keep];
    if (kept.version === 0 && kept.modRevision < revision) keep++;
    this.versions = this.versions.slice(keep);
    this.revs = this.revs.slice(keep);
  }
}

/**
 * The store's own index lookup, used when no other `VersionAt` is given: the latest version
 * at or below the revision, found by binary search (modRevisions only grow), unless it is a
 * tombstone.
 */
export const indexVersionAt: VersionAt = (history, revision) => {
  const i = lastIndexAtOrBelow(history, revision);
  return i < 0 || history[i].version === 0 ? null : history[i];
};

/** The index of the last entry whose modRevision is at or below `revision`; -1 if none. */
function lastIndexAtOrBelow(revs: readonly KeyRevision[], revision: number): number {
  return search(revs.length, (i) => revs[i].modRevision > revision) - 1;
}
