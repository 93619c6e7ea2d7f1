import { describe, expect, it } from 'vitest';
import { doubled } from './doubled';

describe('doubled', () => {
  it('does a doubled array keep its elements and type, with zeros after them?', () => {
    const grown = doubled(Int32Array.of(7, -1, 3));
    expect(grown).toBeInstanceOf(Int32Array);
    expect([...grown]).toEqual([7, -1, 3, 0, 0, 0]);
  });
});
