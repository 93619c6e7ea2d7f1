import { describe, expect, it } from 'vitest';
import { sampleEvery } from './sample-every';

describe('sampleEvery', () => {
  it('runs in steps and reads a row after each, timed from the given start', () => {
    let now = 5_000;
    const cluster = { now: () => now, runFor: (ms: number) => void (now += ms), runUntil: () => true };
    expect(sampleEvery(cluster, 30_000, 95_000, 0, () => ({ at: now }))).toEqual([
      { 't (s)': 35, at: 35_000 },
      { 't (s)': 65, at: 65_000 },
      { 't (s)': 95, at: 95_000 },
    ]);
  });
});
