import { describe, expect, it } from 'vitest';
import { LineMemo } from './line-memo';

describe('LineMemo (trace lines made once per distinct parts)', () => {
  it('does the same parts give the line made the first time, without making it again?', () => {
    const memo = new LineMemo(100);
    let made = 0;
    const make = () => `update leases node-${++made}`;
    expect(memo.get(['update', 'leases', 'node-7'], make)).toBe('update leases node-1');
    expect(memo.get(['update', 'leases', 'node-7'], make)).toBe('update leases node-1');
    expect(made).toBe(1);
  });

  it('do parts that differ anywhere, or split differently, get lines of their own?', () => {
    const memo = new LineMemo(100);
    expect(memo.get(['a', 'bc'], () => 'one')).toBe('one');
    expect(memo.get(['ab', 'c'], () => 'two')).toBe('two');
    expect(memo.get(['a', 'bd'], () => 'three')).toBe('three');
    expect(memo.get(['a', 'bc'], () => 'four')).toBe('one');
  });

  it('does it start over once it holds its maximum, and still answer right?', () => {
    const memo = new LineMemo(3);
    for (let i = 0; i < 10; i++) expect(memo.get(['x', String(i)], () => `line ${i}`)).toBe(`line ${i}`);
    expect(memo.get(['x', '9'], () => 'again')).toBe('line 9');
    expect(memo.get(['x', '0'], () => 'made anew')).toBe('made anew');
  });
});
