import type { Simulation } from '../sim/simulation';
import type { WorkQueue } from './work-queue';

/**
 * Runs a controller's workers: take a key from the queue, reconcile it, and decide from the
 * outcome whether to retry — the loop of client-go's sample-controller.
 *
 *   runWorker(sim, 'kube-controller-manager', queue, (key) => reconcile(key), { controller: 'replicaset-controller', workers: 5 });
 *   // 'done'         => queue.forget(key)   (its backoff starts over)
 *   // { retry: why } => queue.addRateLimited(key), and the reason goes into the trace
 *   // a PendingRequests => the same, once every write the sync started has been answered
 *
 * A sync is finished only when its writes are: until then its key stays in processing (a
 * change to the object meanwhile marks the key dirty, and it is queued again when the sync
 * ends), and only then is the backoff reset or raised. So a pod create that keeps failing
 * backs off 5, 10, 20, 40 ... ms, as client-go's per-item exponential limiter does, instead
 * of starting over at 5 ms each time.
 *
 * A reconcile itself runs in zero virtual time; at most `workers` syncs are under way at once
 * (kube-controller-manager's --concurrent-*-syncs flags), one started per simulation event.
 */
export type ReconcileOutcome = 'done' | { retry: string };

/**
 * The writes one sync started, and how they went. The sync hands each write's callback the
 * function start() gives it; the worker waits until all have been called.
 *
 *   const requests = new PendingRequests();
 *   const answered = writes.start();
 *   client.create(pod, (r) => answered(r.kind === 'ok' ? undefined : `create pod: ${r.status.message}`));
 *   return writes;           // the sync's outcome: done, or retry with the first failure
 */
export class PendingRequests {
  private open = 0;
  private failures: string[] = [];
  private settled: ((outcome: ReconcileOutcome) => void) | undefined;

  /** One more write to wait for; call what it returns once, with why it failed (or nothing). */
  start(): (failure?: string) => void {
    this.open++;
    let answered = false;
    return (failure) => {
      if (answered) return;
      answered = true;
      if (failure !== undefined) this.failures.push(failure);
      this.open--;
      this.settle();
    };
  }

  /** The worker's side: `then` runs (once) when every write has been answered. */
  whenSettled(then: (outcome: ReconcileOutcome) => void): void {
    this.settled = then;
    this.settle();
  }

  private settle(): void {
    if (this.open > 0 || this.settled === undefined) return;
    const then = this.settled;
    this.settled = undefined;
    const [first, ...more] = this.failures;
    then(first === undefined ? 'done' : { retry: more.length === 0 ? first : `${first} (and ${more.length} more failed writes)` });
  }
}

export interface WorkerOptions {
  /** The controller's name, for the trace (default: the component's). */
  controller?: string;
  /** How many syncs may be under way at once (default 1). */
  workers?: number;
}

export function runWorker(
  sim: Simulation,
  component: string,
  queue: WorkQueue,
  reconcile: (key: string) => ReconcileOutcome | PendingRequests,
  options: WorkerOptions = {},
): void {
  const workers = options.workers ?? 1;
  let busy = 0;
  let scheduled = false;
  const finish = (key: string, outcome: ReconcileOutcome) => {
    if (outcome === 'done') {
      queue.forget(key);
    } else {
      const delay = queue.addRateLimited(key);
      sim.trace.error(sim.now(), component, `${options.controller ?? component}: sync ${key} failed, requeued in ${delay} ms: ${outcome.retry}`, { key });
    }
    queue.done(key);
    busy--;
    if (queue.length > 0) wake();
  };
  const work = () => {
    scheduled = false;
    if (busy >= workers) return;
    const key = queue.get();
    if (key === undefined) return;
    busy++;
    const result = reconcile(key);
    if (result instanceof PendingRequests) result.whenSettled((outcome) => finish(key, outcome));
    else finish(key, result);
    if (queue.length > 0) wake();
  };
  const wake = () => {
    if (scheduled || busy >= workers) return;
    scheduled = true;
    sim.after(0, work);
  };
  queue.onReady(wake);
}
