/**
 * Exercise `mvcc-read` — which version of a key does a read at revision r see?   (chapter 01)
 *
 * etcd never overwrites anything. Each write to a key adds a new version, stamped with the
 * revision of the transaction that made it; a delete adds a tombstone, a version that says
 * "gone from here on". So etcd can answer a read at any past revision it still holds: that is
 * how a Kubernetes list at resourceVersion=N, or a watch from N, sees the cluster exactly as
 * it was at N. (This is MVCC: multi-version concurrency control.)
 *
 * You write the lookup at the heart of every read. The store keeps, per key, the list of its
 * versions, oldest first (etcd's in-memory index); for each key it reads — a get, every key of
 * a range, the current version of a key a transaction compares or writes — it asks your
 * function which version the read sees, then fetches that version's value. Run the cluster on
 * your code with
 *   createCluster({ use: { 'mvcc-read': 'exercise' } })
 * and grade it with
 *   npm run grade -- mvcc-read
 *
 * Input => output, by example. The history of /registry/configmaps/default/app:
 *
 *   { modRevision: 2, createRevision: 2, version: 1 }   created at revision 2
 *   { modRevision: 5, createRevision: 2, version: 2 }   updated at 5
 *   { modRevision: 7, createRevision: 0, version: 0 }   deleted at 7: a tombstone
 *   { modRevision: 9, createRevision: 9, version: 1 }   created again at 9 (version starts over)
 *
 *   revision 5    => the version of 5 (written exactly then)
 *   revision 6    => the version of 5 (the latest one at or before 6)
 *   revision 8    => null               (deleted at 7)
 *   revision 1    => null               (not created yet)
 *   revision 40   => the version of 9
 *
 * After a compaction the history is shorter: etcd keeps only the latest version at or before
 * the compact revision, and everything after it — just what reads from there on need (the
 * store itself refuses reads below the compact revision). Your function needs nothing special
 * for that; it is one more reason never to assume the history starts with the creation.
 *
 * Versions are read-only: return the one you found in `history`, never a changed copy.
 */
import type { KeyRevision } from '../../lab-kernel/store/version-at-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

export function versionAt(history: readonly KeyRevision[], revision: number): KeyRevision | null {
  // TODO(1) Find the latest version written at or before `revision`: see latestAtOrBefore below.
  // TODO(2) If that version is a tombstone (see isTombstone below), the key did not exist at
  //         `revision`: the answer is null.
  // TODO(3) Put it together: no version at or before `revision` means the key was not created
  //         yet (null); otherwise return the version itself, straight from `history`.
  throw notImplemented('mvcc-read');
}

/**
 * TODO(1) The position in `history` of the last version whose modRevision is at or below
 * `revision`, or -1 when every version is newer. modRevisions only grow along the history.
 *
 *   modRevisions [2, 5, 7, 9], revision 6    => 1   (the version of 5)
 *   modRevisions [2, 5, 7, 9], revision 9    => 3
 *   modRevisions [2, 5, 7, 9], revision 40   => 3
 *   modRevisions [2, 5, 7, 9], revision 1    => -1
 *
 * A loop from the end is enough. Histories can grow long, though, and the store asks for
 * every key it reads: since modRevisions are sorted, a binary search finds it in log2(n) steps.
 */
export function latestAtOrBefore(history: readonly KeyRevision[], revision: number): number {
  throw notImplemented('mvcc-read');
}

/**
 * TODO(2) Is this version a tombstone, the mark a delete leaves? A tombstone has version 0
 * (and createRevision 0); every live version has version 1 or more.
 *
 *   { modRevision: 7, createRevision: 0, version: 0 }   => true
 *   { modRevision: 5, createRevision: 2, version: 2 }   => false
 */
export function isTombstone(v: KeyRevision): boolean {
  throw notImplemented('mvcc-read');
}
