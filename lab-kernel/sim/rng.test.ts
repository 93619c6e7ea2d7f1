import { describe, expect, it } from 'vitest';
import { hashString, Rng } from './rng';

describe('Rng', () => {
  it('gives the same sequence for the same seed, and another for another seed', () => {
    const draw = (seed: number) => Array.from({ length: 8 }, ((r) => () => r.nextUint32())(new Rng(seed)));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps int(n) within [0, n) and reaches every value', () => {
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = rng.int(6);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(6);
      seen.add(v);
    }
    expect(seen.size).toBe(6);
  });

  it('forks independent streams: drawing from one does not shift another', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    a.fork('network').next();
    a.fork('network').next();
    expect(a.fork('scheduler').next()).toBe(b.fork('scheduler').next());
  });

  it('rejects a non-positive range and an empty pick', () => {
    expect(() => new Rng(1).int(0)).toThrow(/positive integer/);
    expect(() => new Rng(1).pick([])).toThrow(/non-empty/);
  });

  it('hashes strings stably (FNV-1a)', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
