import { describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import { ExponentialBackoff } from './backoff';

describe('ExponentialBackoff (the reflector backoff manager: 800 ms, x2, max 30 s, jitter 1.0, reset after 2 min)', () => {
  it('grows from 800 ms, doubling, each wait within [base, 2 * base), up to 30 s', () => {
    const sim = new Simulation({ seed: 1 });
    const backoff = new ExponentialBackoff(sim, sim.rng('test'));
    const bases = [800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000];
    for (const base of bases) {
      const wait = backoff.next();
      expect(wait).toBeGreaterThanOrEqual(base);
      expect(wait).toBeLessThan(2 * base);
      sim.runFor(wait);
    }
  });

  it('resets to 800 ms after more than 2 minutes without a wait', () => {
    const sim = new Simulation({ seed: 1 });
    const backoff = new ExponentialBackoff(sim, sim.rng('test'));
    for (let i = 0; i < 4; i++) backoff.next();
    sim.runFor(120_000);
    expect(backoff.next()).toBeGreaterThanOrEqual(12_800); // exactly 2 min: not yet
    sim.runFor(120_001);
    expect(backoff.next()).toBeLessThan(1600);
  });

  it('is the same on every run with the same seed', () => {
    const waits = () => {
      const sim = new Simulation({ seed: 9 });
      const backoff = new ExponentialBackoff(sim, sim.rng('test'));
      return [backoff.next(), backoff.next(), backoff.next()];
    };
    expect(waits()).toEqual(waits());
  });
});
