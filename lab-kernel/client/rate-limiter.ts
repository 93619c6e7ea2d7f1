import type { Simulation } from '../sim/simulation';

/**
 * How long a failed key waits before it is retried: client-go's workqueue rate limiters
 * (util/workqueue/default_rate_limiters.go). Each one answers when(key) in virtual ms and
 * counts as a retry; forget(key) is called once the key has succeeded.
 *
 * The default, used by every controller here as in client-go, is the larger of two answers:
 *
 *  - per key, exponential: 5 ms * 2^(failures so far), at most 1000 s
 *      when('a') => 5, when('a') => 10, when('a') => 20, when('b') => 5
 *  - overall, a token bucket of 100 tokens refilled at 10 per second: each retry takes a
 *    token; when none is left, the retry waits for the next one
 *      100 retries at t=0 => 0 ms each; the 101st => 100 ms, the 102nd => 200 ms
 *
 * So one failing key backs off on its own curve, and a storm of failing keys is held to
 * 10 retries a second once the first 100 are spent.
 */
export interface RateLimiter {
  /** How long `key` should wait before its next try (counts as one more retry). */
  when(key: string): number;
  /** `key` succeeded: stop tracking it. */
  forget(key: string): void;
  /** How many times `key` has been retried since it was last forgotten. */
  numRequeues(key: string): number;
}

export const BASE_DELAY_MS = 5;
export const MAX_DELAY_MS = 1000_000;
export const BUCKET_QPS = 10;
export const BUCKET_BURST = 100;

/** 5 ms, 10 ms, 20 ms, ... per key (base * 2^failures), capped. */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseDelayMs = BASE_DELAY_MS,
    private readonly maxDelayMs = MAX_DELAY_MS,
  ) {}

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

/**
 * A token bucket shared by all keys, in virtual time (Go's rate.Limiter, as client-go uses
 * it): it starts full with `burst` tokens and gains `qps` tokens a second, never more than
 * `burst`. when() takes a token even if there is none yet, and answers how long until the
 * bucket is back at zero: that is when the reserved token exists.
 *
 *   qps 10, burst 100, t=0: when() x100 => 0 each; when() => 100; when() => 200
 *   then at t=1000 (10 tokens refilled, 2 were owed): when() => 0 ... (8 times), then 100
 */
export class BucketRateLimiter implements RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly sim: Simulation,
    private readonly qps = BUCKET_QPS,
    private readonly burst = BUCKET_BURST,
  ) {
    this.tokens = burst;
    this.last = sim.now();
  }

  when(): number {
    const now = this.sim.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    // Rounded to the microsecond first, so float noise (0.1 + 0.2) never adds a whole ms.
    return Math.ceil(Math.round((-this.tokens * 1000 * 1000) / this.qps) / 1000);
  }

  /**
   * Takes a token only if there is one now (flowcontrol's TryAccept), owing nothing otherwise:
   *   qps 0.1, burst 1, t=0: tryAccept() => true; tryAccept() => false; at t=10 s: true
   */
  tryAccept(): boolean {
    const now = this.sim.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Virtual ms until tryAccept() can succeed (0 if now; Infinity at 0 qps). */
  msUntilToken(): number {
    const tokens = Math.min(this.burst, this.tokens + ((this.sim.now() - this.last) * this.qps) / 1000);
    if (tokens >= 1) return 0;
    return this.qps === 0 ? Infinity : Math.ceil(((1 - tokens) * 1000) / this.qps);
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** The longest wait any of its limiters asks for; every limiter sees every call. */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(key: string): number {
    return Math.max(0, ...this.limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: string): number {
    return Math.max(0, ...this.limiters.map((l) => l.numRequeues(key)));
  }
}

/** client-go's DefaultControllerRateLimiter: max(per key 5 ms -> 1000 s, overall 10 qps burst 100). */
export function defaultControllerRateLimiter(sim: Simulation): RateLimiter {
  return new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(), new BucketRateLimiter(sim));
}
