import { objectKey } from '../api/resources';
import { virtualMs } from '../api/time';
import type { Condition, Job } from '../api/types';
import type { Client } from '../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../client/controller-runner';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import { typedClient } from '../client/typed-client';
import { WorkQueue } from '../client/work-queue';
import type { Simulation } from '../sim/simulation';

/**
 * kube-controller-manager's TTL-after-finished controller (pkg/controller/ttlafterfinished):
 * deletes a finished Job ttlSecondsAfterFinished after it finished, its pods with it.
 *
 *   a Job with ttlSecondsAfterFinished: 100 gets its Complete condition at 00:00:30
 *   // => looked at again at 00:02:10; GET it fresh, still finished and still expired:
 *   //    DELETE jobs/<name>, propagationPolicy Foreground (its pods go first, then the Job)
 *
 * The finish time is the lastTransitionTime of its Complete or Failed condition; a Job that
 * finished in the future (clock skew) simply waits. It records no events.
 *
 * Simplified: the DELETE carries no UID precondition (the lab's API server has none); the
 * fresh GET before it still catches a Job changed meanwhile.
 */
export const TTL_AFTER_FINISHED_CONTROLLER = 'ttl-after-finished-controller';
/** kube-controller-manager's --concurrent-ttl-after-finished-syncs default. */
export const TTL_WORKERS = 5;

export class TtlAfterFinishedController {
  readonly jobs: Informer<Job>;
  private readonly queue: WorkQueue;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
  ) {
    this.queue = new WorkQueue(sim);
    this.jobs = informers.informerFor<Job>('jobs');
    const changed = (j: Readonly<Job>) => {
      if (j.metadata.deletionTimestamp === undefined && needsCleanup(j)) this.queue.add(objectKey(j));
    };
    this.jobs.addEventHandler({ onAdd: changed, onUpdate: (_old, j) => changed(j) });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: TTL_AFTER_FINISHED_CONTROLLER, workers: TTL_WORKERS });
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  hasSynced(): boolean {
    return this.jobs.hasSynced();
  }

  private sync(key: string): ReconcileOutcome | PendingRequests {
    const job = this.jobs.lister.get(key);
    if (job === undefined) return 'done';
    const left = timeLeft(job, this.sim.now());
    if (left === undefined) return 'done';
    if (typeof left === 'string') return { retry: left };
    if (left > 0) {
      this.queue.addAfter(key, left);
      return 'done';
    }
    // The cache may be stale: ask the API server before deleting.
    const requests = new PendingRequests();
    const answered = requests.start();
    const jobs = typedClient<Job>(this.client, 'jobs', job.metadata.namespace);
    jobs.get(job.metadata.name!, (r) => {
      if (r.kind === 'error') return answered(r.status.code === 404 ? undefined : `get job ${key}: ${r.status.message}`);
      const fresh = timeLeft(r.object, this.sim.now());
      if (fresh === undefined || typeof fresh === 'string' || fresh > 0) return answered();
      this.sim.trace.action(this.sim.now(), this.client.component, `${TTL_AFTER_FINISHED_CONTROLLER}: cleaning up Job ${key}`, { key });
      jobs.delete(r.object.metadata.name!, { propagationPolicy: 'Foreground' }, (d) => answered(d.kind === 'ok' || d.status.code === 404 ? undefined : `delete job ${key}: ${d.status.message}`));
    });
    return requests;
  }
}

/** Whether the controller looks after it: a finished Job with ttlSecondsAfterFinished. */
function needsCleanup(job: Readonly<Job>): boolean {
  return job.spec.ttlSecondsAfterFinished !== undefined && finishedCondition(job) !== undefined;
}

/** Its Complete or Failed condition, once it has one True. */
function finishedCondition(job: Readonly<Job>): Readonly<Condition> | undefined {
  return (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/**
 * How long until the Job expires (ms; 0 or less: now), undefined if it is not the controller's
 * (being deleted, no TTL, not finished), or why it cannot tell.
 *   finished at 30 s, ttl 100, now 60 s  => 70_000
 */
export function timeLeft(job: Readonly<Job>, nowMs: number): number | string | undefined {
  if (job.metadata.deletionTimestamp !== undefined || !needsCleanup(job)) return undefined;
  const at = finishedCondition(job)!.lastTransitionTime;
  if (at === undefined) return `unable to find the time when the Job ${objectKey(job)} finished`;
  return virtualMs(at) + job.spec.ttlSecondsAfterFinished! * 1000 - nowMs;
}
