import { describe, expect, it } from 'vitest';
import { indexVersionAt, KeyHistory } from './key-history';
import type { KeyValue } from './types';

/** etcd's keyIndex example: put(1), put(2), tombstone(3), put(4), tombstone(5) on one key. */
function etcdExample(): KeyHistory {
  const h = new KeyHistory();
  const put = (rev: number, created: number, version: number): KeyValue => ({ key: 'foo', value: `v${rev}`, createRevision: created, modRevision: rev, version });
  const tombstone = (rev: number): KeyValue => ({ key: 'foo', value: '', createRevision: 0, modRevision: rev, version: 0 });
  [put(1, 1, 1), put(2, 1, 2), tombstone(3), put(4, 4, 1), tombstone(5)].forEach((kv) => h.push(kv));
  return h;
}

const revisions = (h: KeyHistory) => h.revisions.map((r) => (r.version === 0 ? `${r.modRevision}t` : String(r.modRevision)));

describe('KeyHistory.compact: etcd keyIndex.compact', () => {
  it.each<[number, string[]]>([
    [1, ['1', '2', '3t', '4', '5t']],
    [2, ['2', '3t', '4', '5t']],
    [3, ['3t', '4', '5t']],
    [4, ['4', '5t']],
    [5, ['5t']],
    [6, []],
  ])('compact(%i) keeps the latest version at or below it and everything after: %j', (at, kept) => {
    const h = etcdExample();
    h.compact(at);
    expect(revisions(h)).toEqual(kept);
    expect(h.isEmpty).toBe(kept.length === 0);
  });

  it('keeps the values of the versions it keeps', () => {
    const h = etcdExample();
    h.compact(2);
    expect(h.at(2)?.value).toBe('v2');
    expect(h.at(1)).toBeUndefined();
  });
});

describe('indexVersionAt: the store’s own index lookup', () => {
  it.each<[number, number | null]>([
    [0, null],
    [1, 1],
    [2, 2],
    [3, null],
    [4, 4],
    [5, null],
    [99, null],
  ])('at revision %i sees the version written at %s', (at, expected) => {
    expect(indexVersionAt(etcdExample().revisions, at)?.modRevision ?? null).toBe(expected);
  });
});
