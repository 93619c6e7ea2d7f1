import { virtualMs } from '../../api/time';
import type { Condition, Job, Pod } from '../../api/types';

/**
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
 */
export const DEFAULT_BACKOFF_LIMIT = 6;
export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 600_000;
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

export interface BackoffRecord {
  /** Pods that failed since the last one that succeeded. */
  failuresAfterLastSuccess: number;
  /** When the last of them finished (virtual ms). */
  lastFailureMs?: number;
}

export interface JobPlanInput {
  job: Readonly<Job>;
  /** The Job's pods (controlled by it), finished ones included. */
  pods: readonly Readonly<Pod>[];
  nowMs: number;
  backoff: BackoffRecord;
}

export interface JobPlan {
  /** NonIndexed: how many pods to create. */
  createCount: number;
  /** Indexed: the completion indexes to create a pod for. */
  createIndexes: number[];
  /** Pods to delete, by name. */
  delete: string[];
  active: number;
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  /** Indexed: the succeeded indexes as intervals ('0-2,4'). */
  completedIndexes?: string;
  /** The Job's outcome, once it has one. */
  finished?: { type: 'Complete' | 'Failed'; reason: string; message: string };
  /** Whether the terminal condition may be set now (no pod left running or terminating). */
  terminal: boolean;
  /** Look at the Job again this long from now (a back-off or the deadline to wait out). */
  requeueAfterMs?: number;
}

export function planJob({ job, pods, nowMs, backoff }: JobPlanInput): JobPlan {
  const spec = job.spec;
  const status = job.status ?? {};
  const indexed = spec.completionMode === 'Indexed';
  const parallelism = spec.parallelism ?? 1;
  const completions = spec.completions ?? (indexed ? 1 : undefined);
  const backoffLimit = spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
  const started = status.startTime ? virtualMs(status.startTime) : nowMs;
  const finishedPod = (p: Readonly<Pod>) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
  const activePods = pods.filter((p) => !finishedPod(p) && p.metadata.deletionTimestamp === undefined);
  const terminating = pods.filter((p) => !finishedPod(p) && p.metadata.deletionTimestamp !== undefined).length;
  const ready = activePods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  // Counted in the status, plus finished pods not counted yet (their tracking finalizer still on).
  const counted = new Set([...(status.uncountedTerminatedPods?.succeeded ?? []), ...(status.uncountedTerminatedPods?.failed ?? [])]);
  const fresh = pods.filter((p) => finishedPod(p) && p.metadata.finalizers?.includes(TRACKING_FINALIZER) && !counted.has(p.metadata.uid!));
  const succeeded = (status.succeeded ?? 0) + (status.uncountedTerminatedPods?.succeeded?.length ?? 0) + fresh.filter((p) => p.status?.phase === 'Succeeded').length;
  const failed = (status.failed ?? 0) + (status.uncountedTerminatedPods?.failed?.length ?? 0) + fresh.filter((p) => p.status?.phase === 'Failed').length;
  const succeededIndexes = indexed ? new Set(pods.filter((p) => p.status?.phase === 'Succeeded').map(indexOf).concat(parseIntervals(status.completedIndexes))) : new Set<number>();

  const plan: JobPlan = { createCount: 0, createIndexes: [], delete: [], active: activePods.length, ready, terminating, succeeded, failed, terminal: false };
  if (indexed) plan.completedIndexes = formatIntervals([...succeededIndexes].filter((i) => i >= 0 && i < completions!));

  const existing = (status.conditions ?? []).find((c) => (c.type === 'FailureTarget' || c.type === 'SuccessCriteriaMet') && c.status === 'True');
  plan.finished = existing !== undefined ? outcomeOf(existing) : decideOutcome();
  if (plan.finished !== undefined) {
    plan.delete = activePods.map((p) => p.metadata.name!);
    plan.terminal = terminating === 0 && activePods.length === 0;
    return plan;
  }

  function decideOutcome(): JobPlan['finished'] {
    const restarts = spec.template.spec?.restartPolicy === 'OnFailure'
      ? activePods.reduce((n, p) => n + [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].reduce((m, c) => m + c.restartCount, 0), 0)
      : 0;
    const pastOnFailure = spec.template.spec?.restartPolicy === 'OnFailure' && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
    if (failed > backoffLimit || pastOnFailure) return { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    if (spec.activeDeadlineSeconds !== undefined && nowMs - started >= spec.activeDeadlineSeconds * 1000) {
      return { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    }
    const done = indexed ? succeededIndexes.size >= completions! && [...Array(completions!).keys()].every((i) => succeededIndexes.has(i))
      : completions !== undefined ? succeeded >= completions
      : succeeded > 0 && activePods.length === 0;
    return done ? { type: 'Complete', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' } : undefined;
  }

  if (spec.activeDeadlineSeconds !== undefined) {
    plan.requeueAfterMs = Math.max(0, started + spec.activeDeadlineSeconds * 1000 - nowMs);
  }
  if (spec.suspend) {
    plan.delete = activePods.map((p) => p.metadata.name!);
    return plan;
  }
  const wantActive = indexed ? Math.min(parallelism, completions! - succeededIndexes.size)
    : completions !== undefined ? Math.min(parallelism, completions - succeeded)
    : succeeded > 0 ? 0 : parallelism;
  const diff = Math.max(0, wantActive) - activePods.length;
  if (diff < 0) {
    // Too many: the newest go first.
    plan.delete = [...activePods].sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp))).slice(0, -diff).map((p) => p.metadata.name!);
    return plan;
  }
  if (diff === 0) return plan;
  const wait = remainingBackoff(backoff, nowMs);
  if (wait > 0) {
    plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, wait);
    return plan;
  }
  if (indexed) {
    const running = new Set(activePods.map(indexOf));
    plan.createIndexes = [...Array(completions!).keys()].filter((i) => !succeededIndexes.has(i) && !running.has(i)).slice(0, diff);
  } else {
    plan.createCount = diff;
  }
  return plan;
}

/** The tracking finalizer the controller puts on every pod it creates, and takes off once it has counted it. */
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

/** How long new pods must still wait: 10 s × 2^(failures since the last success - 1), at most 10 min, from the last failure. */
export function remainingBackoff(b: BackoffRecord, nowMs: number): number {
  if (b.failuresAfterLastSuccess === 0 || b.lastFailureMs === undefined) return 0;
  const delay = Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (b.failuresAfterLastSuccess - 1), MAX_POD_FAILURE_BACKOFF_MS);
  return Math.max(0, b.lastFailureMs + delay - nowMs);
}

function outcomeOf(c: Readonly<Condition>): JobPlan['finished'] {
  return { type: c.type === 'FailureTarget' ? 'Failed' : 'Complete', reason: c.reason ?? '', message: c.message ?? '' };
}

function indexOf(p: Readonly<Pod>): number {
  const v = p.metadata.annotations?.[COMPLETION_INDEX];
  return v === undefined ? -1 : Number(v);
}

/** '0-2,4' => [0, 1, 2, 4]. */
export function parseIntervals(text: string | undefined): number[] {
  if (!text) return [];
  return text.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : [...Array(b - a + 1).keys()].map((i) => a + i);
  });
}

/** [0, 1, 2, 4] => '0-2,4'. */
export function formatIntervals(indexes: number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return parts.join(',');
}
