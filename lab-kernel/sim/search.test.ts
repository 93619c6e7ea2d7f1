import { describe, expect, it } from 'vitest';
import { search } from './search';

describe('search (binary search, as Go sort.Search)', () => {
  const xs = [1, 3, 5, 5, 7, 9];
  it.each([
    [0, 0],
    [1, 0],
    [2, 1],
    [5, 2],
    [6, 4],
    [9, 5],
    [10, 6],
  ])('is the first element >= %i at index %i?', (target, index) => {
    expect(search(xs.length, (i) => xs[i] >= target)).toBe(index);
  });

  it('is an empty range answered with 0?', () => {
    expect(search(0, () => true)).toBe(0);
  });
});
