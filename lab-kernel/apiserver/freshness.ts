import { tooLargeResourceVersion } from '../api/status';
import type { Simulation, Timer } from '../sim/simulation';
import { wait, type Steps } from './steps';

/** How long a read waits for the watch cache to be fresh enough (watch_cache.go blockTimeout). */
export const BLOCK_TIMEOUT_MS = 3_000;

interface Waiter {
  readonly revision: number;
  readonly done: (result: undefined | Error) => void;
  readonly timer: Timer;
}

/**
 * Reads from the watch cache that must wait for it to be fresh enough, as kube-apiserver's
 * waitUntilFreshAndBlock does: a list "not older than" resourceVersion N, or a consistent list
 * at etcd's current revision N, waits until the cache has seen revision N, at most 3 s, then
 * fails 504 with cause ResourceVersionTooLarge.
 *
 *   cache at 40, waitFor(42) ... the cache receives revision 42   => resumes
 *   cache at 40, waitFor(90) ... 3 s pass                         => 504 'Timeout: Too large resource version: 90, current: 40'
 */
export class Freshness {
  private readonly waiting = new Set<Waiter>();

  constructor(
    private readonly sim: Simulation,
    /** The revision the cache is up to date with. */
    private readonly current: () => number,
  ) {}

  /** Whether a read at this revision would wait. */
  behind(revision: number): boolean {
    return this.current() < revision;
  }

  *waitFor(revision: number): Steps<void> {
    if (!this.behind(revision)) return;
    yield* wait<undefined>((done) => {
      const w: Waiter = {
        revision,
        done,
        timer: this.sim.after(BLOCK_TIMEOUT_MS, () => {
          this.waiting.delete(w);
          done(tooLargeResourceVersion(revision, this.current()));
        }),
      };
      this.waiting.add(w);
    });
  }

  /** The cache moved on: every read it is now fresh enough for goes ahead. */
  advanced(): void {
    for (const w of [...this.waiting]) {
      if (this.behind(w.revision)) continue;
      this.waiting.delete(w);
      this.sim.cancel(w.timer);
      w.done(undefined);
    }
  }
}
