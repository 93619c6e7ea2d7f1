import type { Simulation } from '../sim/simulation';
import type { WorkQueue } from './work-queue';

/**
 * Runs a controller's worker: take a key from the queue, reconcile it, and decide from the
 * outcome whether to retry — the loop of client-go's sample-controller.
 *
 *   runWorker(sim, 'replicaset-controller', queue, (key) => reconcile(key));
 *   // 'done'         => queue.forget(key)   (backoff reset)
 *   // { retry: why } => queue.addRateLimited(key), and the reason goes into the trace
 *
 * A reconcile runs in zero virtual time; one key at a time (one worker).
 */
export type ReconcileOutcome = 'done' | { retry: string };

export function runWorker(sim: Simulation, component: string, queue: WorkQueue, reconcile: (key: string) => ReconcileOutcome): void {
  let scheduled = false;
  const work = () => {
    scheduled = false;
    const key = queue.get();
    if (key === undefined) return;
    const outcome = reconcile(key);
    if (outcome === 'done') {
      queue.forget(key);
    } else {
      const delay = queue.addRateLimited(key);
      sim.trace.error(sim.now(), component, `sync ${key} failed, requeued in ${delay} ms: ${outcome.retry}`, { key });
    }
    queue.done(key);
    if (queue.length > 0) wake();
  };
  const wake = () => {
    if (scheduled) return;
    scheduled = true;
    sim.after(0, work);
  };
  queue.onReady(wake);
}
