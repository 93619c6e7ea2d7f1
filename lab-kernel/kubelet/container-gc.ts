import type { Container, PodSandbox } from '../runtime/cri';
import type { Simulation, Timer } from '../sim/simulation';
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from './cri-labels';
import { traceCri } from './cri-trace';
import type { CriRuntime } from './pod-status-reader';

/**
 * The kubelet's container garbage collection (pkg/kubelet/kuberuntime/kuberuntime_gc.go,
 * container_gc.go): every minute it removes the containers and sandboxes the node no longer
 * needs. A container that exited stays until then, so that its status and its log can still
 * be read (`kubectl logs --previous` reads the one before the current instance).
 *
 *   exited containers of a pod that is gone           => all removed, with their log files
 *   exited containers of one container of a live pod  => the newest maxPerPodContainer (1) kept, older ones removed
 *   more than maxContainers dead on the node          => (off by default: -1)
 *   a sandbox not ready, with no container left       => removed (for a live pod, all but its newest)
 *
 *   containerGCPlan({ containers: [app attempt 2 running, app 1 exited, app 0 exited], sandboxes: [one ready],
 *                     policy: DEFAULT_CONTAINER_GC_POLICY, nowMs, podGone: () => false })
 *   // => { containers: [app attempt 0's id], sandboxes: [] }
 *
 * A running container is never removed; minAge (0 by default) spares containers created less
 * than that long ago. Removing a container removes its log file first (removeContainerLog);
 * its pod's log directory goes with the last of them.
 */
export const CONTAINER_GC_PERIOD_MS = 60_000;

export interface ContainerGCPolicy {
  /** --minimum-container-ttl-duration: a container created less than this long ago is kept. */
  minAgeMs: number;
  /** --maximum-dead-containers-per-container; negative: no limit. */
  maxPerPodContainer: number;
  /** --maximum-dead-containers on the node; negative: no limit. */
  maxContainers: number;
}

/** 1.32's defaults (cmd/kubelet/app/options/options.go, NewKubeletFlags): 0, 1, -1. */
export const DEFAULT_CONTAINER_GC_POLICY: Readonly<ContainerGCPolicy> = { minAgeMs: 0, maxPerPodContainer: 1, maxContainers: -1 };

export interface ContainerGCInput {
  /** Every container and sandbox the runtime holds (ListContainers, ListPodSandbox). */
  containers: readonly Container[];
  sandboxes: readonly PodSandbox[];
  policy: Readonly<ContainerGCPolicy>;
  nowMs: number;
  /**
   * ShouldPodContentBeRemoved: the pod with this uid is gone (deleted and stopped), so nothing of
   * it is kept. False for every pod until the kubelet has heard from all its sources.
   */
  podGone: (uid: string) => boolean;
}

/** What to remove, in that order: containers (oldest first within each group), then sandboxes. */
export interface ContainerGCPlan {
  containers: string[];
  sandboxes: string[];
}

interface Unit {
  uid: string;
  /** Newest first. */
  dead: Container[];
}

const newestFirst = <T extends { createdAt: number }>(a: T, b: T) => b.createdAt - a.createdAt;

export function containerGCPlan(input: ContainerGCInput): ContainerGCPlan {
  const removed: string[] = [];
  /** Removes all but the newest `keep` of a unit's dead containers; returns those kept. */
  const removeOldest = (dead: Container[], keep: number): Container[] => {
    for (let i = dead.length - 1; i >= keep; i--) removed.push(dead[i].id);
    return dead.slice(0, keep);
  };
  // evictableContainers: not running, and created at least minAge ago; by (pod, container name).
  const units = new Map<string, Unit>();
  for (const c of input.containers) {
    if (c.state === 'CONTAINER_RUNNING' || c.createdAt > input.nowMs - input.policy.minAgeMs) continue;
    const uid = c.labels[POD_UID_LABEL] ?? '';
    const key = `${uid}/${c.metadata.name}`;
    const unit = units.get(key) ?? { uid, dead: [] };
    unit.dead.push(c);
    units.set(key, unit);
  }
  for (const unit of units.values()) unit.dead.sort(newestFirst);
  for (const [key, unit] of units) {
    if (!input.podGone(unit.uid)) continue;
    removeOldest(unit.dead, 0);
    units.delete(key);
  }
  const { maxPerPodContainer, maxContainers } = input.policy;
  if (maxPerPodContainer >= 0) for (const unit of units.values()) unit.dead = removeOldest(unit.dead, maxPerPodContainer);
  const count = () => [...units.values()].reduce((n, u) => n + u.dead.length, 0);
  if (maxContainers >= 0 && count() > maxContainers) {
    // An equal share per unit (at least one), then the oldest of all until the total fits.
    const share = Math.max(1, Math.floor(maxContainers / units.size));
    for (const unit of units.values()) unit.dead = removeOldest(unit.dead, share);
    if (count() > maxContainers) removeOldest([...units.values()].flatMap((u) => u.dead).sort(newestFirst), maxContainers);
  }
  return { containers: removed, sandboxes: sandboxesToRemove(input, new Set(removed)) };
}

/**
 * evictSandboxes: a sandbox is active while it is ready or still holds a container. Of a pod
 * that is gone, every inactive sandbox goes; of a live pod, the inactive ones but its newest.
 */
function sandboxesToRemove(input: ContainerGCInput, removedContainers: ReadonlySet<string>): string[] {
  const holding = new Set(input.containers.filter((c) => !removedContainers.has(c.id)).map((c) => c.podSandboxId));
  const byPod = new Map<string, PodSandbox[]>();
  for (const s of input.sandboxes) byPod.set(s.metadata.uid, [...(byPod.get(s.metadata.uid) ?? []), s]);
  const out: string[] = [];
  for (const [uid, sandboxes] of byPod) {
    const candidates = [...sandboxes].sort(newestFirst).slice(input.podGone(uid) ? 0 : 1);
    for (const s of candidates.reverse()) if (s.state !== 'SANDBOX_READY' && !holding.has(s.id)) out.push(s.id);
  }
  return out;
}

export interface ContainerGCDeps {
  sim: Simulation;
  runtime: CriRuntime;
  /** The kubelet's name in the trace, and its runtime's. */
  component: string;
  runtimeName: string;
  podGone: (uid: string) => boolean;
  /** ShouldPodRuntimeBeRemoved: the pod's containers are all stopped for good (it finished, or was evicted or deleted). */
  podTerminated: (uid: string) => boolean;
  /** Deletes a log file on the node. */
  removeLog: (path: string) => void;
  policy?: Readonly<ContainerGCPolicy>;
}

/** The loop: a plan every minute (counted from the end of the last run), carried out one CRI call at a time. */
export class ContainerGC {
  private timer: Timer | undefined;
  private stopped = false;

  constructor(private readonly d: ContainerGCDeps) {}

  /** Collects at once, then every minute (wait.Until). */
  start(): void {
    this.collect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.d.sim.cancel(this.timer);
  }

  /**
   * DeleteAllUnusedContainers, for the eviction manager under disk pressure: a collection that
   * also removes every container of a pod whose runtime is done (evictNonDeletedPods), finished
   * pods' included. `done` once it is over.
   */
  deleteAllUnused(done: () => void): void {
    this.run((uid) => this.d.podGone(uid) || this.d.podTerminated(uid), done);
  }

  private collect(): void {
    this.timer = undefined;
    this.run(this.d.podGone, () => this.next());
  }

  private run(podGone: (uid: string) => boolean, done: () => void): void {
    this.d.runtime.listContainers({}, (err, containers) => {
      this.d.runtime.listPodSandbox({}, (err2, sandboxes) => {
        if (this.stopped) return;
        if (err !== undefined || err2 !== undefined) return done();
        const all = containers!.containers;
        const plan = containerGCPlan({
          containers: all, sandboxes: sandboxes!.items, policy: this.d.policy ?? DEFAULT_CONTAINER_GC_POLICY, nowMs: this.d.sim.now(), podGone,
        });
        const byId = new Map(all.map((c) => [c.id, c]));
        const bySandbox = new Map(sandboxes!.items.map((s) => [s.id, s]));
        const steps = [
          ...plan.containers.map((id) => (next: () => void) => this.removeContainer(byId.get(id)!, next)),
          ...plan.sandboxes.map((id) => (next: () => void) => this.removeSandbox(bySandbox.get(id)!, next)),
        ];
        const go = (i: number): void => (this.stopped ? undefined : i === steps.length ? done() : steps[i](() => go(i + 1)));
        go(0);
      });
    });
  }

  private next(): void {
    if (!this.stopped) this.timer = this.d.sim.after(CONTAINER_GC_PERIOD_MS, () => this.collect());
  }

  /** removeContainer: its log file first (the path from ContainerStatus), then RemoveContainer. */
  private removeContainer(c: Container, done: () => void): void {
    this.d.runtime.containerStatus({ containerId: c.id }, (err, res) => {
      if (err === undefined && res!.status.logPath !== '') this.d.removeLog(res!.status.logPath);
      traceCri(this.d.sim, this.d.component, this.d.runtimeName, `RemoveContainer ${podOf(c.labels)}/${c.metadata.name} (attempt ${c.metadata.attempt})`);
      this.d.runtime.removeContainer({ containerId: c.id }, () => done());
    });
  }

  /** removeSandbox: StopPodSandbox first (in case it still runs), then RemovePodSandbox. */
  private removeSandbox(s: PodSandbox, done: () => void): void {
    const pod = `${s.metadata.namespace}/${s.metadata.name}`;
    traceCri(this.d.sim, this.d.component, this.d.runtimeName, `StopPodSandbox ${pod}`);
    this.d.runtime.stopPodSandbox({ podSandboxId: s.id }, (err) => {
      if (err !== undefined) return done();
      traceCri(this.d.sim, this.d.component, this.d.runtimeName, `RemovePodSandbox ${pod} (attempt ${s.metadata.attempt})`);
      this.d.runtime.removePodSandbox({ podSandboxId: s.id }, () => done());
    });
  }
}

function podOf(labels: Readonly<Record<string, string>>): string {
  return `${labels[POD_NAMESPACE_LABEL] ?? ''}/${labels[POD_NAME_LABEL] ?? ''}`;
}
