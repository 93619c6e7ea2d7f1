/**
 * Exercise `probes-and-restarts` — probes and restarts: from a probe's results and a
 * container's restart policy to its verdicts, its restarts and its back-off. (chapter 08)
 *
 * Each container probe has a worker in the kubelet (pkg/kubelet/prober/worker.go) that wakes
 * every periodSeconds, asks whether the probe may run yet, runs it, and counts its result
 * against the thresholds. A liveness or startup verdict of Failure gets the container killed
 * and restarted; a readiness verdict makes the container (and the pod) Ready or not. And each
 * time SyncPod is about to start a container that ran before, it asks whether its restart
 * policy allows it and whether it is still backing off (kuberuntime_manager.go, doBackOff): a
 * crashing container waits 10 s, then 20 s, 40 s ... at most 5 minutes, CrashLoopBackOff.
 *
 * You write the kubelet's answers (lab-kernel/kubelet/probes-and-restarts-contract.ts):
 *
 *   Part A, the probe verdict
 *     1. probeDue:        initial delay passed?  liveness and readiness wait for the startup probe
 *     2. afterProbe:      the run of results against successThreshold / failureThreshold; a timeout
 *                         is a failure; kill on a liveness or startup Failure; the Unhealthy event
 *   Part B, restarts and back-off
 *     3. backoff:         flowcontrol.Backoff: still backing off since the exit? the next delay
 *     4. restartDecision: the restart policy, the restart count, CrashLoopBackOff and its message
 *
 * Input => output, by example (probes with Kubernetes' defaults: period 10 s, timeout 1 s,
 * successThreshold 1, failureThreshold 3):
 *
 *   liveness, initialDelaySeconds 5, started 3 s ago                    => not due
 *   liveness, the startup probe has not succeeded yet                   => not due (startup: due)
 *   liveness Success, 2 failures so far, a 3rd failure                  => Failure, kill, "Liveness probe failed: <output>"
 *   readiness Failure, a success                                        => Success: the container is Ready
 *   a probe that timed out                                              => counted as a failure
 *   app exited 1, restartPolicy Always, no back-off yet                 => start now as restart 1; back-off 10 s
 *   app exited 1 again 3 s after its restart (back-off 10 s)            => back-off: CrashLoopBackOff
 *                                                                          "back-off 10s restarting failed container=app pod=p_default(u1)"
 *   app exited 0, restartPolicy OnFailure                               => done: it stays stopped
 *
 * Run a cluster whose kubelets use your code with
 *   createCluster({ use: { 'probes-and-restarts': 'exercise' } })
 * and grade it with
 *   npm run grade -- probes-and-restarts
 */
import { goDuration } from '../../lab-kernel/api/time';
import type {
  BackoffAnswer, BackoffQuestion, DueQuestion, ProbedAnswer, ProbedQuestion, ProbesAndRestartsAnswer, ProbesAndRestartsQuestion, RestartAnswer, RestartQuestion,
} from '../../lab-kernel/kubelet/probes-and-restarts-contract';

/**
 * TODO(1) Should the worker run its probe now (doProbe, before it probes)?
 *   the container started less than initialDelaySeconds ago (whole seconds, rounded down)  => false
 *   not started yet (its startup probe has not succeeded): only the startup probe runs     => startup true, others false
 *   started: the startup probe is done, the others run                                     => startup false, others true
 *
 *   { type: 'liveness', probe: { initialDelaySeconds: 5, ... }, startedAt: 0, started: true, now: 4_999 }  => false
 *   { type: 'liveness', ..., startedAt: 0, started: true, now: 5_000 }                                  => true
 *   { type: 'readiness', probe: { initialDelaySeconds: 0, ... }, startedAt: 0, started: false, now: 30_000 } => false
 */
export function probeDue({ type, probe, startedAt, started, now }: DueQuestion): boolean {
  // BEGIN SOLUTION
  if (Math.floor((now - startedAt) / 1000) < probe.initialDelaySeconds) return false;
  return started ? type !== 'startup' : type === 'startup';
  // END SOLUTION
}

/**
 * TODO(2) The verdict after one probe's result (prober.go's probe, then doProbe):
 *   - a timeout is a failure; a failure (timed out or not) records Warning Unhealthy
 *     "<Liveness|Readiness|Startup> probe failed: <output>";
 *   - the run: the same result as the last one makes it one longer, a different one starts it at 1;
 *   - below its threshold (failureThreshold for a failure, successThreshold for a success) the
 *     verdict stays what it was; at or above, it becomes the result;
 *   - a liveness or startup verdict of Failure kills the container: kill, and the run's count
 *     goes back to 0 (the next container needs failureThreshold failures of its own).
 *
 *   liveness, verdict Success, run { Failure, 1 }, a failure   => { verdict: 'Success', run: { Failure, 2 }, kill: false, unhealthy: 'Liveness probe failed: ...' }
 *   liveness, verdict Success, run { Failure, 2 }, a failure   => { verdict: 'Failure', run: { Failure, 0 }, kill: true, unhealthy: ... }
 *   readiness, verdict Failure, run { Failure, 3 }, a success  => { verdict: 'Success', run: { Success, 1 }, kill: false }  (successThreshold 1)
 *   readiness, successThreshold 2, run { Failure, 1 }, a success => { verdict: unchanged, run: { Success, 1 }, kill: false }
 */
export function afterProbe({ type, probe, verdict, run, result }: ProbedQuestion): ProbedAnswer {
  // BEGIN SOLUTION
  const outcome = result.outcome === 'success' ? 'Success' : 'Failure';
  const unhealthy = outcome === 'Failure' ? { unhealthy: `${type[0].toUpperCase()}${type.slice(1)} probe failed: ${result.output}` } : {};
  const next = { result: outcome, count: run.result === outcome ? run.count + 1 : 1 } as const;
  const threshold = outcome === 'Failure' ? probe.failureThreshold : probe.successThreshold;
  if (next.count < threshold) return { verdict, run: next, kill: false, ...unhealthy };
  const kill = outcome === 'Failure' && type !== 'readiness';
  return { verdict: outcome, run: kill ? { ...next, count: 0 } : next, kill, ...unhealthy };
  // END SOLUTION
}

/**
 * TODO(3) flowcontrol.Backoff, as the kubelet makes it: 10 s at first, doubling, at most 300 s
 * (MaxContainerBackOff), without jitter. An entry whose last move (updatedAt) came more than
 * 600 s before the event has expired: the key counts as stable again (the kubelet's
 * HasExpiredFunc in 1.32; flowcontrol's own default is twice the maximum, the same 600 s).
 *   inBackOff (IsInBackOffSince): an entry that has not expired, and now - since < its delay
 *   next (Next at now): no entry, or an expired one => 10 s; else twice the delay, at most 300 s;
 *                       updatedAt = now
 *
 *   { since: 7_000, now: 9_000 }                                              => { inBackOff: false, next: { 10_000, 9_000 } }
 *   { entry: { 10_000, updatedAt: 5_000 }, since: 7_000, now: 9_000 }         => { inBackOff: true, next: { 20_000, 9_000 } }
 *   { entry: { 300_000, updatedAt: 0 }, since: 600_001, now: 600_001 }        => { inBackOff: false, next: { 10_000, 600_001 } }
 */
export function backoff({ entry, since, now }: BackoffQuestion): BackoffAnswer {
  // BEGIN SOLUTION
  const expired = entry === undefined || since - entry.updatedAt > 600_000;
  if (expired) return { inBackOff: false, next: { delayMs: 10_000, updatedAt: now } };
  return {
    inBackOff: now - since < entry.delayMs,
    next: { delayMs: Math.min(entry.delayMs * 2, 300_000), updatedAt: now },
  };
  // END SOLUTION
}

/**
 * TODO(4) SyncPod is about to start a container that ran before (doBackOff, and the restart
 * policy's ShouldContainerBeRestarted). Its restart count is one more than its last instance's.
 *   its newest instance has not exited (no exit: created, unknown, or running and being killed now)
 *                                                  => start now, no back-off step
 *   exited: restartPolicy Never                    => done
 *           OnFailure and exit code 0              => done
 *           still backing off since it finished    => back-off, reason CrashLoopBackOff, message
 *               "back-off <current delay, as Go prints it> restarting failed container=<name> pod=<name>_<namespace>(<uid>)"
 *               and event "Back-off restarting failed container <name> in pod <name>_<namespace>(<uid>)"
 *           else                                   => start now, with the back-off's next entry
 *
 *   app exited 1 at 60 s, restartCount 0, no entry, now 61 s     => { action: 'start', restartCount: 1, backoff: { 10_000, 61_000 } }
 *   app exited 1 at 64 s, restartCount 1, { 10_000, 61_000 }, now 65 s
 *                                                                => { action: 'back-off', reason: 'CrashLoopBackOff',
 *                                                                     message: 'back-off 10s restarting failed container=app pod=p_default(u1)',
 *                                                                     event: 'Back-off restarting failed container app in pod p_default(u1)' }
 */
export function restartDecision({ pod, container, restartPolicy, last, backoff: entry, now }: RestartQuestion): RestartAnswer {
  // BEGIN SOLUTION
  const restartCount = last.restartCount + 1;
  if (last.exit === undefined) return { action: 'start', restartCount };
  if (restartPolicy === 'Never') return { action: 'done' };
  if (restartPolicy === 'OnFailure' && last.exit.exitCode === 0) return { action: 'done' };
  const step = backoff({ entry, since: last.exit.finishedAt, now });
  if (step.inBackOff && entry !== undefined) {
    const podName = `${pod.name}_${pod.namespace}(${pod.uid})`;
    return {
      action: 'back-off',
      reason: 'CrashLoopBackOff',
      message: `back-off ${goDuration(entry.delayMs)} restarting failed container=${container} pod=${podName}`,
      event: `Back-off restarting failed container ${container} in pod ${podName}`,
    };
  }
  return { action: 'start', restartCount, backoff: step.next };
  // END SOLUTION
}

/** Given: the one function the kubelet calls, answering each question with its part. */
export function probesAndRestarts(question: ProbesAndRestartsQuestion): ProbesAndRestartsAnswer {
  if ('due' in question) return { due: probeDue(question.due) };
  if ('probed' in question) return { probed: afterProbe(question.probed) };
  if ('backoff' in question) return { backoff: backoff(question.backoff) };
  return { restart: restartDecision(question.restart) };
}
