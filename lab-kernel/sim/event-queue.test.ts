import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue';
import { Rng } from './rng';

describe('EventQueue', () => {
  it('pops by time, and by insertion order within the same time', () => {
    const q = new EventQueue<string>();
    q.push(5, 'b');
    q.push(1, 'a');
    q.push(5, 'c');
    expect(q.peekTime()).toBe(1);
    expect([q.pop(), q.pop(), q.pop(), q.pop(), q.peekTime()]).toEqual(['a', 'b', 'c', undefined, undefined]);
  });

  it('agrees with a stable sort on 2000 random events', () => {
    const rng = new Rng(3);
    const q = new EventQueue<number>();
    const input = Array.from({ length: 2000 }, (_, i) => ({ time: rng.int(50), item: i }));
    for (const e of input) q.push(e.time, e.item);
    const expected = [...input].sort((a, b) => a.time - b.time || a.item - b.item).map((e) => e.item);
    const actual: number[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) actual.push(e);
    expect(actual).toEqual(expected);
  });
});

describe('EventQueue.removeWhere', () => {
  it('does what is left pop in the same order as before the removal?', () => {
    const rng = new Rng(7);
    const q = new EventQueue<number>();
    const input = Array.from({ length: 3000 }, (_, i) => ({ time: rng.int(40), item: i }));
    for (const e of input) q.push(e.time, e.item);
    q.removeWhere((item) => item % 3 === 0);
    expect(q.size).toBe(2000);
    const expected = input.filter((e) => e.item % 3 !== 0).sort((a, b) => a.time - b.time || a.item - b.item).map((e) => e.item);
    const actual: number[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) actual.push(e);
    expect(actual).toEqual(expected);
  });
});
