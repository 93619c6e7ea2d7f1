/**
 * Exercise `retry-on-conflict` — read, modify, write, and retry on conflict.   (chapter 03)
 *
 * Two clients read the same ConfigMap (counter '4', resourceVersion 17), both add one and both
 * write back '5'. Without care, one increment is lost. Kubernetes prevents it with optimistic
 * concurrency: an update carries the resourceVersion it read, and if the object has changed
 * since, the API server refuses it with 409 Conflict ("the object has been modified; please
 * apply your changes to the latest version and try again"). The client must then read the
 * object again and make its change AGAIN, on the fresh version. client-go packages that as
 *   retry.RetryOnConflict(retry.DefaultRetry, func() error { get; modify; update })
 * with DefaultRetry = Backoff{Steps: 5, Duration: 10ms, Factor: 1.0, Jitter: 0.1}.
 *
 * You write it as a pure state machine: the runtime (lab-kernel/client/retry-runner.ts) sends
 * the requests and runs the waits, and calls your retryStep with each answer. Grade it with
 *   npm run grade -- retry-on-conflict
 *
 * Input => action, by example (state.change = { kind: 'increment-data', key: 'counter' },
 * state.backoff = DEFAULT_RETRY; see retry-contract.ts for every type):
 *
 *   start                                          => get                         (attempt 1)
 *   got cm { counter '4', rv 17 }                  => update cm { counter '5', rv 17 }
 *   updated cm { counter '5', rv 18 }              => done with that object
 *   update-failed 409 Conflict, random 0.5         => wait 10.5 ms                (10 + 0.5 * 0.1 * 10)
 *   wait-over                                      => get                         (attempt 2, change made afresh)
 *   update-failed 409 Conflict on attempt 5        => fail with that Conflict     (no attempts left)
 *   update-failed 409 AlreadyExists / 404 / 422    => fail with it, at once       (only Conflict is retried)
 *   get-failed 404 NotFound                        => fail with it, at once
 *
 * Return new objects; never change the ones you are given.
 */
import type { Status } from '../../lab-kernel/api/status';
import type { KubeObject } from '../../lab-kernel/api/types';
import type { Change, RetryInput, RetryState, RetryStepResult } from '../../lab-kernel/client/retry-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

export function retryStep(state: RetryState, input: RetryInput): RetryStepResult {
  // TODO(2) 'start' => attempt 1, phase 'getting', action get.
  //         'got' => phase 'updating', action update with applyChange(input.object, state.change).
  //         'updated' => action done with input.object. 'get-failed' => action fail with its status.
  // TODO(3) 'update-failed': a Conflict (isConflict) with attempts left (state.attempt below
  //         state.backoff.steps) => phase 'waiting' and action wait (TODO 4). Anything else, or no
  //         attempts left => action fail with input.status (the last conflict, if it was one).
  //         'wait-over' => the next attempt: attempt + 1, phase 'getting', action get.
  // TODO(4) How long to wait, as client-go's wait.Jitter: ms = delayMs + random * jitter * delayMs
  //         (input.random, state.backoff.jitter, state.delayMs); then the next delayMs is
  //         delayMs * backoff.factor (with DefaultRetry's factor 1.0, always 10 ms: waits of 10..11 ms).
  throw notImplemented('retry-on-conflict');
}

/**
 * TODO(1) The change, made to a COPY of the object just read. Keep its metadata as it is: the
 * resourceVersion read must go back with the update, or the server cannot tell it is stale.
 *
 *   cm { data: { counter: '4' } },  { kind: 'increment-data', key: 'counter' }  => cm { data: { counter: '5' } }
 *   cm { data: {} } (or no data),   { kind: 'increment-data', key: 'counter' }  => cm { data: { counter: '1' } }
 *   cm { labels: { app: 'web' } },  { kind: 'set-label', key: 'tier', value: 'gold' } => labels { app: 'web', tier: 'gold' }
 */
export function applyChange(object: KubeObject, change: Change): KubeObject {
  throw notImplemented('retry-on-conflict');
}

/**
 * TODO(3) Is this failure one to retry? client-go's errors.IsConflict looks at the reason, not
 * the code: 409 with reason 'Conflict' => true; 409 'AlreadyExists' => false; 404, 422 => false.
 */
export function isConflict(status: Status): boolean {
  throw notImplemented('retry-on-conflict');
}
