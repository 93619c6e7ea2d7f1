import { describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import { WorkQueue } from './work-queue';

describe('WorkQueue', () => {
  it('de-duplicates keys that are waiting', () => {
    const q = new WorkQueue(new Simulation({ seed: 1 }));
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect([q.get(), q.get(), q.get()]).toEqual(['a', 'b', undefined]);
  });

  it('never hands out a key twice at once: re-added while in flight, it comes back after done()', () => {
    const q = new WorkQueue(new Simulation({ seed: 1 }));
    q.add('a');
    const key = q.get()!;
    q.add('a');
    expect(q.get()).toBeUndefined();
    q.done(key);
    expect(q.get()).toBe('a');
  });

  it('backs off exponentially per key from 5 ms, and forget() resets it', () => {
    const sim = new Simulation({ seed: 1 });
    const q = new WorkQueue(sim);
    expect([q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a')]).toEqual([5, 10, 20]);
    expect(q.addRateLimited('b')).toBe(5);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
    expect(q.addRateLimited('a')).toBe(5);
  });

  it('caps the backoff at 1000 s', () => {
    const q = new WorkQueue(new Simulation({ seed: 1 }));
    let last = 0;
    for (let i = 0; i < 40; i++) last = q.addRateLimited('a');
    expect(last).toBe(1000_000);
  });

  it('adds a rate-limited key only when its delay has passed', () => {
    const sim = new Simulation({ seed: 1 });
    const q = new WorkQueue(sim);
    q.addRateLimited('a');
    q.addRateLimited('a');
    sim.runFor(4);
    expect(q.length).toBe(0);
    sim.runFor(1);
    expect(q.get()).toBe('a');
  });

  it('takes nothing once shut down: adds, now or delayed, are ignored and get() hands out nothing', () => {
    const sim = new Simulation({ seed: 1 });
    const q = new WorkQueue(sim);
    q.add('a');
    q.addAfter('b', 10);
    q.shutDown();
    q.add('c');
    q.addRateLimited('d');
    sim.runFor(1_000);
    expect(q.get()).toBeUndefined();
  });
});
