import type { Job, Pod } from '../../api/types';

/**
 * The Job controller's decision, as data: a Job, its pods and the failure back-off in; the
 * pods to create or delete, the counts and the outcome out (job-controller.ts writes them).
 * The decision itself is exercise `job-reconcile` (solutions/job/job-plan.ts).
 *
 * A Job's pods carry its completion index, for an Indexed Job, in an annotation; finished pods
 * keep the tracking finalizer until the controller has counted them (uncountedTerminatedPods).
 */
/** spec.backoffLimit's default. */
export const DEFAULT_BACKOFF_LIMIT = 6;
/** job_controller.go's DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff (the docs' "six minutes" is older). */
export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 600_000;
/** The annotation (and label) that gives an Indexed Job's pod its completion index. */
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

export type PlanJob = (input: JobPlanInput) => JobPlan;

/** The tracking finalizer the controller puts on every pod it creates, and takes off once it has counted it. */
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

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
