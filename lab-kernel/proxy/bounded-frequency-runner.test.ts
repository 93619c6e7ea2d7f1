import { describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import { BoundedFrequencyRunner } from './bounded-frequency-runner';

function runner(maxIntervalMs = 3_600_000) {
  const sim = new Simulation({ seed: 1 });
  const runs: number[] = [];
  const r = new BoundedFrequencyRunner(sim, () => runs.push(sim.now()), { minIntervalMs: 1000, maxIntervalMs, burst: 2 });
  return { sim, runs, r };
}

describe("kube-proxy's bounded-frequency runner", () => {
  it('runs a burst of 2 at once, then not before minInterval after the last run, many asks while one waits making one run', () => {
    const { sim, runs, r } = runner();
    r.run();
    sim.runFor(10);
    r.run();
    sim.runFor(10);
    for (let i = 0; i < 5; i++) r.run();
    sim.runFor(5000);
    expect(runs).toEqual([0, 10, 1010]); // minInterval after the last run
  });

  it('runs at least every maxInterval when nobody asks, and a retry comes after its interval', () => {
    const { sim, runs, r } = runner(10_000);
    sim.runFor(25_000);
    expect(runs).toEqual([10_000, 20_000]);
    r.retryAfter(3000);
    sim.runFor(4000);
    expect(runs).toEqual([10_000, 20_000, 28_000]);
  });
});
