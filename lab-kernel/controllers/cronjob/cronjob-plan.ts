import { rfc1123z, timestamp, unixSeconds, virtualMs } from '../../api/time';
import type { CronJob, Job, ObjectReference } from '../../api/types';
import type { CronScheduleFn } from './cron-schedule-contract';

/**
 * What the CronJob controller decides for one CronJob at one moment (cronjob_controllerv2.go's
 * cleanupFinishedJobs and syncCronJob, without the writes): the Jobs to delete, the Job to
 * create, the events, the new status and when to look again. cronjob-controller.ts applies it.
 *
 *   hello ('* * * * *'), last scheduled 00:01, now 00:02:00.1, no active Job
 *   // => create hello-28928162 for 00:02; requeue in 60 s (00:03:00.1)
 *   same, concurrencyPolicy Forbid, hello-28928161 still active
 *   // => event JobAlreadyActive, create nothing; requeue at 00:03:00.1
 *   4 Complete Jobs, successfulJobsHistoryLimit 3
 *   // => delete the one that started first; event SuccessfulDelete "Deleted job hello-28928158"
 *
 * In order: finished Jobs beyond the history limits go (oldest start first); finished Jobs
 * leave status.active (SawCompletedJob), the newest completion becomes lastSuccessfulTime,
 * and active Jobs that are gone leave it too (MissingJob); then, unless the CronJob is being
 * deleted or is suspended, the schedule (exercise cron-schedule) says which time is due, and
 * concurrencyPolicy whether to start it: Allow runs Jobs side by side, Forbid skips the time
 * while one is active, Replace deletes the active ones first.
 *
 * Simplified: the schedule is in UTC (a spec.timeZone other than UTC is reported as unknown);
 * a Job the CronJob controls but does not list as active is not reported (UnexpectedJob), and
 * an active Job missing from the cache is taken as gone without asking the API server again.
 */
export const CRONJOB_CONTROLLER = 'cronjob-controller';
/** The annotation that gives a CronJob's Job the time it was scheduled for (RFC 3339). */
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** nextScheduleDelta: the controller wakes this long after the scheduled time, for clock skew. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export interface CronJobPlanInput {
  cronJob: Readonly<CronJob>;
  /** The Jobs it controls, from the cache. */
  jobs: readonly Readonly<Job>[];
  nowMs: number;
  cronSchedule: CronScheduleFn;
}

export interface CronJobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface CronJobPlan {
  events: CronJobEvent[];
  /** Jobs to delete (background propagation), by name: history beyond the limits, and the active ones under Replace. */
  delete: string[];
  /** The Job to create, for the scheduled time (virtual ms). */
  create?: { job: Job; scheduledMs: number };
  /** The status once the deletes are done (the created Job is added to it when the API server has it). */
  status: NonNullable<CronJob['status']>;
  /** Look at it again this long from now: the next scheduled time, plus NEXT_SCHEDULE_DELTA_MS. */
  requeueAfterMs?: number;
}

export function planCronJob({ cronJob, jobs, nowMs, cronSchedule }: CronJobPlanInput): CronJobPlan {
  const status = structuredClone(cronJob.status ?? {});
  const plan: CronJobPlan = { events: [], delete: [], status };
  const spec = cronJob.spec;
  const drop = (uid: string | undefined) => {
    status.active = (status.active ?? []).filter((ref) => ref.uid !== uid);
  };
  const deleteJob = (job: Readonly<Job>) => {
    plan.delete.push(job.metadata.name!);
    drop(job.metadata.uid);
    plan.events.push({ type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted job ${job.metadata.name}` });
  };

  // cleanupFinishedJobs: the oldest finished Jobs beyond each history limit.
  for (const [outcome, limit] of [['Complete', spec.successfulJobsHistoryLimit], ['Failed', spec.failedJobsHistoryLimit]] as const) {
    if (limit === undefined) continue;
    const finished = jobs.filter((j) => finishedAs(j) === outcome).sort(byStartTime);
    finished.slice(0, Math.max(0, finished.length - limit)).forEach(deleteJob);
  }
  const deleted = new Set(plan.delete);

  // syncCronJob: the active list against the Jobs.
  const isActive = (uid: string | undefined) => (status.active ?? []).some((ref) => ref.uid === uid);
  for (const job of jobs) {
    const outcome = finishedAs(job);
    if (isActive(job.metadata.uid) && outcome !== undefined) {
      drop(job.metadata.uid);
      plan.events.push({ type: 'Normal', reason: 'SawCompletedJob', message: `Saw completed job: ${job.metadata.name}, condition: ${outcome}` });
    } else if (outcome === 'Complete' && job.status?.completionTime !== undefined) {
      const last = status.lastSuccessfulTime;
      if (last === undefined || virtualMs(job.status.completionTime) > virtualMs(last)) status.lastSuccessfulTime = job.status.completionTime;
    }
  }
  for (const ref of status.active ?? []) {
    if (jobs.some((j) => j.metadata.uid === ref.uid)) continue;
    plan.events.push({ type: 'Normal', reason: 'MissingJob', message: `Active job went missing: ${ref.name}` });
    drop(ref.uid);
  }
  if ((status.active ?? []).length === 0) delete status.active;

  if (cronJob.metadata.deletionTimestamp !== undefined) return plan;
  if (spec.timeZone !== undefined && spec.timeZone !== 'UTC' && spec.timeZone !== 'Etc/UTC') {
    plan.events.push({ type: 'Warning', reason: 'UnknownTimeZone', message: `invalid timeZone: ${JSON.stringify(spec.timeZone)}: the lab models UTC only` });
    return plan;
  }
  if (spec.suspend === true) return plan;

  const lastScheduleMs = virtualMs(status.lastScheduleTime ?? cronJob.metadata.creationTimestamp ?? timestamp(nowMs));
  const decision = cronSchedule({ schedule: spec.schedule, lastScheduleMs, nowMs, ...(spec.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: spec.startingDeadlineSeconds } : {}) });
  // At least the delta: a next time not after now (wrong, from exercise code) must not spin the controller.
  if (decision.nextMs !== undefined) plan.requeueAfterMs = Math.max(NEXT_SCHEDULE_DELTA_MS, decision.nextMs + NEXT_SCHEDULE_DELTA_MS - nowMs);
  if (decision.tooManyMissed) plan.events.push({ type: 'Warning', reason: 'TooManyMissedTimes', message: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew' });
  const scheduledMs = decision.scheduledMs;
  if (scheduledMs === undefined || scheduledMs > nowMs) return plan;
  if (spec.startingDeadlineSeconds !== undefined && scheduledMs + spec.startingDeadlineSeconds * 1000 < nowMs) {
    plan.events.push({ type: 'Warning', reason: 'MissSchedule', message: `Missed scheduled time to start a job: ${rfc1123z(scheduledMs)}` });
    return plan;
  }
  const name = jobName(cronJob, scheduledMs);
  if ((status.active ?? []).some((ref) => ref.name === name) || status.lastScheduleTime === timestamp(scheduledMs)) return plan;
  const active = (status.active ?? []).filter((ref) => !deleted.has(ref.name!));
  if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    plan.events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
    return plan;
  }
  if (spec.concurrencyPolicy === 'Replace') {
    for (const ref of active) {
      const job = jobs.find((j) => j.metadata.uid === ref.uid);
      if (job !== undefined) deleteJob(job);
    }
  }
  plan.create = { job: jobFor(cronJob, scheduledMs), scheduledMs };
  return plan;
}

/** `<cronjob>-<scheduled time in minutes since the Unix epoch>`: jobName(hello, 60_000) => 'hello-28928161'. */
export function jobName(cronJob: Readonly<CronJob>, scheduledMs: number): string {
  return `${cronJob.metadata.name}-${Math.floor(unixSeconds(scheduledMs) / 60)}`;
}

/** A reference to a Job, as status.active lists it. */
export function jobRef(job: Readonly<Job>): ObjectReference {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion };
}

/** 'Complete' or 'Failed' once the Job has that condition True; undefined while it runs. */
export function finishedAs(job: Readonly<Job>): 'Complete' | 'Failed' | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

/** getJobFromTemplate2: the job template's labels, annotations and spec, the scheduled time, owned by the CronJob. */
function jobFor(cronJob: Readonly<CronJob>, scheduledMs: number): Job {
  const template = structuredClone(cronJob.spec.jobTemplate);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cronJob, scheduledMs),
      namespace: cronJob.metadata.namespace,
      labels: { ...template.metadata?.labels },
      annotations: Object.assign({}, template.metadata?.annotations, { [SCHEDULED_TIMESTAMP]: timestamp(scheduledMs) }),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata.name!, uid: cronJob.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: template.spec,
  };
}

/** byJobStartTime: by status.startTime (none last), then by name. */
function byStartTime(a: Readonly<Job>, b: Readonly<Job>): number {
  const [x, y] = [a.status?.startTime, b.status?.startTime];
  if (x !== y) {
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    return virtualMs(x) - virtualMs(y);
  }
  return a.metadata.name!.localeCompare(b.metadata.name!);
}
