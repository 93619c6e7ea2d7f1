import { objectKey } from '../../api/resources';
import { timestamp } from '../../api/time';
import type { CronJob, Job } from '../../api/types';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import type { SharedInformerFactory } from '../../client/shared-informer-factory';
import { typedClient } from '../../client/typed-client';
import { WorkQueue } from '../../client/work-queue';
import type { Simulation } from '../../sim/simulation';
import type { CronScheduleFn } from './cron-schedule-contract';
import { CRONJOB_CONTROLLER, jobRef, NEXT_SCHEDULE_DELTA_MS, planCronJob, type CronJobPlan } from './cronjob-plan';

/**
 * kube-controller-manager's CronJob controller (pkg/controller/cronjob, ControllerV2): starts
 * a CronJob's Jobs at its scheduled times and keeps its history.
 *
 *   handlers  a CronJob added or changed: its key now (its schedule changed: at the next time
 *             of the new schedule); one of its Jobs added, changed or deleted: its key now
 *   sync      read the CronJob and the Jobs it controls, planCronJob (cronjob-plan.ts; which
 *             time is due is exercise cron-schedule), then write: delete the Jobs to go,
 *             create the Job (SuccessfulCreate "Created job hello-28928161"), the status
 *             (status.active, lastScheduleTime, lastSuccessfulTime), and sleep until the next
 *             scheduled time, plus 100 ms
 *
 * It does not poll: a CronJob nobody touches is synced once per scheduled time. The Job's name
 * is its lock: the same scheduled time always makes the same name, so a sync that runs on a
 * stale cache is refused the second Job (409 AlreadyExists) and only adds the first to
 * status.active.
 */
/** kube-controller-manager's --concurrent-cron-job-syncs default. */
export const CRONJOB_WORKERS = 5;

export class CronJobController {
  readonly cronJobs: Informer<CronJob>;
  readonly jobs: Informer<Job>;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  /** Per CronJob: when its next wake-up is due (virtual ms), so that a later one is not added on top. */
  private readonly wakeUps = new Map<string, number>();

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    /** Which scheduled time is due: exercise cron-schedule (the reference's, or a learner's). */
    private readonly cronSchedule: CronScheduleFn,
  ) {
    this.queue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: CRONJOB_CONTROLLER });
    this.cronJobs = informers.informerFor<CronJob>('cronjobs');
    this.jobs = informers.informerFor<Job>('jobs');
    this.cronJobs.addEventHandler({
      onAdd: (cj) => this.queue.add(objectKey(cj)),
      onUpdate: (old, cj) => this.cronJobChanged(old, cj),
      onDelete: (cj) => this.wakeUps.delete(objectKey(cj)),
    });
    const jobChanged = (j: Readonly<Job>) => {
      const owner = j.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'CronJob');
      const key = owner && `${j.metadata.namespace}/${owner.name}`;
      if (key !== undefined && this.cronJobs.lister.get(key)?.metadata.uid === owner!.uid) this.queue.add(key);
    };
    this.jobs.addEventHandler({ onAdd: jobChanged, onUpdate: (_old, j) => jobChanged(j), onDelete: jobChanged });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: CRONJOB_CONTROLLER, workers: CRONJOB_WORKERS });
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  hasSynced(): boolean {
    return this.cronJobs.hasSynced() && this.jobs.hasSynced();
  }

  /** A new schedule: wake up at its next time (updateCronJob); any other change: now. */
  private cronJobChanged(old: Readonly<CronJob>, cj: Readonly<CronJob>): void {
    const key = objectKey(cj);
    if (old.spec.schedule === cj.spec.schedule && old.spec.timeZone === cj.spec.timeZone) return this.queue.add(key);
    const now = this.sim.now();
    try {
      const next = this.cronSchedule({ schedule: cj.spec.schedule, lastScheduleMs: now, nowMs: now }).nextMs;
      if (next !== undefined) this.wakeUp(key, next + NEXT_SCHEDULE_DELTA_MS - now);
    } catch {
      this.recorder.event(cj, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cj.spec.schedule}`);
    }
  }

  /** The queue's AddAfter, keeping only the earliest wake-up per key (client-go's delaying queue does the same). */
  private wakeUp(key: string, afterMs: number): void {
    const at = this.sim.now() + afterMs;
    const pending = this.wakeUps.get(key);
    if (pending !== undefined && pending > this.sim.now() && pending <= at) return;
    this.wakeUps.set(key, at);
    this.sim.after(afterMs, () => {
      if (this.wakeUps.get(key) !== at) return;
      this.wakeUps.delete(key);
      this.queue.add(key);
    });
  }

  private sync(key: string): ReconcileOutcome | PendingRequests {
    const cronJob = this.cronJobs.lister.get(key);
    if (cronJob === undefined) return 'done';
    const jobs = this.jobs.lister.list(cronJob.metadata.namespace).filter((j) => j.metadata.ownerReferences?.some((r) => r.controller && r.uid === cronJob.metadata.uid));
    const now = this.sim.now();
    let plan: CronJobPlan;
    try {
      plan = planCronJob({ cronJob, jobs, nowMs: now, cronSchedule: this.cronSchedule });
    } catch (err) {
      return { retry: `cronSchedule for ${key} failed: ${(err as Error).message}` };
    }
    this.sim.trace.action(now, this.client.component, `${CRONJOB_CONTROLLER}: sync ${key}: active ${plan.status.active?.length ?? 0} -> create ${plan.create ? plan.create.job.metadata.name : 'none'}, delete ${plan.delete.length}${plan.requeueAfterMs !== undefined ? `; next in ${plan.requeueAfterMs} ms` : ''}`, { key });
    for (const e of plan.events) this.recorder.event(cronJob, e.type, e.reason, e.message);
    if (plan.requeueAfterMs !== undefined) this.wakeUp(key, plan.requeueAfterMs);

    const requests = new PendingRequests();
    const jobsApi = typedClient<Job>(this.client, 'jobs', cronJob.metadata.namespace);
    for (const name of plan.delete) {
      const answered = requests.start();
      jobsApi.delete(name, { propagationPolicy: 'Background' }, (r) => answered(r.kind === 'ok' || r.status.code === 404 ? undefined : `delete job ${name}: ${r.status.message}`));
    }
    const status = plan.status;
    const writeStatus = () => {
      if (JSON.stringify(status) === JSON.stringify(cronJob.status ?? {})) return;
      const answered = requests.start();
      typedClient<CronJob>(this.client, 'cronjobs', cronJob.metadata.namespace).updateStatus(Object.assign({}, cronJob, { status }), (r) => answered(r.kind === 'ok' ? undefined : `update status: ${r.status.message}`));
    };
    const create = plan.create;
    if (create === undefined) {
      writeStatus();
      return requests;
    }
    const created = requests.start();
    jobsApi.create(create.job, (r) => {
      let job: Readonly<Job> | undefined;
      if (r.kind === 'ok') {
        job = r.object;
        this.recorder.event(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`);
      } else if (r.status.reason === 'AlreadyExists') {
        // Created by an earlier sync whose status write this cache has not seen yet: only ours is taken in.
        const existing = this.jobs.lister.get(`${cronJob.metadata.namespace}/${create.job.metadata.name}`);
        if (existing === undefined) return created(`job ${create.job.metadata.name} exists but is not in the cache yet`);
        if (!existing.metadata.ownerReferences?.some((o) => o.controller && o.uid === cronJob.metadata.uid)) return created();
        if (status.active?.some((ref) => ref.uid === existing.metadata.uid)) return created();
        job = existing;
      } else {
        this.recorder.event(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${r.status.message}`);
        return created(`create job ${create.job.metadata.name}: ${r.status.message}`);
      }
      status.active = [...(status.active ?? []), jobRef(job)];
      status.lastScheduleTime = timestamp(create.scheduledMs);
      writeStatus();
      created();
    });
    return requests;
  }
}
