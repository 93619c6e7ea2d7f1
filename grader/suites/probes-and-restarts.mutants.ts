import type { Mutant } from '../mutants';

/** Realistic wrong probe verdicts and restarts: each must fail grader/suites/probes-and-restarts.test.ts (npm run mutants -- probes-and-restarts). */
const file = 'kubelet/probes-and-restarts.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'fails a probe one failure late (off by one on failureThreshold)',
    file,
    find: 'if (next.count < threshold) return',
    replace: 'if (next.count <= threshold) return',
  },
  {
    name: 'ignores successThreshold: one success makes a readiness probe Success',
    file,
    find: "const threshold = outcome === 'Failure' ? probe.failureThreshold : probe.successThreshold;",
    replace: "const threshold = outcome === 'Failure' ? probe.failureThreshold : 1;",
  },
  {
    name: 'counts a probe that timed out as a success',
    file,
    find: "const outcome = result.outcome === 'success' ? 'Success' : 'Failure';",
    replace: "const outcome = result.outcome !== 'failure' ? 'Success' : 'Failure';",
  },
  {
    name: 'never starts the run again: a result unlike the last one still adds to the count',
    file,
    find: 'count: run.result === outcome ? run.count + 1 : 1 }',
    replace: 'count: run.count + 1 }',
  },
  {
    name: 'probes before initialDelaySeconds has passed',
    file,
    find: '  if (Math.floor((now - startedAt) / 1000) < probe.initialDelaySeconds) return false;\n',
    replace: '',
  },
  {
    name: 'waits one second too long after initialDelaySeconds',
    file,
    find: 'if (Math.floor((now - startedAt) / 1000) < probe.initialDelaySeconds) return false;',
    replace: 'if (Math.floor((now - startedAt) / 1000) <= probe.initialDelaySeconds) return false;',
  },
  {
    name: 'lets liveness and readiness run before the startup probe succeeded',
    file,
    find: "return started ? type !== 'startup' : type === 'startup';",
    replace: "return type !== 'startup' || !started;",
  },
  {
    name: 'kills the container on a readiness Failure too',
    file,
    find: "const kill = outcome === 'Failure' && type !== 'readiness';",
    replace: "const kill = outcome === 'Failure';",
  },
  {
    name: 'keeps the run after a kill: the next container dies at its first failure',
    file,
    find: 'run: kill ? { ...next, count: 0 } : next',
    replace: 'run: next',
  },
  {
    name: 'records no Unhealthy event for a probe that timed out',
    file,
    find: "const unhealthy = outcome === 'Failure' ? {",
    replace: "const unhealthy = result.outcome === 'failure' ? {",
  },
  {
    name: 'restarts a container that exited 0 under OnFailure',
    file,
    find: "  if (restartPolicy === 'OnFailure' && last.exit.exitCode === 0) return { action: 'done' };\n",
    replace: '',
  },
  {
    name: 'restarts under restartPolicy Never',
    file,
    find: "  if (restartPolicy === 'Never') return { action: 'done' };\n",
    replace: '',
  },
  {
    name: 'does not double the back-off',
    file,
    find: 'Math.min(entry.delayMs * 2, 300_000)',
    replace: 'Math.min(entry.delayMs, 300_000)',
  },
  {
    name: 'misses the 5 minute cap',
    file,
    find: 'Math.min(entry.delayMs * 2, 300_000)',
    replace: 'entry.delayMs * 2',
  },
  {
    name: 'never resets the back-off, however long the container ran',
    file,
    find: 'const expired = entry === undefined || since - entry.updatedAt > 600_000;',
    replace: 'const expired = entry === undefined;',
  },
  {
    name: 'resets the back-off after 5 minutes (the cap), not 10',
    file,
    find: 'since - entry.updatedAt > 600_000',
    replace: 'since - entry.updatedAt > 300_000',
  },
  {
    name: 'resets the back-off at exactly 10 minutes',
    file,
    find: 'since - entry.updatedAt > 600_000',
    replace: 'since - entry.updatedAt >= 600_000',
  },
  {
    name: 'counts the back-off from the restart, not from the exit',
    file,
    find: 'inBackOff: now - since < entry.delayMs,',
    replace: 'inBackOff: now - entry.updatedAt < entry.delayMs,',
  },
  {
    name: 'starts the restarted container with the same restart count',
    file,
    find: 'const restartCount = last.restartCount + 1;',
    replace: 'const restartCount = last.restartCount;',
  },
  {
    name: 'says the next delay in the CrashLoopBackOff message, not the one being waited',
    file,
    find: 'message: `back-off ${goDuration(entry.delayMs)} restarting',
    replace: 'message: `back-off ${goDuration(step.next.delayMs)} restarting',
  },
];
