/**
 * The contract of exercise `mvcc-read`: which version of a key does a read at revision r see?
 *
 * etcd never overwrites a value. Every write adds a new version of the key, stamped with the
 * revision of the transaction that made it, and a delete adds a tombstone. etcd's in-memory
 * index keeps, per key, the list of those versions, oldest first; the values themselves sit
 * in the backend, filed by revision. A read at revision r asks the index "which version was
 * current at r?", then fetches that one value. The store calls a `VersionAt` function for
 * every key it reads — for a get, for each key of a range, and for the current version of a
 * key a transaction compares or writes.
 *
 *   history of /registry/pods/default/web (what the store passes in):
 *     { modRevision: 2, createRevision: 2, version: 1 }   created
 *     { modRevision: 5, createRevision: 2, version: 2 }   updated
 *     { modRevision: 7, createRevision: 0, version: 0 }   deleted: a tombstone
 *     { modRevision: 9, createRevision: 9, version: 1 }   created again
 *
 *   versionAt(history, 4)   // => { modRevision: 2, createRevision: 2, version: 1 }
 *   versionAt(history, 5)   // => { modRevision: 5, createRevision: 2, version: 2 }
 *   versionAt(history, 8)   // => null: deleted at 7
 *   versionAt(history, 1)   // => null: not created yet
 *
 * Exercise `mvcc-read` (exercises/store/version-at.ts) implements it; the reference is in
 * solutions/store/version-at.ts.
 */
export interface KeyRevision {
  /** The revision of the write that made this version (for a tombstone: of the delete). */
  readonly modRevision: number;
  /** The revision that created the key; 0 for a tombstone. */
  readonly createRevision: number;
  /** 1 for the put that created the key, 2 for the next put, ...; 0 marks a tombstone. */
  readonly version: number;
}

/**
 * `history`: every version of one key the store still holds, oldest first, at strictly
 * increasing modRevisions, tombstones included; never empty. Returns the version a read at
 * `revision` sees, as found in `history`, or null when the key did not exist at `revision`.
 */
export type VersionAt = (history: readonly KeyRevision[], revision: number) => KeyRevision | null;
