import type { DefaultedProbe } from '../api/defaults';
import { objectKey } from '../api/resources';
import type { Container, Pod, PodStatus } from '../api/types';
import type { Timer } from '../sim/simulation';
import { containerRef } from './pod-syncer';
import type { PodRuntimeView } from './pod-status-reader';
import { runProbe, type ProberDeps } from './prober';
import type { ProbeResults } from './probe-results';
import { ask, type ProbesAndRestarts, type ProbeSettings, type ProbeType, type ProbeVerdict, type ResultRun } from './probes-and-restarts-contract';

/**
 * A probe worker (pkg/kubelet/prober/worker.go): one per container and kind of probe, from the
 * time the kubelet takes the pod on until the pod is gone or its container will never run
 * again. It probes at once, then at every tick of periodSeconds, and also when the kubelet
 * asks for a readiness probe right away (trigger: a started container not ready yet). Each
 * time it reads the kubelet's last status of the pod and decides (doProbe):
 *
 *   no status, or the container not created yet          => nothing, wait for the next tick
 *   the pod Succeeded or Failed                          => the worker ends
 *   a new container (a restart)                          => its result starts over: readiness
 *                                                           Failure, liveness Success, startup Unknown
 *   on hold (liveness or startup failed this container)  => nothing until the next container
 *   the container is not running                         => Failure; the worker ends if it never restarts
 *   not due (probes-and-restarts: initialDelaySeconds,   => nothing
 *     the startup probe holding the others back)
 *   else                                                 => probe (prober.ts); probes-and-restarts
 *                                                           counts the result against the thresholds:
 *                                                           the verdict, the Unhealthy event, and
 *                                                           whether to hold (the container is killed)
 *
 * The two questions are the exercise's (probes-and-restarts-contract.ts). An answer that fails
 * (the learner's code throws) is traced as the kubelet's error and that tick does nothing.
 *
 * A kubelet that started less than a period ago first waits a random part of the period, so
 * that the probes of the pods it finds do not all run at once (worker.go's jitter); a pod that
 * comes later starts probing at once.
 *
 *   t=2.4s  worker for web's liveness probe (period 10 s) starts; the kubelet started at 0: waits 6.1 s
 *   t=8.5s  probe: web started 3 s ago, initialDelaySeconds 5 => nothing
 *   t=18.5s probe: cat /tmp/healthy => exit 0, Success ... every 10 s
 */
export interface PodView {
  pod: Readonly<Pod>;
  /** The kubelet's last status of the pod (what its status manager holds). */
  status: Readonly<PodStatus>;
  view: PodRuntimeView;
}

export interface WorkerDeps extends ProberDeps {
  lookup(uid: string): PodView | undefined;
  /** The code that answers the worker's questions (exercise probes-and-restarts). */
  probesAndRestarts: ProbesAndRestarts;
  /** When the kubelet's probe manager started. */
  kubeletStartedAt: number;
  /** Called once the worker has ended by itself. */
  ended(worker: ProbeWorker): void;
}

/** A new container's result before its first verdict. */
const INITIAL: Readonly<Record<ProbeType, ProbeVerdict>> = { readiness: 'Failure', liveness: 'Success', startup: 'Unknown' };

export class ProbeWorker {
  private containerId = '';
  private onHold = false;
  /** The run of results, kept across containers as the worker keeps it. */
  private run: ResultRun = { count: 0 };
  private timer: Timer | undefined;
  private probing = false;
  /** A tick and a trigger that came while a probe ran (or before the first): each runs one probe after it. */
  private tickWaiting = false;
  private triggerWaiting = false;
  private stopped = false;
  private readonly settings: ProbeSettings;

  constructor(
    private readonly d: WorkerDeps,
    private readonly results: ProbeResults,
    readonly uid: string,
    readonly container: Readonly<Container>,
    readonly type: ProbeType,
    private readonly spec: DefaultedProbe,
  ) {
    const { initialDelaySeconds = 0, periodSeconds, timeoutSeconds, successThreshold, failureThreshold } = spec;
    this.settings = { initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold };
  }

  start(): void {
    const periodMs = this.spec.periodSeconds * 1000;
    const jitter = periodMs > this.d.sim.now() - this.d.kubeletStartedAt ? Math.floor(this.d.rng.next() * periodMs) : 0;
    this.probing = true; // until the first probe, a trigger waits
    this.timer = this.d.sim.after(jitter, () => {
      this.timer = this.d.sim.after(periodMs, () => this.tick());
      this.probe();
    });
  }

  /** Ends the worker; its container's result goes with it. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) this.d.sim.cancel(this.timer);
    if (this.containerId !== '') this.results.remove(this.containerId);
  }

  /** Probe now (the manual trigger), or right after the probe under way. */
  trigger(): void {
    if (this.probing) this.triggerWaiting = true;
    else this.probe();
  }

  private tick(): void {
    this.timer = this.d.sim.after(this.spec.periodSeconds * 1000, () => this.tick());
    if (this.probing) this.tickWaiting = true;
    else this.probe();
  }

  private probe(): void {
    if (this.stopped) return;
    this.probing = true;
    this.doProbe((keepGoing) => {
      this.probing = false;
      if (this.stopped) return;
      if (!keepGoing) {
        this.stop();
        return this.d.ended(this);
      }
      if (this.tickWaiting || this.triggerWaiting) {
        if (this.tickWaiting) this.tickWaiting = false;
        else this.triggerWaiting = false;
        this.probe();
      }
    });
  }

  private doProbe(done: (keepGoing: boolean) => void): void {
    const now = this.d.sim.now();
    const found = this.d.lookup(this.uid);
    if (found === undefined) return done(true);
    const { pod, status, view } = found;
    if (status.phase === 'Succeeded' || status.phase === 'Failed') return done(false);
    const c = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])].find((s) => s.name === this.container.name && s.containerID);
    if (c === undefined) return done(true);
    const id = c.containerID!.replace(/^containerd:\/\//, '');
    if (id !== this.containerId) {
      if (this.containerId !== '') this.results.remove(this.containerId);
      this.containerId = id;
      this.results.set(id, INITIAL[this.type], this.uid);
      this.onHold = false;
    }
    if (this.onHold) return done(true);
    if (c.state?.running === undefined) {
      this.results.set(id, 'Failure', this.uid);
      return done(c.state?.terminated === undefined || pod.spec.restartPolicy !== 'Never');
    }
    const startedAt = view.containers.get(id)?.startedAt ?? now;
    const key = objectKey(pod);
    const due = this.ask(key, (code) => ask(code, 'due', { type: this.type, probe: this.settings, startedAt, started: c.started === true, now }));
    if (due !== true) return done(true);
    runProbe(this.d, this.type, this.spec, { pod, container: this.container, containerId: id, podIP: status.podIP ?? '' }, (result) => {
      if (result === 'Unknown') return done(true);
      const verdict = this.results.get(id) ?? INITIAL[this.type];
      const answer = this.ask(key, (code) => ask(code, 'probed', { type: this.type, probe: this.settings, verdict, run: this.run, result }));
      if (answer === undefined) return done(true);
      if (answer.unhealthy !== undefined) {
        this.d.recorder.event(containerRef(pod, this.container), 'Warning', 'Unhealthy', answer.unhealthy);
        this.d.sim.trace.action(this.d.sim.now(), this.d.component, `${key}/${this.container.name}: ${answer.unhealthy.trimEnd()}`, { probe: this.type, result: 'Failure' });
      }
      if (this.stopped) return done(true);
      this.run = answer.run;
      this.results.set(id, answer.verdict, this.uid);
      // The container will be killed: no more probes of it (an exec into a dying container), only of the next one.
      if (answer.kill) this.onHold = true;
      done(true);
    });
  }

  /** One question to probes-and-restarts; a throw is traced as the kubelet's error, and answers nothing. */
  private ask<T>(key: string, question: (code: ProbesAndRestarts) => T): T | undefined {
    try {
      return question(this.d.probesAndRestarts);
    } catch (err) {
      this.d.sim.trace.error(this.d.sim.now(), this.d.component, `probesAndRestarts for ${key}/${this.container.name} (${this.type} probe) failed: ${(err as Error).message}`, { key });
      return undefined;
    }
  }
}
