import { withProbeDefaults } from '../api/defaults';
import { objectKey } from '../api/resources';
import type { Pod, PodStatus } from '../api/types';
import type { ProberDeps } from './prober';
import { ProbeResults, type ResultUpdate } from './probe-results';
import { ProbeWorker, type PodView } from './probe-worker';
import type { ProbesAndRestarts, ProbeType } from './probes-and-restarts-contract';

/**
 * The kubelet's probe manager (pkg/kubelet/prober/prober_manager.go): a worker for each
 * container's liveness, readiness and startup probe (probe-worker.ts), and their verdicts in
 * three results managers (probe-results.ts), which the kubelet reads:
 *
 *   liveness, startup  => computePodActions' input: a Failure kills the container, which
 *                         restarts ("Container web failed liveness probe, will be restarted")
 *   readiness          => the container's `ready` and the pod's Ready condition (api-pod-status.ts)
 *   startup            => the container's `started`
 *
 * A verdict that changes wakes the pod's worker, as the runtime's events do (a liveness
 * verdict only when it is Failure). And each time the kubelet makes a pod's status, a started
 * container whose readiness is not Success yet has its readiness probe run at once
 * (triggerReadiness): a pod is Ready soon after its container starts, not a period later.
 *
 *   manager.addPod(pod)                  // workers for its containers' probes
 *   manager.liveness.verdicts()          // => { '4f1c...': 'Failure' }
 *   manager.stopLivenessAndStartup(uid)  // the pod is being stopped: only readiness goes on
 *   manager.removePod(uid)               // the pod is gone
 */
export interface ProberManagerDeps extends ProberDeps {
  lookup(uid: string): PodView | undefined;
  /** What the workers make of their probes (exercise probes-and-restarts). */
  probesAndRestarts: ProbesAndRestarts;
  /** A verdict changed: sync that pod. */
  wake(uid: string): void;
}

const TYPES: readonly ProbeType[] = ['startup', 'readiness', 'liveness'];

export class ProberManager {
  readonly liveness = new ProbeResults((u) => this.changed('liveness', u));
  readonly readiness = new ProbeResults((u) => this.changed('readiness', u));
  readonly startup = new ProbeResults((u) => this.changed('startup', u));
  private readonly workers = new Map<string, ProbeWorker>();
  private startedAt = 0;

  constructor(private readonly d: ProberManagerDeps) {}

  /** The kubelet starts: a worker that starts within a period of now waits a random part of it first. */
  start(): void {
    this.startedAt = this.d.sim.now();
  }

  /** The kubelet's process ends: every worker stops. */
  stop(): void {
    for (const w of this.workers.values()) w.stop();
    this.workers.clear();
  }

  /** Workers for the probes of the pod's containers (and sidecars) that have none yet. */
  addPod(pod: Readonly<Pod>): void {
    const uid = pod.metadata.uid!;
    const containers = [...(pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...pod.spec.containers];
    for (const c of containers) {
      for (const type of TYPES) {
        const probe = c[`${type}Probe`];
        const key = `${uid}/${c.name}/${type}`;
        if (probe === undefined || this.workers.has(key)) continue;
        const deps = Object.assign({}, this.d, { kubeletStartedAt: this.startedAt, ended: (w: ProbeWorker) => this.workers.delete(`${w.uid}/${w.container.name}/${w.type}`) });
        const worker = new ProbeWorker(deps, this.results(type), uid, c, type, withProbeDefaults(probe));
        this.workers.set(key, worker);
        worker.start();
      }
    }
  }

  stopLivenessAndStartup(uid: string): void {
    this.stopWorkers(uid, ['liveness', 'startup']);
  }

  removePod(uid: string): void {
    this.stopWorkers(uid, TYPES);
  }

  /**
   * Part of UpdatePodStatus: each running, started container that is not ready and has a
   * readiness probe gets it run now (or right after the one under way).
   *   triggerReadiness(pod, status)  // web started, ready false => web's readiness worker probes now
   */
  triggerReadiness(pod: Readonly<Pod>, status: Readonly<PodStatus>): void {
    for (const s of [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])]) {
      if (s.started !== true || s.ready || s.state?.running === undefined) continue;
      this.workers.get(`${pod.metadata.uid}/${s.name}/readiness`)?.trigger();
    }
  }

  private results(type: ProbeType): ProbeResults {
    return type === 'liveness' ? this.liveness : type === 'readiness' ? this.readiness : this.startup;
  }

  private stopWorkers(uid: string, types: readonly ProbeType[]): void {
    for (const [key, w] of this.workers) {
      if (w.uid !== uid || !types.includes(w.type)) continue;
      w.stop();
      this.workers.delete(key);
    }
  }

  private changed(type: ProbeType, u: ResultUpdate): void {
    const found = this.d.lookup(u.uid);
    const name = found?.view.decision.containers.find((c) => c.id === u.id)?.name ?? u.id.slice(0, 13);
    const key = found !== undefined ? objectKey(found.pod) : u.uid;
    this.d.sim.trace.action(this.d.sim.now(), this.d.component, `${key}/${name}: ${type} is ${u.result}`, { key, probe: type, result: u.result });
    if (type !== 'liveness' || u.result === 'Failure') this.d.wake(u.uid);
  }
}
