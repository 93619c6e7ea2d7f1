import type { Simulation, Timer } from '../sim/simulation';

/**
 * client-go-era kube-proxy's BoundedFrequencyRunner (pkg/util/async, as 1.32's iptables proxier
 * uses it): runs `fn` when asked, but not more often than a token bucket allows (burst runs at
 * once, then one per minInterval), and at least every maxInterval even if nobody asks; a failed
 * run can ask to be retried after an interval.
 *
 *   const r = new BoundedFrequencyRunner(sim, sync, { minIntervalMs: 1000, maxIntervalMs: 3_600_000, burst: 2 });
 *   r.run(); r.run(); r.run();   // t=0: the first runs now (one token left); asks made while one is pending count once
 *   // a run at t=0 uses the first token; a later ask at t=10 uses the second; one at t=20 waits until t=1010
 *   r.retryAfter(30_000)         // the next run no later than 30 s from now
 *
 * A run asked for is made after everything already due now, so a burst of informer events
 * costs one run.
 */
export interface RunnerOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  burst: number;
}

export class BoundedFrequencyRunner {
  private tokens: number;
  private refilledAt: number;
  private lastRun = Number.NEGATIVE_INFINITY;
  private timer: Timer | undefined;
  private asked: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly fn: () => void,
    private readonly options: RunnerOptions,
  ) {
    this.tokens = options.burst;
    this.refilledAt = sim.now();
    this.schedule(options.maxIntervalMs);
  }

  /** Asks for a run as soon as the rate limit allows. */
  run(): void {
    if (this.stopped || this.asked !== undefined) return;
    this.asked = this.sim.after(0, () => {
      this.asked = undefined;
      this.tryRun();
    });
  }

  /** Asks for a run no later than `ms` from now (an earlier one already due stays). */
  retryAfter(ms: number): void {
    if (this.stopped) return;
    if (this.timer === undefined || this.timer.at > this.sim.now() + ms) this.schedule(ms);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.sim.cancel(this.timer);
    if (this.asked !== undefined) this.sim.cancel(this.asked);
  }

  private tryRun(): void {
    if (this.stopped) return;
    const now = this.sim.now();
    this.tokens = Math.min(this.options.burst, this.tokens + (now - this.refilledAt) / this.options.minIntervalMs);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.lastRun = now;
      this.schedule(this.options.maxIntervalMs);
      this.fn();
      return;
    }
    const possibleIn = Math.max(0, this.options.minIntervalMs - (now - this.lastRun), (1 - this.tokens) * this.options.minIntervalMs);
    if (this.timer === undefined || this.timer.at > now + possibleIn) this.schedule(possibleIn);
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined) this.sim.cancel(this.timer);
    this.timer = this.sim.after(ms, () => {
      this.timer = undefined;
      this.tryRun();
    });
  }
}
