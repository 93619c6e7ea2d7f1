import { describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import { BucketRateLimiter, defaultControllerRateLimiter, ItemExponentialFailureRateLimiter } from './rate-limiter';
import { WorkQueue } from './work-queue';

describe("client-go's default controller rate limiter", () => {
  it('per item: 5 ms doubling per failure, capped at 1000 s; forget() starts over', () => {
    const limiter = new ItemExponentialFailureRateLimiter();
    expect([limiter.when('a'), limiter.when('a'), limiter.when('a'), limiter.when('b')]).toEqual([5, 10, 20, 5]);
    expect(limiter.numRequeues('a')).toBe(3);
    limiter.forget('a');
    expect(limiter.when('a')).toBe(5);
  });

  it("does tryAccept take a token only when there is one (the node controller's eviction bucket: 0.1 per second, burst 1)?", () => {
    const sim = new Simulation({ seed: 1 });
    const bucket = new BucketRateLimiter(sim, 0.1, 1);
    expect([bucket.tryAccept(), bucket.tryAccept()]).toEqual([true, false]);
    expect(bucket.msUntilToken()).toBe(10_000);
    sim.runFor(9_999);
    expect(bucket.tryAccept()).toBe(false);
    sim.runFor(1);
    expect(bucket.tryAccept()).toBe(true);
    expect(new BucketRateLimiter(sim, 0, 1).msUntilToken()).toBe(0);
  });

  it('token bucket: a burst of 100, then 10 per second', () => {
    const sim = new Simulation({ seed: 1 });
    const bucket = new BucketRateLimiter(sim);
    const waits = Array.from({ length: 102 }, () => bucket.when());
    expect(waits.slice(0, 100).every((w) => w === 0)).toBe(true);
    expect(waits.slice(100)).toEqual([100, 200]);
    sim.runFor(1000);
    expect(Array.from({ length: 9 }, () => bucket.when())).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 100]);
  });

  it('the first 100 retries follow the per-item curve', () => {
    const sim = new Simulation({ seed: 1 });
    const limiter = defaultControllerRateLimiter(sim);
    const waits = Array.from({ length: 100 }, (_, i) => limiter.when(`key-${i % 10}`));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(5));
    expect(waits.slice(90)).toEqual(Array(10).fill(5 * 2 ** 9));
    expect(limiter.numRequeues('key-0')).toBe(10);
  });

  it('a burst beyond 100 items is paced at 10 per second', () => {
    const sim = new Simulation({ seed: 1 });
    const q = new WorkQueue(sim);
    const waits = Array.from({ length: 120 }, (_, i) => q.addRateLimited(`key-${i}`));
    expect(waits.slice(0, 100)).toEqual(Array(100).fill(5));
    expect(waits.slice(100, 103)).toEqual([100, 200, 300]);
    expect(waits[119]).toBe(2000);
    sim.runFor(5);
    expect(q.length).toBe(100);
    sim.runFor(1000 - 5);
    expect(q.length).toBe(110);
  });
});
