import { parseQuantity, value } from '../api/quantity';
import type { ContainerStats, FsStats, Summary } from '../api/stats-summary';
import { timestamp } from '../api/time';
import type { Condition, Container, Pod, PodStatus, Toleration } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import { qosClass } from '../runtime/qos-class';
import type { Simulation } from '../sim/simulation';
import { HARD_EVICTION_DEFAULTS, planEviction, type EvictionCandidate, type EvictionPlan, type EvictionSignal, type Observation, type PressureCondition, type ResourceUse } from './eviction-plan';
import { nodeReference } from './node-agent';
import { ADMIT, type PodAdmitAttributes, type PodAdmitHandler, type PodAdmitResult } from './pod-admission';

/**
 * The kubelet's eviction manager (node-pressure eviction): every 10 s it reads the node's stats
 * (the Summary API), has planEviction (eviction-plan.ts) decide, and applies the plan: the node
 * conditions it reports (MemoryPressure, DiskPressure), an `EvictionThresholdMet` Warning on the
 * Node ("Attempting to reclaim memory"), and at most one pod evicted: an `Evicted` Warning on
 * it, its containers stopped with a grace period of 1 s (a hard threshold's), its status Failed
 * with reason Evicted, the message, and a DisruptionTarget condition (TerminationByKubelet). The
 * next look comes once that pod is stopped.
 *
 *   10 s   memory.available 61Mi < 100Mi: MemoryPressure; Evicted default/hog
 *   20 s   memory.available 1650Mi: nothing to do; MemoryPressure stays True
 *   ...
 *   310 s  5 minutes since the threshold was last crossed: MemoryPressure False
 *
 * As an admit handler (the kubelet's first) it refuses new pods while the node is under pressure:
 * under MemoryPressure alone, BestEffort pods that do not tolerate the memory-pressure taint;
 * under DiskPressure, every pod. Critical pods (static, or priority 2000000000 and over) are
 * admitted and never evicted.
 */
export const MONITORING_INTERVAL_MS = 10_000;
/** immediateEvictionGracePeriodSeconds: a hard threshold's eviction (1.32; before 1.31 it was 0, which meant the pod's own). */
export const HARD_EVICTION_GRACE_SECONDS = 1;
const CRITICAL_PRIORITY = 2_000_000_000;

export interface EvictionManagerOptions {
  sim: Simulation;
  component: string;
  node: string;
  recorder: EventRecorder;
  /** The Summary API's answer now (kubelet-server.ts). */
  summary: (done: (summary: Summary) => void) => void;
  /** The pods the kubelet runs now (active: admitted, not finished, not being evicted). */
  activePods: () => readonly Readonly<Pod>[];
  /** Whether a pod is a static pod (critical, never evicted). */
  isStatic: (uid: string) => boolean;
  /** Evicts the pod through its worker; `done` once it is stopped. */
  evict: (pod: Readonly<Pod>, message: string, done: () => void) => void;
  /** Frees the disk without evicting: every dead container it may remove, then every unused image. */
  reclaimNodeLevel: (done: () => void) => void;
}

export class EvictionManager implements PodAdmitHandler {
  private conditions: PressureCondition[] = [];
  private lastObserved: Partial<Record<PressureCondition, number>> = {};
  private timer: ReturnType<Simulation['after']> | undefined;
  private stopped = false;

  constructor(private readonly o: EvictionManagerOptions) {}

  start(): void {
    this.schedule(MONITORING_INTERVAL_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.sim.cancel(this.timer);
  }

  /** Whether the node is under this pressure now (the node status' condition). */
  underPressure(condition: PressureCondition): boolean {
    return this.conditions.includes(condition);
  }

  admit({ pod }: PodAdmitAttributes): PodAdmitResult {
    if (this.conditions.length === 0 || this.critical(pod)) return ADMIT;
    if (this.conditions.length === 1 && this.conditions[0] === 'MemoryPressure') {
      if (qosClass(pod) !== 'BestEffort' || (pod.spec.tolerations ?? []).some(toleratesMemoryPressure)) return ADMIT;
    }
    return { admit: false, reason: 'Evicted', message: `The node had condition: [${this.conditions.join(' ')}]. ` };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.o.sim.after(delayMs, () => this.synchronize());
  }

  private synchronize(): void {
    const { component, node, recorder, sim } = this.o;
    this.o.summary((summary) => {
      if (this.stopped) return;
      const plan = this.plan(summary, false);
      this.conditions = plan.conditions;
      this.lastObserved = plan.lastObserved;
      if (plan.reclaim !== undefined) recorder.event(nodeReference(node), 'Warning', 'EvictionThresholdMet', `Attempting to reclaim ${plan.reclaim}`);
      if (plan.reclaimNodeLevel !== true) return this.act(plan);
      // reclaimNodeLevelResources: garbage collection first, then a second look.
      this.o.reclaimNodeLevel(() => this.o.summary((after) => {
        if (this.stopped) return;
        const again = this.plan(after, true);
        if (again.reclaim !== undefined) return this.act(again);
        sim.trace.action(sim.now(), component, 'eviction manager: able to reduce resource pressure without evicting pods.');
        this.schedule(MONITORING_INTERVAL_MS);
      }));
    });
  }

  private plan(summary: Summary, nodeReclaimed: boolean): EvictionPlan {
    const pods = candidates(this.o.activePods().filter((p) => !this.critical(p)), summary);
    return planEviction({ nowMs: this.o.sim.now(), signals: signalsOf(summary), thresholds: HARD_EVICTION_DEFAULTS, lastObserved: this.lastObserved, pods, nodeReclaimed });
  }

  /** Evicts the plan's pod, if any, and looks again once it is stopped; else in 10 s. */
  private act(plan: EvictionPlan): void {
    const { sim, component, recorder } = this.o;
    const victim = plan.evict === undefined ? undefined : this.o.activePods().find((p) => p.metadata.uid === plan.evict!.uid);
    if (victim === undefined) return this.schedule(MONITORING_INTERVAL_MS);
    const key = `${victim.metadata.namespace}/${victim.metadata.name}`;
    sim.trace.action(sim.now(), component, `eviction manager: evicting pod ${key} to reclaim ${plan.reclaim}`, { key });
    recorder.event(victim, 'Warning', 'Evicted', plan.evict!.message);
    this.o.evict(victim, plan.evict!.message, () => this.schedule(0));
  }

  private critical(pod: Readonly<Pod>): boolean {
    return this.o.isStatic(pod.metadata.uid!) || (pod.spec.priority ?? 0) >= CRITICAL_PRIORITY;
  }
}

/**
 * An evicted pod's status: the final status with phase Failed, reason Evicted, the message, and
 * the DisruptionTarget condition.
 *
 *   evictedPodStatus({ phase: 'Running', conditions: [...] }, 'The node was low on resource: memory. ...', now)
 *   // => { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory. ...',
 *   //      conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message, lastTransitionTime }, ...] }
 */
export function evictedPodStatus(status: PodStatus, message: string, previous: readonly Condition[] | undefined, nowMs: number): PodStatus {
  const before = previous?.find((c) => c.type === 'DisruptionTarget' && c.status === 'True');
  const disruption = { type: 'DisruptionTarget', status: 'True' as const, reason: 'TerminationByKubelet', message, lastTransitionTime: before?.lastTransitionTime ?? timestamp(nowMs) };
  return Object.assign({}, status, { phase: 'Failed', reason: 'Evicted', message, conditions: [disruption, ...(status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget')] });
}

/** Whether a toleration tolerates node.kubernetes.io/memory-pressure:NoSchedule (ToleratesTaint; the taint has no value). */
function toleratesMemoryPressure(t: Readonly<Toleration>): boolean {
  if (t.effect !== undefined && t.effect !== 'NoSchedule') return false;
  if (t.key === undefined || t.key === '') return t.operator === 'Exists';
  return t.key === 'node.kubernetes.io/memory-pressure' && (t.operator === 'Exists' || (t.value ?? '') === '');
}

/** The Summary's node-level signals: memory, and the node's filesystem, which is also its image filesystem. */
function signalsOf({ node }: Summary): Partial<Record<EvictionSignal, Observation>> {
  const fs = (f: FsStats) => ({ availableBytes: f.availableBytes, capacityBytes: f.capacityBytes });
  const available = node.memory.availableBytes;
  return Object.assign({}, available !== undefined ? { 'memory.available': { availableBytes: available, capacityBytes: available + node.memory.workingSetBytes } } : {}, {
    'nodefs.available': fs(node.fs),
    'imagefs.available': fs(node.runtime.imageFs),
  });
}

/**
 * The active pods the Summary has stats of, with their memory and disk use against their
 * requests. A pod's disk use is its containers' writable layers and logs plus its local volumes
 * (localVolumeNames: hostPath, an emptyDir not in memory, configMap); a container's, its layer
 * and logs. Only the app containers (spec.containers) are named in the message.
 */
function candidates(pods: readonly Readonly<Pod>[], summary: Summary): EvictionCandidate[] {
  const stats = new Map(summary.pods.map((s) => [s.podRef.uid, s]));
  return pods.flatMap((pod) => {
    const s = stats.get(pod.metadata.uid!);
    if (s === undefined) return [];
    const byName = new Map(s.containers.map((c) => [c.name, c]));
    const local = new Set((pod.spec.volumes ?? []).filter((v) => v.hostPath !== undefined || v.configMap !== undefined || (v.emptyDir !== undefined && v.emptyDir.medium !== 'Memory')).map((v) => v.name));
    const use = (resource: 'memory' | 'ephemeral-storage', used: (c: ContainerStats) => number, podUsed: number): ResourceUse => ({
      usedBytes: podUsed,
      requestBytes: podRequest(pod, resource),
      containers: pod.spec.containers.filter((c) => byName.has(c.name)).map((c) => {
        const request = c.resources?.requests?.[resource];
        return { name: c.name, usedBytes: used(byName.get(c.name)!), requestBytes: request === undefined ? 0 : value(parseQuantity(request)), request: request ?? '0' };
      }),
    });
    const diskOf = (c: ContainerStats) => (c.rootfs?.usedBytes ?? 0) + (c.logs?.usedBytes ?? 0);
    const podDisk = s.containers.reduce((sum, c) => sum + diskOf(c), 0) + (s.volume ?? []).filter((v) => local.has(v.name)).reduce((sum, v) => sum + v.usedBytes, 0);
    return [{
      uid: pod.metadata.uid!,
      priority: pod.spec.priority ?? 0,
      memory: use('memory', (c) => c.memory.workingSetBytes, s.memory.workingSetBytes),
      disk: use('ephemeral-storage', diskOf, podDisk),
    }];
  });
}

/**
 * A pod's request of a resource (resource.PodRequests): its containers' and sidecars' summed, or
 * the largest of an init container's if that is more.
 *   podRequest(pod with containers [1Gi, 512Mi] and an init container [2Gi], 'memory')  // => 2Gi
 */
function podRequest(pod: Readonly<Pod>, resource: string): number {
  const of = (c: Readonly<Container>) => {
    const q = c.resources?.requests?.[resource];
    return q === undefined ? 0 : value(parseQuantity(q));
  };
  const inits = pod.spec.initContainers ?? [];
  const running = [...pod.spec.containers, ...inits.filter((c) => c.restartPolicy === 'Always')].reduce((sum, c) => sum + of(c), 0);
  return Math.max(running, ...inits.filter((c) => c.restartPolicy !== 'Always').map(of));
}
