import type { Simulation } from '../sim/simulation';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter';

export { BASE_DELAY_MS, MAX_DELAY_MS } from './rate-limiter';

/**
 * A controller's work queue, as in client-go: it holds keys (`namespace/name`), not objects.
 *
 *  - de-duplication: adding a key that is already waiting does nothing;
 *  - in-flight tracking: a key being processed is not handed to a second worker; if it is
 *    added meanwhile, it is queued again when the first worker calls done();
 *  - rate-limited retries: by default client-go's controller rate limiter (see
 *    rate-limiter.ts): a key that failed n times waits 5 ms * 2^n (at most 1000 s), and
 *    beyond a burst of 100 retries, all keys together are held to 10 retries a second.
 *
 *   q.add('default/web'); q.add('default/web');  // one entry
 *   const key = q.get();                         // 'default/web', now in flight
 *   q.add('default/web');                        // remembered as dirty, not queued
 *   q.done(key);                                 // queued again
 *
 * Another limiter can be passed in: `new WorkQueue(sim, new ItemExponentialFailureRateLimiter(1000, 60_000))`.
 *
 * shutDown() ends it, as client-go's ShutDown does when its process stops: adds (now or
 * delayed) are ignored and get() hands out nothing more, so the workers stop.
 *
 *   q.shutDown(); q.add('default/web');  // ignored
 *   q.get()                               // => undefined
 *
 * (client-go's Get still hands out what was queued before ShutDown until the queue is empty;
 * here a queue is shut down only as its process exits, when no worker is left to take it.)
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private listener: (() => void) | undefined;
  private shuttingDown = false;

  constructor(
    private readonly sim: Simulation,
    private readonly rateLimiter: RateLimiter = defaultControllerRateLimiter(sim),
  ) {}

  get length(): number {
    return this.queue.length;
  }

  /** Called whenever a key becomes available (the runner schedules a worker). */
  onReady(listener: () => void): void {
    this.listener = listener;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.listener?.();
  }

  /** The oldest waiting key, now in flight; undefined when the queue is empty. */
  get(): string | undefined {
    if (this.shuttingDown) return undefined;
    const key = this.queue.shift();
    if (key === undefined) return undefined;
    this.processing.add(key);
    this.dirty.delete(key);
    return key;
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.listener?.();
    }
  }

  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    this.sim.after(delayMs, () => this.add(key));
  }

  /** Retry later, when the rate limiter says. Returns the delay chosen (virtual ms). */
  addRateLimited(key: string): number {
    const delay = this.rateLimiter.when(key);
    this.addAfter(key, delay);
    return delay;
  }

  /** The key succeeded: reset its backoff. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Ends the queue: adds are ignored from now on and get() returns nothing. */
  shutDown(): void {
    this.shuttingDown = true;
  }
}
