import { describe, expect, it } from 'vitest';
import { Heap } from './heap';
import { Rng } from '../sim/rng';

describe('Heap (kube-scheduler internal/heap)', () => {
  it('pops items in `less` order, whatever the order of pushes and deletes', () => {
    const rng = new Rng(3);
    const h = new Heap<number>((a, b) => a < b);
    const kept = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const v = rng.int(1000);
      h.push(`k${i}`, v);
      kept.set(`k${i}`, v);
      if (i % 7 === 0) {
        const key = `k${rng.int(i + 1)}`;
        h.delete(key);
        kept.delete(key);
      }
    }
    const popped: number[] = [];
    for (let v = h.pop(); v !== undefined; v = h.pop()) popped.push(v);
    expect(popped).toEqual([...kept.values()].sort((a, b) => a - b));
  });

  it('pushing a key already there replaces its item and reorders', () => {
    const h = new Heap<number>((a, b) => a < b);
    h.push('a', 5);
    h.push('b', 3);
    h.push('a', 1);
    expect(h.length).toBe(2);
    expect(h.pop()).toBe(1);
    expect(h.pop()).toBe(3);
  });
});
