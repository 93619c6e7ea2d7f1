import { answerTable } from '../check/answer-table';
import type { KeyRevision, VersionAt } from './version-at-contract';

/**
 * The examples of exercise `mvcc-read`: one key's history, read at a few revisions, your
 * versionAt beside the reference's — the table at the end of chapter 01. A function that
 * throws, or is not loaded, says so in its row.
 *
 *   compareVersionAt(reference, yours)
 *   // [{ 'read at revision': 1, expected: 'null', 'your versionAt': 'threw: not implemented yet: mvcc-read', ok: '' },
 *   //  { 'read at revision': 2, expected: 'the version written at 2', ... }, ...]
 */
export const VERSION_AT_HISTORY: readonly KeyRevision[] = [
  { modRevision: 2, createRevision: 2, version: 1 }, // created
  { modRevision: 5, createRevision: 2, version: 2 }, // updated
  { modRevision: 7, createRevision: 0, version: 0 }, // deleted: a tombstone
  { modRevision: 9, createRevision: 9, version: 1 }, // created again
];

/** Before the key, on each version, between versions, on the tombstone, after it, and long after. */
export const VERSION_AT_REVISIONS: readonly number[] = [1, 2, 4, 5, 6, 7, 8, 9, 40];

/** 'null', or 'the version written at 5'. */
export function describeVersion(v: KeyRevision | null | undefined): string {
  return v === null ? 'null' : v === undefined ? 'undefined' : `the version written at ${v.modRevision}`;
}

export function compareVersionAt(
  reference: VersionAt,
  yours: VersionAt | undefined,
  history: readonly KeyRevision[] = VERSION_AT_HISTORY,
  revisions: readonly number[] = VERSION_AT_REVISIONS,
): Record<string, string>[] {
  return answerTable(
    revisions.map((revision) => ({ what: String(revision), revision })),
    {
      reference: (c) => reference(history, c.revision),
      yours: yours && ((c) => yours(history, c.revision)),
      describe: describeVersion,
      column: 'your versionAt',
      caseColumn: 'read at revision',
    },
  );
}
