import { describe, expect, it } from 'vitest';
import { notImplemented } from '../sim/not-implemented';
import { loadSlot } from '../slots/slots';
import { compareVersionAt, VERSION_AT_REVISIONS } from './version-at-cases';

const reference = loadSlot('mvcc-read', 'solution');

describe('compareVersionAt', () => {
  it('says yes on every row for the reference against itself, with the answers of the exercise file', () => {
    const rows = compareVersionAt(reference, reference);
    expect(rows).toHaveLength(VERSION_AT_REVISIONS.length);
    expect(rows.every((r) => r.ok === 'yes')).toBe(true);
    expect(rows.map((r) => `${r['read at revision']}: ${r.expected}`)).toEqual([
      '1: null',
      '2: the version written at 2',
      '4: the version written at 2',
      '5: the version written at 5',
      '6: the version written at 5',
      '7: null',
      '8: null',
      '9: the version written at 9',
      '40: the version written at 9',
    ]);
  });

  it('reports a function that throws, one that is not loaded, and a wrong answer', () => {
    const stub = () => {
      throw notImplemented('mvcc-read');
    };
    expect(compareVersionAt(reference, stub)[0]).toEqual({ 'read at revision': '1', expected: 'null', 'your versionAt': 'threw: not implemented yet: mvcc-read', ok: '' });
    expect(compareVersionAt(reference, undefined)[1]).toMatchObject({ 'your versionAt': '(not loaded)', ok: '' });
    const latest = compareVersionAt(reference, (history) => history[history.length - 1]);
    expect(latest.filter((r) => r.ok === 'yes').map((r) => r['read at revision'])).toEqual(['9', '40']);
  });
});
