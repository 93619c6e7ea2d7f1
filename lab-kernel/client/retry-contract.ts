import type { Status } from '../api/status';
import type { KubeObject } from '../api/types';

/**
 * The contract of read-modify-write with retry on conflict: client-go's
 *
 *   retry.RetryOnConflict(retry.DefaultRetry, func() error {
 *     cm, err := client.Get(...)       // read the latest version
 *     modify(cm)                       // change it
 *     _, err = client.Update(cm)       // write it back, carrying the resourceVersion just read
 *     return err
 *   })
 *
 * as a pure state machine. The runtime (retry-runner.ts) sends the get and the update, runs
 * the wait, and feeds each answer back in; the step function says what to do next:
 *
 *   retryStep(initialRetryState({ kind: 'increment-data', key: 'counter' }), { kind: 'start' })
 *   // => { state: { phase: 'getting', attempt: 1, ... }, action: { kind: 'get' } }
 *   ... { kind: 'got', object: cm (counter '4', rv 17) }
 *   // => action { kind: 'update', object: cm with counter '5', still rv 17 }
 *   ... { kind: 'update-failed', status: <409 Conflict>, random: 0.5 }
 *   // => action { kind: 'wait', ms: 10.5 }; then on { kind: 'wait-over' }: { kind: 'get' } again
 *
 * Only a 409 whose reason is Conflict (the resourceVersion was stale) is retried: client-go
 * checks errors.IsConflict, so a 409 AlreadyExists, a 404 or a 422 fails at once. After
 * backoff.steps attempts the last conflict is returned.
 *
 * The change to make is data, applied afresh to each object read (applyChange, written by the
 * learner too): the point is that it is re-applied to the new version after every conflict.
 * Randomness (the jitter) comes in with the input, so the step function stays pure.
 *
 * Exercise `retry-on-conflict` (exercises/retry/retry-on-conflict.ts) implements it; the
 * reference is in solutions/retry/retry-on-conflict.ts.
 */

/**
 * What to change in the object read (the lab's stand-in for client-go's modify closure):
 *   { kind: 'increment-data', key: 'counter' }          data.counter '4' => '5' (missing counts as '0')
 *   { kind: 'set-label', key: 'tier', value: 'gold' }   metadata.labels.tier = 'gold'
 */
export type Change = { readonly kind: 'increment-data'; readonly key: string } | { readonly kind: 'set-label'; readonly key: string; readonly value: string };

/**
 * client-go's wait.Backoff, the fields retry uses: `steps` attempts at most; the first wait is
 * `durationMs` plus up to `jitter` times itself at random; each wait is `factor` times the one
 * before.
 */
export interface RetryBackoff {
  readonly steps: number;
  readonly durationMs: number;
  readonly factor: number;
  readonly jitter: number;
}

/** client-go's retry.DefaultRetry: `Backoff{Steps: 5, Duration: 10 * time.Millisecond, Factor: 1.0, Jitter: 0.1}`. */
export const DEFAULT_RETRY: RetryBackoff = { steps: 5, durationMs: 10, factor: 1.0, jitter: 0.1 };

/**
 * Where the read-modify-write is: 'idle' (not started), 'getting', 'updating', 'waiting' (after a
 * conflict), 'done' (updated) or 'failed'.
 */
export type RetryPhase = 'idle' | 'getting' | 'updating' | 'waiting' | 'done' | 'failed';

export interface RetryState {
  readonly phase: RetryPhase;
  readonly change: Change;
  readonly backoff: RetryBackoff;
  /** Which attempt (get, modify, update) is running: 1 for the first, 0 before start. */
  readonly attempt: number;
  /** The base of the next wait, before jitter: durationMs, then times factor after each wait. */
  readonly delayMs: number;
}

/** Before start: initialRetryState({ kind: 'increment-data', key: 'counter' }) => { phase: 'idle', attempt: 0, delayMs: 10, ... } */
export function initialRetryState(change: Change, backoff: RetryBackoff = DEFAULT_RETRY): RetryState {
  return { phase: 'idle', change, backoff, attempt: 0, delayMs: backoff.durationMs };
}

/** What happened. */
export type RetryInput =
  | { readonly kind: 'start' }
  /** The get answered 200 with the object as it is now. */
  | { readonly kind: 'got'; readonly object: KubeObject }
  | { readonly kind: 'get-failed'; readonly status: Status }
  /** The update answered 200 with the object as stored (its new resourceVersion). */
  | { readonly kind: 'updated'; readonly object: KubeObject }
  /** The update failed; `random` is a number in [0, 1) for the jitter of a wait. */
  | { readonly kind: 'update-failed'; readonly status: Status; readonly random: number }
  /** The wait asked for is over. */
  | { readonly kind: 'wait-over' };

/** What to do next. */
export type RetryAction =
  | { readonly kind: 'get' }
  /** Update with this object (the one read, changed, carrying the resourceVersion read). */
  | { readonly kind: 'update'; readonly object: KubeObject }
  | { readonly kind: 'wait'; readonly ms: number }
  /** Finished: the object as stored. */
  | { readonly kind: 'done'; readonly object: KubeObject }
  /** Given up: this error is the answer. */
  | { readonly kind: 'fail'; readonly status: Status };

export interface RetryStepResult {
  state: RetryState;
  action: RetryAction;
}

export type RetryStep = (state: RetryState, input: RetryInput) => RetryStepResult;
