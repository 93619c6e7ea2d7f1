import { describe, expect, it } from 'vitest';
import { EMPTY_DIGEST, nextDigest, SafetyChecker } from './safety';

const entry = (index: number, term: number, data: string) => ({ index, term, data });

describe('SafetyChecker', () => {
  it('accepts peers applying the same entries in order, each at its own pace', () => {
    const s = new SafetyChecker();
    expect(s.applied('a', entry(1, 1, ''), 0)).toBeUndefined();
    expect(s.applied('a', entry(2, 1, 'x'), 1)).toBeUndefined();
    expect(s.applied('b', entry(1, 1, ''), 0)).toBeUndefined();
    expect(s.violations).toEqual([]);
    expect(s.entryAt(2)).toEqual(entry(2, 1, 'x'));
    expect(s.indexOf('x')).toBe(2);
    expect(s.maxApplied()).toBe(2);
  });

  it('State Machine Safety: two peers may not apply different entries at one index, nor one peer before and after a crash', () => {
    const s = new SafetyChecker();
    s.applied('a', entry(1, 1, 'x'), 0);
    expect(s.applied('b', entry(1, 2, 'y'), 0)).toBe(
      'b applied "y" (term 2) at index 1, but a applied "x" (term 1) there: a committed entry must be the same on every peer and never change (State Machine Safety, §5.4.3)',
    );
    expect(s.applied('a', entry(1, 3, ''), 0)).toMatch(/^a applied the empty entry of a new leader \(term 3\) at index 1, but a itself had applied "x" \(term 1\) there/);
    expect(s.violations).toHaveLength(2);
  });

  it('in order, without gaps', () => {
    const s = new SafetyChecker();
    expect(s.applied('a', entry(2, 1, 'x'), 0)).toBe('a applied index 2 right after index 0, skipping 1: each peer must apply every committed entry once, in index order');
    expect(s.applied('a', entry(1, 1, 'x'), 1)).toMatch(/^a applied index 1 again, after index 1/);
  });

  it('a snapshot must hold the committed state at its index, and never take a running peer back in time', () => {
    const s = new SafetyChecker();
    s.applied('a', entry(1, 1, 'x'), 0);
    s.applied('a', entry(2, 1, 'y'), 1);
    const at2 = nextDigest(nextDigest(EMPTY_DIGEST, 'x'), 'y');
    expect(s.loaded('b', 2, at2, 0)).toBeUndefined();
    expect(s.loaded('c', 2, at2 + 1, 0)).toMatch(/^c loaded a snapshot at index 2 whose state differs from the committed entries 1\.\.2/);
    expect(s.loaded('c', 5, at2, 0)).toMatch(/^c loaded a snapshot at index 5, but no peer has applied that far/);
    expect(s.loaded('a', 1, nextDigest(EMPTY_DIGEST, 'x'), 2)).toMatch(/^a loaded a snapshot at index 1 after applying up to 2: its state went back in time/);
  });

  it('Election Safety: at most one leader per term', () => {
    const s = new SafetyChecker();
    expect(s.leader('a', 1)).toBeUndefined();
    expect(s.leader('a', 1)).toBeUndefined();
    expect(s.leader('b', 2)).toBeUndefined();
    expect(s.leader('c', 2)).toBe('c became leader in term 2, but b already led term 2: at most one leader per term (Election Safety, §5.2)');
  });
});
