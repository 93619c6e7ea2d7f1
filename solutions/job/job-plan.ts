/**
 * Exercise `job-reconcile` — the Job controller's decision. (chapter 07)
 *
 * What the Job controller decides for one Job at one moment (job_controller.go's syncJob and
 * manageJob, the decision without the writes): which pods to create or delete, what the
 * status says, and whether the Job is done.
 *
 *   pi: completions 1, parallelism 1, no pods yet               => create 1 pod; active 1
 *   pi's pod Succeeded                                           => Complete: SuccessCriteriaMet, then Complete
 *   completions 5, parallelism 2, 3 succeeded, 1 active          => create 1 (5 - 3 = 2 still wanted, 1 running)
 *   a pod Failed 4 s ago (1st failure since a success)          => create nothing yet: back-off 10 s, look again in 6 s
 *   7 pods failed, backoffLimit 6                                => Failed, BackoffLimitExceeded; delete the active pods
 *   active for longer than activeDeadlineSeconds                 => Failed, DeadlineExceeded
 *
 * A finished Job first gets its interim condition (SuccessCriteriaMet or FailureTarget), and
 * its terminal one (Complete or Failed) only once none of its pods is running or terminating
 * any more, as 1.31 made it.
 *
 * Failed pods count toward backoffLimit (default 6); under restartPolicy OnFailure, so do the
 * restarts of the pods still running. After a failure, new pods wait 10 s, doubling for every
 * failure since the last success, at most 10 minutes (DefaultJobPodFailureBackOff and
 * MaxJobPodFailureBackOff in the controller's code; the documentation's "six minutes" is older).
  *
 * You write three parts of it (planJob, which counts the pods and calls them, is given):
 *   1. remainingBackoff: how long new pods must still wait after failures
 *   2. jobOutcome: whether the Job has succeeded or failed, and why
 *   3. podChanges: how many pods to create (which indexes, for an Indexed Job), which to delete
 *
 * Run a cluster on your code with
 *   createCluster({ use: { 'job-reconcile': 'exercise' } })
 * (the CRI kubelet: pods that finish) and grade it with
 *   npm run grade -- job-reconcile
 */
import { virtualMs } from '../../lab-kernel/api/time';
import type { Condition, Pod } from '../../lab-kernel/api/types';
import {
  COMPLETION_INDEX, DEFAULT_BACKOFF_LIMIT, formatIntervals, MAX_POD_FAILURE_BACKOFF_MS, parseIntervals, POD_FAILURE_BACKOFF_MS, TRACKING_FINALIZER,
  type BackoffRecord, type JobPlan, type JobPlanInput,
} from '../../lab-kernel/controllers/job/job-plan-contract';

/** Given: the counts, then your three parts, in the order job_controller.go's syncJob takes them. */
export function planJob({ job, pods, nowMs, backoff }: JobPlanInput): JobPlan {
  const spec = job.spec;
  const status = job.status ?? {};
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions ?? (indexed ? 1 : undefined);
  const startedMs = status.startTime ? virtualMs(status.startTime) : nowMs;
  const finishedPod = (p: Readonly<Pod>) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
  const activePods = pods.filter((p) => !finishedPod(p) && p.metadata.deletionTimestamp === undefined);
  const terminating = pods.filter((p) => !finishedPod(p) && p.metadata.deletionTimestamp !== undefined).length;
  const ready = activePods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  // Counted in the status, plus finished pods not counted yet (their tracking finalizer still on).
  const counted = new Set([...(status.uncountedTerminatedPods?.succeeded ?? []), ...(status.uncountedTerminatedPods?.failed ?? [])]);
  const fresh = pods.filter((p) => finishedPod(p) && p.metadata.finalizers?.includes(TRACKING_FINALIZER) && !counted.has(p.metadata.uid!));
  const succeeded = (status.succeeded ?? 0) + (status.uncountedTerminatedPods?.succeeded?.length ?? 0) + fresh.filter((p) => p.status?.phase === 'Succeeded').length;
  const failed = (status.failed ?? 0) + (status.uncountedTerminatedPods?.failed?.length ?? 0) + fresh.filter((p) => p.status?.phase === 'Failed').length;
  const succeededIndexes = indexed ? [...new Set(pods.filter((p) => p.status?.phase === 'Succeeded').map(indexOf).concat(parseIntervals(status.completedIndexes)))].filter((i) => i >= 0 && i < completions!) : [];

  const plan: JobPlan = { createCount: 0, createIndexes: [], delete: [], active: activePods.length, ready, terminating, succeeded, failed, terminal: false };
  if (indexed) plan.completedIndexes = formatIntervals(succeededIndexes);
  const existing = (status.conditions ?? []).find((c) => (c.type === 'FailureTarget' || c.type === 'SuccessCriteriaMet') && c.status === 'True');
  plan.finished = existing !== undefined ? outcomeOf(existing) : jobOutcome({ job, activePods, succeeded, failed, succeededIndexes, nowMs, startedMs });
  if (plan.finished !== undefined) {
    // Done: whatever still runs goes; the terminal condition waits for the last pod to stop.
    plan.delete = activePods.map((p) => p.metadata.name!);
    plan.terminal = terminating === 0 && activePods.length === 0;
    return plan;
  }
  if (spec.activeDeadlineSeconds !== undefined) plan.requeueAfterMs = Math.max(0, startedMs + spec.activeDeadlineSeconds * 1000 - nowMs);
  if (spec.suspend) {
    plan.delete = activePods.map((p) => p.metadata.name!);
    return plan;
  }
  const changes = podChanges({ job, activePods, succeeded, succeededIndexes, wait: remainingBackoff(backoff, nowMs) });
  return { ...plan, ...changes, requeueAfterMs: minDefined(plan.requeueAfterMs, changes.requeueAfterMs) };
}

/**
 * TODO(1) How long must new pods still wait after failures (the pod failure back-off)?
 *   failuresAfterLastSuccess 0 (or no lastFailureMs)       => 0
 *   otherwise: delay = 10 s × 2^(failuresAfterLastSuccess − 1), at most 10 min
 *              (POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS), counted from lastFailureMs;
 *              what is left of it at nowMs, never below 0
 *   { 1 failure at 0 }, now 4 s   => 6 s          { 3 failures at 0 }, now 0  => 40 s
 */
export function remainingBackoff(b: BackoffRecord, nowMs: number): number {
  // BEGIN SOLUTION
  if (b.failuresAfterLastSuccess === 0 || b.lastFailureMs === undefined) return 0;
  const delay = Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (b.failuresAfterLastSuccess - 1), MAX_POD_FAILURE_BACKOFF_MS);
  return Math.max(0, b.lastFailureMs + delay - nowMs);
  // END SOLUTION
}

export interface OutcomeInput {
  job: JobPlanInput['job'];
  activePods: readonly Readonly<Pod>[];
  succeeded: number;
  failed: number;
  /** Indexed Jobs: the completion indexes that succeeded. */
  succeededIndexes: number[];
  nowMs: number;
  /** When the Job started (its status.startTime). */
  startedMs: number;
}

/**
 * TODO(2) Has the Job succeeded or failed? In this order:
 *   - more pods failed than backoffLimit (default 6), or, under restartPolicy OnFailure, the
 *     restarts of the active pods' containers reach backoffLimit (any restart when it is 0)
 *       => Failed, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'
 *   - activeDeadlineSeconds set and at least that long since startedMs
 *       => Failed, 'DeadlineExceeded', 'Job was active longer than specified deadline'
 *   - Indexed: every index 0 .. completions-1 succeeded; with completions: succeeded reached
 *     it; without completions: one succeeded and none is active
 *       => Complete, 'CompletionsReached', 'Reached expected number of succeeded pods'
 *   - otherwise undefined
 */
export function jobOutcome({ job, activePods, succeeded, failed, succeededIndexes, nowMs, startedMs }: OutcomeInput): JobPlan['finished'] {
  // BEGIN SOLUTION
  const spec = job.spec;
  const backoffLimit = spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
  const onFailure = spec.template.spec?.restartPolicy === 'OnFailure';
  const restarts = onFailure ? activePods.reduce((n, p) => n + [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].reduce((m, c) => m + c.restartCount, 0), 0) : 0;
  const pastOnFailure = onFailure && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
  if (failed > backoffLimit || pastOnFailure) return { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
  if (spec.activeDeadlineSeconds !== undefined && nowMs - startedMs >= spec.activeDeadlineSeconds * 1000) {
    return { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
  }
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions ?? (indexed ? 1 : undefined);
  const done = indexed ? [...Array(completions!).keys()].every((i) => succeededIndexes.includes(i))
    : completions !== undefined ? succeeded >= completions
    : succeeded > 0 && activePods.length === 0;
  return done ? { type: 'Complete', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' } : undefined;
  // END SOLUTION
}

export interface PodChangesInput {
  job: JobPlanInput['job'];
  activePods: readonly Readonly<Pod>[];
  succeeded: number;
  succeededIndexes: number[];
  /** What is left of the failure back-off (part 1). */
  wait: number;
}

/**
 * TODO(3) Which pods to create and delete (manageJob)?
 *   wanted active pods = min(parallelism (default 1), what is still to do):
 *     Indexed: completions − the succeeded indexes; with completions: completions − succeeded;
 *     without completions: parallelism until one pod has succeeded, then 0
 *   more active than wanted  => delete the newest ones (latest creationTimestamp first), by name
 *   fewer than wanted        => if the back-off still runs (wait > 0): create nothing, and
 *                               requeueAfterMs = wait; else create the difference:
 *                               NonIndexed: createCount; Indexed: createIndexes, the lowest
 *                               indexes that neither succeeded nor have an active pod
 *   completions 5, parallelism 2, 3 succeeded, 1 active  => createCount 1
 */
export function podChanges({ job, activePods, succeeded, succeededIndexes, wait }: PodChangesInput): Pick<JobPlan, 'createCount' | 'createIndexes' | 'delete' | 'requeueAfterMs'> {
  // BEGIN SOLUTION
  const spec = job.spec;
  const indexed = spec.completionMode === 'Indexed';
  const parallelism = spec.parallelism ?? 1;
  const completions = spec.completions ?? (indexed ? 1 : undefined);
  const none = { createCount: 0, createIndexes: [] as number[], delete: [] as string[] };
  const wantActive = indexed ? Math.min(parallelism, completions! - succeededIndexes.length)
    : completions !== undefined ? Math.min(parallelism, completions - succeeded)
    : succeeded > 0 ? 0 : parallelism;
  const diff = Math.max(0, wantActive) - activePods.length;
  if (diff < 0) {
    const newestFirst = [...activePods].sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
    return { ...none, delete: newestFirst.slice(0, -diff).map((p) => p.metadata.name!) };
  }
  if (diff === 0) return none;
  if (wait > 0) return { ...none, requeueAfterMs: wait };
  if (!indexed) return { ...none, createCount: diff };
  const running = new Set(activePods.map(indexOf));
  return { ...none, createIndexes: [...Array(completions!).keys()].filter((i) => !succeededIndexes.includes(i) && !running.has(i)).slice(0, diff) };
  // END SOLUTION
}

/** Given: a condition back into an outcome. */
export function outcomeOf(c: Readonly<Condition>): JobPlan['finished'] {
  return { type: c.type === 'FailureTarget' ? 'Failed' : 'Complete', reason: c.reason ?? '', message: c.message ?? '' };
}

/** Given: a pod's completion index (-1 if it has none). */
export function indexOf(p: Readonly<Pod>): number {
  const v = p.metadata.annotations?.[COMPLETION_INDEX];
  return v === undefined ? -1 : Number(v);
}

/** Given: the smaller of two optional numbers. */
export function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
