import { conflict, STALE_OBJECT, type ResourceName } from '../api/status';
import type { KeyValue } from '../store/mvcc-store';
import type { Steps } from './steps';

/**
 * Writes that lose a race. Every write is a compare-and-swap on the revision the server
 * started from (the watch cache's copy at first: handlers/read.ts startingPoint); when another
 * write got in between, the server reads etcd and tries again, like kube-apiserver's
 * GuaranteedUpdate:
 *
 *   update web (no resourceVersion sent)  cache rv 7, write if still 7 => lost to rv 8
 *                                         etcd rv 8, write if still 8  => 200
 *   update web (resourceVersion 7 sent)   lost to rv 8                 => 409 Conflict
 *   update web (resourceVersion 8 sent)   cache still at rv 7: stale?  => etcd rv 8, write => 200
 *
 * Simplified: kube-apiserver's transaction reads the key in its else branch, so a lost race
 * costs no extra round trip; the lab reads it with a second request.
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
 * Where a write attempt starts: the watch cache's copy of the object (the first attempt), a
 * fresh read from etcd (after a lost race), or an etcd read already made (`current` of a StaleStart).
 */
export type StartFrom = 'cache' | 'etcd' | KeyValue;

/**
 * A write that started from the watch cache's copy found the client's resourceVersion stale,
 * and etcd holds a newer object than that copy: the write starts again from `current`
 * (kube-apiserver's GuaranteedUpdate: "it's possible we were working with stale data").
 */
export class StaleStart extends Error {
  constructor(
    readonly ref: ResourceName,
    readonly current: KeyValue,
  ) {
    super(`${ref.resource} ${ref.name}: the watch cache was behind etcd`);
    this.name = 'StaleStart';
  }
}

/**
 * Runs a compare-and-swap `attempt`, first from the watch cache's copy, again from etcd's
 * current object when another write got in between, unless the client pinned a
 * resourceVersion: then the lost race is the client's to handle, as 409 Conflict. An attempt
 * that found the client's resourceVersion stale only because the cache was behind starts
 * again from etcd's object.
 */
export function* retryStale<T>(pinned: boolean, attempt: (from: StartFrom) => Steps<T>): Steps<T> {
  let from: StartFrom = 'cache';
  for (let n = 1; ; n++) {
    try {
      return yield* attempt(from);
    } catch (err) {
      if (err instanceof StaleStart && from === 'cache') {
        from = err.current;
        continue;
      }
      if (!(err instanceof StaleWrite)) throw err;
      if (pinned || n >= MAX_WRITE_ATTEMPTS) throw conflict(err.ref, STALE_OBJECT);
      from = 'etcd';
    }
  }
}
