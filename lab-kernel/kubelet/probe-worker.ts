import type { DefaultedProbe } from '../api/defaults';
import type { Container, Pod, PodStatus } from '../api/types';
import type { Timer } from '../sim/simulation';
import type { PodRuntimeView } from './pod-status-reader';
import { runProbe, type ProberDeps, type ProbeType } from './prober';
import type { ProbeResult, ProbeResults } from './probe-results';
import { afterProbe, type ThresholdState } from './probe-threshold';

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
 *   started less than initialDelaySeconds ago            => nothing
 *   not started yet (startup probe not passed)           => only the startup probe runs
 *   started                                              => the startup probe no longer runs
 *   else                                                 => probe (prober.ts), count the outcome
 *                                                           against the thresholds (probe-threshold.ts)
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
  /** When the kubelet's probe manager started. */
  kubeletStartedAt: number;
  /** Called once the worker has ended by itself. */
  ended(worker: ProbeWorker): void;
}

/** A new container's result before its first verdict. */
const INITIAL: Readonly<Record<ProbeType, ProbeResult>> = { readiness: 'Failure', liveness: 'Success', startup: 'Unknown' };

export class ProbeWorker {
  private containerId = '';
  private onHold = false;
  private threshold: ThresholdState = { run: 0 };
  private timer: Timer | undefined;
  private probing = false;
  /** A tick and a trigger that came while a probe ran (or before the first): each runs one probe after it. */
  private tickWaiting = false;
  private triggerWaiting = false;
  private stopped = false;

  constructor(
    private readonly d: WorkerDeps,
    private readonly results: ProbeResults,
    readonly uid: string,
    readonly container: Readonly<Container>,
    readonly type: ProbeType,
    private readonly spec: DefaultedProbe,
  ) {}

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
    if (Math.floor((now - startedAt) / 1000) < (this.spec.initialDelaySeconds ?? 0)) return done(true);
    if (c.started === true ? this.type === 'startup' : this.type !== 'startup') return done(true);
    runProbe(this.d, this.type, this.spec, { pod, container: this.container, containerId: id, podIP: status.podIP ?? '' }, (outcome) => {
      if (outcome === 'Unknown' || this.stopped) return done(true);
      const { state, verdict } = afterProbe(this.threshold, outcome, this.spec);
      this.threshold = state;
      if (verdict === undefined) return done(true);
      this.results.set(id, verdict, this.uid);
      if (verdict === 'Failure' && this.type !== 'readiness') {
        // The container will be killed: no more probes of it (an exec into a dying container), only of the next one.
        this.onHold = true;
        this.threshold = { ...this.threshold, run: 0 };
      }
      done(true);
    });
  }
}
