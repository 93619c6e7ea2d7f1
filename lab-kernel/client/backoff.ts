import type { Rng } from '../sim/rng';
import type { Simulation } from '../sim/simulation';

/**
 * How long a reflector waits before listing again after its list or watch failed: client-go's
 * exponential backoff manager, with the reflector's numbers (`NewExponentialBackoffManager(
 * 800ms, 30s, 2min, 2.0, 1.0)` in tools/cache/reflector.go).
 *
 * Each failure doubles the base delay, from 800 ms up to 30 s; jitter 1.0 then adds up to
 * one more base delay at random, so a wait is in [base, 2 * base):
 *
 *   next()  // => 800..1599 ms
 *   next()  // => 1600..3199 ms
 *   ...     // 3200, 6400, 12800, 25600, then 30000 for good (so at most ~60 s)
 *
 * If more than 2 minutes (virtual time) have passed since the previous wait began, the API
 * server is taken to be healthy again and the base starts over at 800 ms.
 * Jitter comes from a named random stream of the simulation, never from Math.random().
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  resetAfterMs: number;
  factor: number;
  jitter: number;
}

export const REFLECTOR_BACKOFF: Readonly<BackoffOptions> = { initialMs: 800, maxMs: 30_000, resetAfterMs: 120_000, factor: 2, jitter: 1 };

export class ExponentialBackoff {
  private base: number;
  private lastStart: number;

  constructor(
    private readonly sim: Simulation,
    private readonly rng: Rng,
    private readonly options: Readonly<BackoffOptions> = REFLECTOR_BACKOFF,
  ) {
    this.base = options.initialMs;
    this.lastStart = sim.now();
  }

  /** The next wait, in virtual ms (a whole number). */
  next(): number {
    const now = this.sim.now();
    if (now - this.lastStart > this.options.resetAfterMs) this.base = this.options.initialMs;
    this.lastStart = now;
    const wait = this.base + this.rng.next() * this.options.jitter * this.base;
    this.base = Math.min(this.base * this.options.factor, this.options.maxMs);
    return Math.floor(wait);
  }
}
