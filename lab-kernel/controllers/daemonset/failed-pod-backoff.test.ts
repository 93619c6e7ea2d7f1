import { describe, expect, it } from 'vitest';
import { FailedPodBackoffs } from './failed-pod-backoff';

describe('the failed-pod back-off', () => {
  it('waits 1 s after the first deletion, then twice as long each time, at most 15 min, and starts over after 30 min of quiet', () => {
    const b = new FailedPodBackoffs();
    expect(b.forNodes('uid/1/', ['node-1'], 0)).toEqual({});
    const delays: number[] = [];
    let t = 0;
    for (let i = 0; i < 12; i++) {
      b.next('uid/1/node-1', t);
      delays.push(b.forNodes('uid/1/', ['node-1'], t)['node-1'].delayMs);
      t += delays.at(-1)!;
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900].map((s) => s * 1000));
    expect(b.forNodes('uid/1/', ['node-1', 'node-2'], t)).toEqual({ 'node-1': { lastMs: t - 900_000, delayMs: 900_000 } });
    expect(b.forNodes('uid/2/', ['node-1'], t), 'a new generation: a key of its own').toEqual({});
    const quiet = t - 900_000 + 30 * 60_000 + 1;
    expect(b.forNodes('uid/1/', ['node-1'], quiet)).toEqual({});
    b.next('uid/1/node-1', quiet);
    expect(b.forNodes('uid/1/', ['node-1'], quiet)['node-1'].delayMs).toBe(1000);
  });
});
