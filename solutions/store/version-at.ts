/**
 * Exercise `mvcc-read` — reference solution. See exercises/store/version-at.ts for the full
 * task description; this file mirrors it with the parts filled in.
 */
import type { KeyRevision } from '../../lab-kernel/store/version-at-contract';

// Part 3: the latest version at or before the revision, unless the key was deleted by then.
export function versionAt(history: readonly KeyRevision[], revision: number): KeyRevision | null {
  const i = latestAtOrBefore(history, revision);
  if (i < 0) return null;
  return isTombstone(history[i]) ? null : history[i];
}

// Part 1: a binary search over the sorted modRevisions for the last one at or below `revision`.
export function latestAtOrBefore(history: readonly KeyRevision[], revision: number): number {
  let lo = 0;
  let hi = history.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (history[mid].modRevision <= revision) {
      found = mid; // a candidate; a later one may still qualify
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

// Part 2: a tombstone, the mark a delete leaves, has version 0.
export function isTombstone(v: KeyRevision): boolean {
  return v.version === 0;
}
