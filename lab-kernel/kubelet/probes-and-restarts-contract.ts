/**
 * What the kubelet makes of its probes and of a container that stopped, as data (exercise
 * probes-and-restarts). One function answers four questions; each question is an object with
 * one key, and the answer has the same key:
 *
 *   due      a probe worker's tick (worker.go, doProbe): should the probe run now?
 *              { due: { type: 'liveness', probe, startedAt: 0, started: true, now: 3_000 } }   // => { due: false }
 *   probed   the probe answered (prober.go's probe, then doProbe's thresholds): the verdict after it
 *              { probed: { type: 'liveness', probe, verdict: 'Success', run: { result: 'Failure', count: 2 },
 *                          result: { outcome: 'failure', output: "cat: can't open '/tmp/healthy' ..." } } }
 *              // => { probed: { verdict: 'Failure', run: { result: 'Failure', count: 0 }, kill: true,
 *              //                unhealthy: "Liveness probe failed: cat: can't open '/tmp/healthy' ..." } }
 *   backoff  flowcontrol.Backoff: is a key still backing off since an event, and what is its next delay?
 *              { backoff: { entry: { delayMs: 10_000, updatedAt: 5_000 }, since: 7_000, now: 9_000 } }
 *              // => { backoff: { inBackOff: true, next: { delayMs: 20_000, updatedAt: 9_000 } } }
 *   restart  SyncPod is about to start a container that ran before (doBackOff): start it, wait, or leave it?
 *              // => { restart: { action: 'back-off', reason: 'CrashLoopBackOff',
 *              //                 message: 'back-off 10s restarting failed container=app pod=p_default(u1)', ... } }
 *
 * The kubelet's probe workers ask `due` and `probed` (probe-worker.ts); SyncPod asks `restart`
 * (pod-syncer.ts), and `backoff` for image pulls, of the reference (the image manager keeps a
 * flowcontrol.Backoff of its own). Ask with `ask`, which names a missing answer.
 */
export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** A probe's timing and thresholds, defaults applied (SetDefaults_Probe: period 10 s, timeout 1 s, thresholds 1 and 3; initialDelaySeconds 0). */
export interface ProbeSettings {
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

/**
 * A results manager's verdict on a container (probe-results.ts). A new container's is
 * Failure for readiness, Success for liveness, Unknown for startup (no verdict yet).
 */
export type ProbeVerdict = 'Success' | 'Failure' | 'Unknown';

/** The worker's run of results: the last probe's result and how many probes in a row gave it (worker.go: lastResult, resultRun). */
export interface ResultRun {
  result?: 'Success' | 'Failure';
  count: number;
}

/** What one probe's handler answered: its outcome and output (what the command printed, the HTTP client's error ...). */
export interface ProbeResult {
  outcome: 'success' | 'failure' | 'timeout';
  output: string;
}

export interface DueQuestion {
  type: ProbeType;
  probe: ProbeSettings;
  /** When the container started running (ms of virtual time). */
  startedAt: number;
  /** Whether the container has started: its startup probe succeeded, or it has none. */
  started: boolean;
  now: number;
}

export interface ProbedQuestion {
  type: ProbeType;
  probe: ProbeSettings;
  /** The verdict the kubelet holds on this container now. */
  verdict: ProbeVerdict;
  /** The run of results so far (carried over from the container before, as the worker does). */
  run: ResultRun;
  result: ProbeResult;
}

export interface ProbedAnswer {
  /** The verdict after this probe (the one before, while the run is below its threshold). */
  verdict: ProbeVerdict;
  run: ResultRun;
  /**
   * A liveness or startup verdict of Failure: the kubelet kills the container (computePodActions:
   * "Container web failed liveness probe, will be restarted") and the worker probes no more until
   * the next container.
   */
  kill: boolean;
  /** For a probe that did not succeed, the Warning Unhealthy event's message: "Liveness probe failed: <output>". */
  unhealthy?: string;
}

/** A back-off's entry for one key: its current delay, and when it last moved (Next). */
export interface BackoffEntry {
  delayMs: number;
  updatedAt: number;
}

export interface BackoffQuestion {
  /** The key's entry; none before its first Next. */
  entry?: BackoffEntry;
  /** The event the back-off counts from (IsInBackOffSince's eventTime: a container's exit). */
  since: number;
  now: number;
}

export interface BackoffAnswer {
  /** IsInBackOffSince: whether `now` is still within the entry's delay after `since`. */
  inBackOff: boolean;
  /** The entry after Next at `now` for an event at `since`. */
  next: BackoffEntry;
}

export interface RestartQuestion {
  pod: { name: string; namespace: string; uid: string };
  container: string;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  /**
   * The container's newest instance: how many restarts it came after, and how it exited (its
   * exit code, the runtime's reason: Completed, Error, OOMKilled ..., and when it ran); no exit
   * when it has not exited (created but never started, unknown, or running and being killed now).
   */
  last: {
    restartCount: number;
    exit?: { exitCode: number; reason: string; startedAt: number; finishedAt: number };
  };
  /** The container's restart back-off entry; none before its first restart (or since it expired). */
  backoff?: BackoffEntry;
  now: number;
}

export type RestartAnswer =
  /** Create and start it now, as restart number `restartCount`; `backoff` is the entry after this restart (none: unchanged). */
  | { action: 'start'; restartCount: number; backoff?: BackoffEntry }
  /** Still backing off: the waiting reason and message of its status, and the BackOff event's message. */
  | { action: 'back-off'; reason: 'CrashLoopBackOff'; message: string; event: string }
  /** Its restart policy keeps it stopped. */
  | { action: 'done' };

interface Questions {
  due: DueQuestion;
  probed: ProbedQuestion;
  backoff: BackoffQuestion;
  restart: RestartQuestion;
}

interface Answers {
  due: boolean;
  probed: ProbedAnswer;
  backoff: BackoffAnswer;
  restart: RestartAnswer;
}

/** One question: { due: ... }, { probed: ... }, { backoff: ... } or { restart: ... }. */
export type ProbesAndRestartsQuestion = { [K in keyof Questions]: { [P in K]: Questions[K] } }[keyof Questions];

/** The answer, under the question's key. */
export type ProbesAndRestartsAnswer = Partial<Answers>;

export type ProbesAndRestarts = (question: ProbesAndRestartsQuestion) => ProbesAndRestartsAnswer;

/**
 * Asks one question and returns its answer; an answer without the question's key is an error
 * that says so.
 *   ask(probesAndRestarts, 'due', { type: 'startup', probe, startedAt: 0, started: false, now: 0 })   // => true
 */
export function ask<K extends keyof Questions>(fn: ProbesAndRestarts, kind: K, question: Questions[K]): Answers[K] {
  const answer = fn({ [kind]: question } as unknown as ProbesAndRestartsQuestion)?.[kind];
  if (answer === undefined) throw new Error(`probesAndRestarts answered a "${kind}" question without a "${kind}" answer`);
  return answer as Answers[K];
}
