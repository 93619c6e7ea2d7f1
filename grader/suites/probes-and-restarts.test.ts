/**
 * Grader suite for exercise `probes-and-restarts` (exercises/kubelet/probes-and-restarts.ts).
 *
 * Part by part, on cases from the Kubernetes docs (Configure Liveness, Readiness and Startup
 * Probes; Pod Lifecycle: restart policy and the container restart back-off) and from the
 * kubelet's own code (worker.go's doProbe, kuberuntime_manager.go's doBackOff, client-go's
 * flowcontrol.Backoff), then a whole cluster whose kubelets run your answers: the docs'
 * liveness exec example, a crash-looping container, a pod that never gets ready.
 */
import { describe, expect, it } from 'vitest';
import type { KubeEvent, Pod } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import {
  ask, type BackoffEntry, type ProbedQuestion, type ProbeSettings, type ProbeType, type RestartAnswer, type RestartQuestion,
} from '../../lab-kernel/kubelet/probes-and-restarts-contract';
import { traceQuery } from '../../lab-kernel/viz/trace-query';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const code = slotUnderTest('probes-and-restarts');

/** Kubernetes' defaults (SetDefaults_Probe). */
const PROBE: ProbeSettings = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };
const due = (type: ProbeType, probe: Partial<ProbeSettings>, startedAt: number, now: number, started = true) => ask(code, 'due', { type, probe: { ...PROBE, ...probe }, startedAt, started, now });
const probed = (q: Partial<ProbedQuestion> & Pick<ProbedQuestion, 'result'>) => ask(code, 'probed', { type: 'liveness', probe: PROBE, verdict: 'Success', run: { count: 0 }, ...q });
const fail = (output = "cat: can't open '/tmp/healthy': No such file or directory\n") => ({ outcome: 'failure' as const, output });
const ok = { outcome: 'success' as const, output: '' };

/** Plays results through one container's worker; the verdict after each. */
function play(type: ProbeType, probe: Partial<ProbeSettings>, outcomes: ('success' | 'failure' | 'timeout')[], verdict = type === 'readiness' ? 'Failure' : 'Success'): string[] {
  let state = { verdict: verdict as ProbedQuestion['verdict'], run: { count: 0 } as ProbedQuestion['run'] };
  return outcomes.map((outcome) => {
    const a = probed({ type, probe: { ...PROBE, ...probe }, ...state, result: { outcome, output: 'x' } });
    state = { verdict: a.verdict, run: a.run };
    return a.verdict;
  });
}

describe('Part A.1: is the probe due? (initialDelaySeconds, the startup probe first)', () => {
  it('does a liveness probe with initialDelaySeconds 5 wait 5 whole seconds after the container started?', () => {
    expect([4_000, 4_999, 5_000, 12_000].map((now) => due('liveness', { initialDelaySeconds: 5 }, 0, now)), 'due at 4 s, 4.999 s, 5 s, 12 s').toEqual([false, false, true, true]);
  });

  it('is a probe without initialDelaySeconds due at once?', () => {
    expect(due('readiness', {}, 7_000, 7_000)).toBe(true);
  });

  it('do liveness and readiness wait while the startup probe has not succeeded, and does only the startup probe run then?', () => {
    const types: ProbeType[] = ['liveness', 'readiness', 'startup'];
    expect(types.map((t) => due(t, {}, 0, 60_000, false)), 'not started yet: liveness, readiness, startup').toEqual([false, false, true]);
    expect(types.map((t) => due(t, {}, 0, 60_000, true)), 'started: liveness, readiness, startup').toEqual([true, true, false]);
  });

  it('does the startup probe wait out its own initialDelaySeconds too?', () => {
    expect(due('startup', { initialDelaySeconds: 10 }, 0, 9_000, false)).toBe(false);
  });
});

describe('Part A.2: the verdict after a probe (thresholds, timeouts, kill, the Unhealthy event)', () => {
  it('does a liveness probe with failureThreshold 3 fail only at the third failure in a row?', () => {
    expect(play('liveness', {}, ['failure', 'failure', 'failure'])).toEqual(['Success', 'Success', 'Failure']);
  });

  it('does failureThreshold 1 fail at the first failure?', () => {
    expect(play('liveness', { failureThreshold: 1 }, ['failure'])).toEqual(['Failure']);
  });

  it('does a success between failures start the count again?', () => {
    expect(play('liveness', {}, ['failure', 'failure', 'success', 'failure', 'failure', 'failure'])).toEqual(['Success', 'Success', 'Success', 'Success', 'Success', 'Failure']);
  });

  it('does a readiness probe become Success at its first success (successThreshold 1), and Failure again after 3 failures?', () => {
    expect(play('readiness', {}, ['success', 'failure', 'failure', 'failure', 'success'])).toEqual(['Success', 'Success', 'Success', 'Failure', 'Success']);
  });

  it('does successThreshold 3 on a readiness probe need three successes in a row after failing?', () => {
    expect(play('readiness', { successThreshold: 3 }, ['success', 'success', 'failure', 'success', 'success', 'success'])).toEqual(['Failure', 'Failure', 'Failure', 'Failure', 'Failure', 'Success']);
  });

  it('does a probe that timed out count as a failure (timeoutSeconds), with its Unhealthy event?', () => {
    expect(play('readiness', {}, ['success', 'timeout', 'timeout', 'timeout'])).toEqual(['Success', 'Success', 'Success', 'Failure']);
    const a = probed({ type: 'readiness', verdict: 'Success', result: { outcome: 'timeout', output: 'command "sleep 5" timed out' } });
    expect(a.run, 'the run after one timeout').toEqual({ result: 'Failure', count: 1 });
    expect(a.unhealthy).toBe('Readiness probe failed: command "sleep 5" timed out');
  });

  it('does each failed probe give the Warning Unhealthy message "Liveness probe failed: <output>", and a success none?', () => {
    expect(probed({ result: fail() }).unhealthy).toBe("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n");
    expect(probed({ type: 'startup', verdict: 'Unknown', result: fail('no') }).unhealthy).toBe('Startup probe failed: no');
    expect(probed({ result: ok }).unhealthy).toBeUndefined();
  });

  it('does the third liveness failure kill the container, and start the run over for the next one?', () => {
    const a = probed({ run: { result: 'Failure', count: 2 }, result: fail() });
    expect(a).toMatchObject({ verdict: 'Failure', kill: true, run: { result: 'Failure', count: 0 } });
    const nextContainer = probed({ verdict: 'Success', run: a.run, result: fail() });
    expect(nextContainer, "the restarted container's first failure").toMatchObject({ verdict: 'Success', kill: false, run: { count: 1 } });
  });

  it('does a startup probe that reaches failureThreshold kill the container too?', () => {
    expect(probed({ type: 'startup', verdict: 'Unknown', probe: { ...PROBE, failureThreshold: 30 }, run: { result: 'Failure', count: 29 }, result: fail() })).toMatchObject({ verdict: 'Failure', kill: true });
    expect(probed({ type: 'startup', verdict: 'Unknown', run: { result: 'Failure', count: 2 }, result: ok })).toMatchObject({ verdict: 'Success', kill: false });
  });

  it('does a readiness Failure only flip Ready, never kill?', () => {
    const a = probed({ type: 'readiness', verdict: 'Success', run: { result: 'Failure', count: 2 }, result: fail() });
    expect(a).toMatchObject({ verdict: 'Failure', kill: false, run: { result: 'Failure', count: 3 } });
  });

  it('below the threshold, does the verdict stay what it was, even Unknown?', () => {
    expect(probed({ type: 'startup', verdict: 'Unknown', result: fail() })).toMatchObject({ verdict: 'Unknown', kill: false });
  });
});

describe('Part B.1: the back-off (flowcontrol.Backoff: 10 s, doubling, at most 300 s, stable again after 600 s)', () => {
  const step = (entry: BackoffEntry | undefined, since: number, now: number) => ask(code, 'backoff', { entry, since, now });

  it('does a key without an entry not back off, and get 10 s at its first Next?', () => {
    expect(step(undefined, 5_000, 6_000)).toEqual({ inBackOff: false, next: { delayMs: 10_000, updatedAt: 6_000 } });
  });

  it('is a key in back-off while now - since < its delay, counted from the event (not from the last Next)?', () => {
    const entry = { delayMs: 10_000, updatedAt: 0 };
    expect([9_999, 10_000].map((now) => step(entry, 30_000 - 10_000, 30_000 - 10_000 + now).inBackOff), 'since 20 s: at 29.999 s, at 30 s').toEqual([true, false]);
  });

  it('does the delay double at each Next, and stop at 300 s?', () => {
    const delays: number[] = [];
    let entry: BackoffEntry | undefined;
    for (let i = 0; i < 8; i++) {
      entry = step(entry, i * 1_000, i * 1_000).next;
      delays.push(entry.delayMs / 1000);
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('does an entry that last moved more than 600 s before the event count for nothing (and exactly 600 s still count)?', () => {
    const entry = { delayMs: 160_000, updatedAt: 100_000 };
    expect(step(entry, 700_000, 700_001), 'event exactly 600 s after the last move').toEqual({ inBackOff: true, next: { delayMs: 300_000, updatedAt: 700_001 } });
    expect(step(entry, 700_001, 700_002), '600.001 s after').toEqual({ inBackOff: false, next: { delayMs: 10_000, updatedAt: 700_002 } });
    expect(step(entry, 400_001, 400_002), '300.001 s after: not expired yet').toEqual({ inBackOff: true, next: { delayMs: 300_000, updatedAt: 400_002 } });
  });
});

describe('Part B.2: restart or not (the restart policy, the restart count, CrashLoopBackOff)', () => {
  const pod = { name: 'p', namespace: 'default', uid: 'u1' };
  const exited = (exitCode: number, finishedAt: number, restartCount = 0, reason = exitCode === 0 ? 'Completed' : 'Error', startedAt = finishedAt - 2_000) => ({ restartCount, exit: { exitCode, reason, startedAt, finishedAt } });
  const restart = (q: Partial<RestartQuestion> & Pick<RestartQuestion, 'last' | 'now'>): RestartAnswer => ask(code, 'restart', { pod, container: 'app', restartPolicy: 'Always', ...q });

  it.each([
    ['Always', 0, 'Completed', 'start'],
    ['Always', 1, 'Error', 'start'],
    ['OnFailure', 1, 'Error', 'start'],
    ['OnFailure', 137, 'OOMKilled', 'start'],
    ['OnFailure', 0, 'Completed', 'done'],
    ['Never', 1, 'Error', 'done'],
    ['Never', 0, 'Completed', 'done'],
  ] as const)('restartPolicy %s, exit code %i (%s): %s', (restartPolicy, exitCode, reason, action) => {
    expect(restart({ restartPolicy, last: exited(exitCode, 60_000, 0, reason), now: 61_000 }).action).toBe(action);
  });

  it('is the first crash restarted at once, as restart 1, its back-off now 10 s?', () => {
    expect(restart({ last: exited(1, 60_000), now: 61_000 })).toEqual({ action: 'start', restartCount: 1, backoff: { delayMs: 10_000, updatedAt: 61_000 } });
  });

  it('does the next crash wait 10 s from its exit in CrashLoopBackOff, with the kubelet\'s message and BackOff event?', () => {
    const entry = { delayMs: 10_000, updatedAt: 61_000 };
    expect(restart({ last: exited(1, 64_000, 1), backoff: entry, now: 65_000 })).toEqual({
      action: 'back-off', reason: 'CrashLoopBackOff',
      message: 'back-off 10s restarting failed container=app pod=p_default(u1)',
      event: 'Back-off restarting failed container app in pod p_default(u1)',
    });
    expect(restart({ last: exited(1, 64_000, 1), backoff: entry, now: 74_000 }), '10 s after the exit').toEqual({ action: 'start', restartCount: 2, backoff: { delayMs: 20_000, updatedAt: 74_000 } });
  });

  it('is the back-off counted from the exit, not from the restart: a container that ran 30 s still waits its 10 s?', () => {
    expect(restart({ last: exited(1, 91_000, 1, 'Error', 61_000), backoff: { delayMs: 10_000, updatedAt: 61_000 }, now: 92_000 }).action).toBe('back-off');
  });

  it('does a crash loop wait 10 s, 20 s, 40 s, 1m20s, 2m40s, then 5m0s and 5m0s, as the waiting message says?', () => {
    let entry: BackoffEntry | undefined;
    let restartCount = 0;
    let t = 0;
    const messages: string[] = [];
    for (let crash = 0; crash < 8; crash++) {
      t += 2_000; // it runs 2 s, then exits 1
      const last = exited(1, t, restartCount);
      for (;;) {
        const a = restart({ last, backoff: entry, now: t });
        if (a.action === 'start') {
          [entry, restartCount] = [a.backoff, a.restartCount];
          break;
        }
        if (a.action !== 'back-off') throw new Error(`restartPolicy Always, exit 1: expected start or back-off, got ${JSON.stringify(a)}`);
        if (!messages.includes(a.message)) messages.push(a.message);
        t += 1_000;
      }
    }
    expect(messages.map((m) => m.split(' ')[1])).toEqual(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s']);
    expect(restartCount, 'restarts after 8 crashes').toBe(8);
  });

  it('does a container that ran for more than 10 minutes after its last restart start over at 10 s?', () => {
    const entry = { delayMs: 300_000, updatedAt: 1_000_000 };
    expect(restart({ last: exited(1, 1_600_001, 7, 'Error', 1_001_000), backoff: entry, now: 1_600_002 })).toEqual({ action: 'start', restartCount: 8, backoff: { delayMs: 10_000, updatedAt: 1_600_002 } });
    expect(restart({ last: exited(1, 1_500_000, 7, 'Error', 1_001_000), backoff: entry, now: 1_500_002 }).action, 'after 500 s it still backs off').toBe('back-off');
  });

  it('is a container that never exited (killed now after a failed liveness probe, or created and never started) started at once, whatever the policy?', () => {
    const entry = { delayMs: 40_000, updatedAt: 0 };
    expect(restart({ restartPolicy: 'Never', last: { restartCount: 3 }, backoff: entry, now: 5_000 })).toEqual({ action: 'start', restartCount: 4 });
  });
});

describe('Part C: a whole cluster whose kubelets run your answers', () => {
  const run = (spec: string) => {
    const cluster = createCluster({ seed: SEED, use: { 'probes-and-restarts': SOURCE } });
    cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: default }\nspec:\n  nodeName: node-1\n${spec}`);
    const current = () => cluster.apiServer.cache.get('pods', 'default', 'p') as Pod | undefined;
    const said = () => {
      const last = [...cluster.trace.all()].reverse().find((e) => e.kind === 'error' && e.actor === 'kubelet/node-1');
      return last ? `; the kubelet last said: ${last.summary}` : '';
    };
    const kubelet = (summary: string | RegExp) => traceQuery(cluster.trace, { actor: 'kubelet/node-1', summary }).map((e) => e.time);
    const events = () => (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.name === 'p').map((e) => `${e.type} ${e.reason}: ${e.message}`);
    return { cluster, current, said, kubelet, events };
  };

  it("is the docs' liveness exec example killed at its third failed probe, 5 s apart, 40-45 s after it started, and restarted, with the real events?", () => {
    // The docs' exec-liveness.yaml: the file goes 30 s after the start, so the probe (every 5 s, from 5 s on) fails from then on.
    const { cluster, current, said, kubelet, events } = run(`  containers:
  - name: liveness
    image: busybox:1.36
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe: { exec: { command: [cat, /tmp/healthy] }, initialDelaySeconds: 5, periodSeconds: 5 }
`);
    cluster.runFor(90_000);
    const [started, restarted] = kubelet('StartContainer default/p/liveness');
    const failures = kubelet("default/p/liveness: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
    expect(failures.length, `failed probes in 90 s${said()}`).toBeGreaterThanOrEqual(3);
    expect(failures[0] - started, 'the first failure, after the file went at 30 s').toBeGreaterThan(30_000);
    expect(failures[0] - started).toBeLessThanOrEqual(35_000 + 100);
    expect([failures[1] - failures[0], failures[2] - failures[1]].map((gap) => Math.round(gap / 1_000)), 'seconds between the failures').toEqual([5, 5]);
    const [stop] = kubelet('StopContainer default/p/liveness');
    expect(stop, `the container was killed${said()}`).toBeDefined();
    expect(stop - failures[2], 'killed at the third failure').toBeLessThan(100);
    expect(stop - started).toBeGreaterThan(40_000);
    expect(stop - started).toBeLessThanOrEqual(45_000 + 100);
    expect(events()).toEqual(expect.arrayContaining([
      "Warning Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
      'Normal Killing: Container liveness failed liveness probe, will be restarted',
    ]));
    // sh as PID 1 ignores SIGTERM: it dies of SIGKILL at the end of the 30 s grace period, then starts again.
    expect(restarted, `restarted after the grace period${said()}`).toBeDefined();
    expect(current()!.status!.containerStatuses![0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 137 } } });
  });

  it('does a crashing container wait in CrashLoopBackOff for 10 s, then 20 s, then 40 s, as its status says?', () => {
    const { cluster, current, said, kubelet } = run('  containers: [{ name: app, image: busybox:1.36, command: [sh, -c, "sleep 2; exit 1"] }]\n');
    const messages: string[] = [];
    for (let t = 0; t < 150_000; t += 250) {
      cluster.runFor(250);
      const waiting = current()?.status?.containerStatuses?.[0].state?.waiting;
      if (waiting?.reason === 'CrashLoopBackOff' && waiting.message !== undefined && !messages.includes(waiting.message)) messages.push(waiting.message);
    }
    const uid = current()!.metadata.uid;
    expect(messages.slice(0, 3), `the CrashLoopBackOff messages, in order${said()}`).toEqual([10, 20, 40].map((s) => `back-off ${s}s restarting failed container=app pod=p_default(${uid})`));
    const starts = kubelet('StartContainer default/p/app');
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    for (const [i, backoff] of [[1, 10_000], [2, 20_000], [3, 40_000]]) expect(gaps[i], `restart ${i + 1}: 2 s of running, then ${backoff / 1000} s of back-off at least`).toBeGreaterThanOrEqual(2_000 + backoff);
    expect(current()!.status!.containerStatuses![0].restartCount).toBe(starts.length - 1);
  });

  it('does a readiness probe on a closed port keep the pod Running and not Ready, never restarting the container?', () => {
    const { cluster, current, said, kubelet } = run('  containers: [{ name: web, image: nginx:1.27, readinessProbe: { httpGet: { path: /healthz, port: 8080 }, periodSeconds: 5 } }]\n');
    cluster.runFor(60_000);
    expect(kubelet(/Readiness probe failed/).length, `failed readiness probes in 60 s${said()}`).toBeGreaterThanOrEqual(3);
    expect(kubelet(/StopContainer/), 'containers stopped').toEqual([]);
    expect(current()!.status!.containerStatuses![0]).toMatchObject({ ready: false, restartCount: 0, state: { running: {} } });
    expect(current()!.status!.conditions!.find((c) => c.type === 'Ready')?.status).toBe('False');
  });
});
