/**
 * Slow start: how kube-controller-manager issues many creations (controller_utils.go and
 * replica_set.go slowStartBatch). The calls go out in batches of 1, 2, 4, 8, ...: a batch's
 * calls run together, and the next batch starts only when all of them have been answered.
 * After the first batch with a failure, no more batches start: if every creation is going to
 * fail (a quota, an admission webhook that refuses), the API server hears one failing request
 * instead of hundreds.
 *
 *   slowStartBatch(10, 1, call, finished)
 *   // all succeed  => batches [0], [1,2], [3..6], [7..9]; finished(10, false)
 *   // call 2 fails => batches [0], [1,2]; finished(2, true): calls 3..9 never made
 *
 * `call(i, answered)` makes call i and reports its answer through `answered(ok)`; `finished`
 * gets how many succeeded and whether one failed. Callers lower their expectations by the
 * calls that did not succeed (replica_set.go manageReplicas: "Slow-start failure. Skipping
 * creation of pods, decrementing expectations").
 */
/** kube-controller-manager's SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

export function slowStartBatch(
  count: number,
  initialBatchSize: number,
  call: (index: number, answered: (ok: boolean) => void) => void,
  finished: (successes: number, failed: boolean) => void,
): void {
  let successes = 0;
  const batch = (start: number, size: number) => {
    if (size <= 0) return finished(successes, false);
    let open = size;
    let failed = false;
    for (let i = start; i < start + size; i++) {
      let answeredOnce = false;
      call(i, (ok) => {
        if (answeredOnce) return;
        answeredOnce = true;
        if (ok) successes++;
        else failed = true;
        if (--open > 0) return;
        if (failed) return finished(successes, true);
        const next = start + size;
        batch(next, Math.min(2 * size, count - next));
      });
    }
  };
  batch(0, Math.min(initialBatchSize, count));
}
