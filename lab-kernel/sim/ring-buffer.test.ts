import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer: a first-in, first-out queue', () => {
  it('hands elements back oldest first, across wrap-arounds and growth', () => {
    const q = new RingBuffer<number>();
    const model: number[] = [];
    // Pushes outrun shifts, so the buffer wraps around and grows several times.
    for (let i = 0; i < 200; i++) {
      q.push(i);
      model.push(i);
      if (i % 3 === 0) expect(q.shift()).toBe(model.shift());
      expect(q.length).toBe(model.length);
      expect(q.first()).toBe(model[0]);
    }
    expect(q.toArray()).toEqual(model);
    expect(q.toArray(5)).toEqual(model.slice(5));
    expect(model.map((_, i) => q.at(i))).toEqual(model);
    expect(q.at(model.length)).toBeUndefined();
  });

  it('is empty again after clear, and shift and first on an empty buffer give undefined', () => {
    const q = new RingBuffer<string>();
    expect(q.shift()).toBeUndefined();
    q.push('a');
    q.clear();
    expect(q.length).toBe(0);
    expect(q.first()).toBeUndefined();
    expect(q.toArray()).toEqual([]);
  });
});
