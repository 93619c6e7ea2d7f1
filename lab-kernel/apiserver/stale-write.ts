import { conflict, STALE_OBJECT, type ResourceName } from '../api/status';
import type { Steps } from './steps';

/**
 * Writes that lose a race. Every write is a compare-and-swap on the revision the server
 * read; when another write got in between, the server reads again and tries again, like
 * kube-apiserver's GuaranteedUpdate:
 *
 *   update web (no resourceVersion sent)  read rv 7, write if still 7 => lost to rv 8
 *                                         read rv 8, write if still 8 => 200
 *   update web (resourceVersion 7 sent)   lost to rv 8                 => 409 Conflict
 */

/** How often a write that lost a compare-and-swap race is tried again on fresh data. */
const MAX_WRITE_ATTEMPTS = 5;

/** A compare-and-swap that lost to another write (caught by retryStale, never answered as such). */
export class StaleWrite extends Error {
  constructor(readonly ref: ResourceName) {
    super(`${ref.resource} ${ref.name}: ${STALE_OBJECT}`);
    this.name = 'StaleWrite';
  }
}

/**
 * Runs a read-then-compare-and-swap `attempt` again when another write got in between,
 * unless the client pinned a resourceVersion: then the lost race is the client's to handle,
 * as 409 Conflict.
 */
export function* retryStale<T>(pinned: boolean, attempt: () => Steps<T>): Steps<T> {
  for (let n = 1; ; n++) {
    try {
      return yield* attempt();
    } catch (err) {
      if (!(err instanceof StaleWrite)) throw err;
      if (pinned || n >= MAX_WRITE_ATTEMPTS) throw conflict(err.ref, STALE_OBJECT);
    }
  }
}
