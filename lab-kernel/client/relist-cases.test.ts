import { describe, expect, it } from 'vitest';
import { notImplemented } from '../sim/not-implemented';
import { REFERENCE_RELIST_DIFF } from './reference-reflector.fixture';
import { compareRelistDiffs, describeNotifications, RELIST_CASES } from './relist-cases';

describe('compareRelistDiffs', () => {
  it("says yes on every row for the reference against itself, and shows the contract's example", () => {
    const rows = compareRelistDiffs(REFERENCE_RELIST_DIFF, REFERENCE_RELIST_DIFF);
    expect(rows).toHaveLength(RELIST_CASES.length);
    expect(rows.every((r) => r.ok === 'yes')).toBe(true);
    expect(rows[0].expected).toBe('update default/b, add default/d, delete default/c');
    expect(rows[2].expected).toBe('(nothing)');
  });

  it('marks a row where the answers differ, and reports a diff that throws or is not loaded', () => {
    const noDeletes = (input: Parameters<typeof REFERENCE_RELIST_DIFF>[0]) => REFERENCE_RELIST_DIFF(input).filter((n) => n.kind !== 'delete');
    expect(compareRelistDiffs(REFERENCE_RELIST_DIFF, noDeletes).map((r) => r.ok)).toEqual(['', 'yes', 'yes', '', '']);
    const stub = () => {
      throw notImplemented('relist');
    };
    expect(compareRelistDiffs(REFERENCE_RELIST_DIFF, stub)[0]['your relistDiff']).toMatch(/^threw: not implemented yet/);
    expect(compareRelistDiffs(REFERENCE_RELIST_DIFF, undefined)[0]).toMatchObject({ 'your relistDiff': '(not loaded)', ok: '' });
  });

  it('describes notifications in one line', () => {
    expect(describeNotifications([{ kind: 'add', key: 'default/d' }, { kind: 'delete', key: 'node-1' }])).toBe('add default/d, delete node-1');
  });
});
