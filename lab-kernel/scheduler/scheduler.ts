import { objectKey } from '../api/resources';
import { timestamp } from '../api/time';
import type { Condition, Node, PersistentVolumeClaim, Pod } from '../api/types';
import type { Client } from '../client/client';
import { EventRecorder } from '../client/event-recorder';
import { Informer } from '../client/informer';
import type { Simulation, Timer } from '../sim/simulation';
import type { SchedulerCode } from './scheduler-code';
import { SchedulerCache } from './cache';
import { DecisionLog } from './decision-record';
import {
  EVENT_ASSIGNED_POD_ADD,
  EVENT_ASSIGNED_POD_DELETE,
  EVENT_NODE_ADD,
  EVENT_NODE_DELETE,
  isSamePod,
  nodeSchedulingPropertiesChange,
  podSchedulingPropertiesChange,
  UPDATE_ACTIONS,
  type ClusterEvent,
} from './cluster-events';
import { Framework, type Profile } from './framework';
import type { CycleState, QueuedPodInfo, Status } from './framework-types';
import { defaultProfile, DEFAULT_SCHEDULER_NAME, type ProfileOptions } from './profiles';
import { buildQueueingHintMap, enqueueExtensionPlugins } from './queueing-hint-map';
import { SchedulingQueue } from './scheduling-queue';

/**
 * The scheduler's runtime, after kube-scheduler (pkg/scheduler/scheduler.go, schedule_one.go,
 * eventhandlers.go): informers feed the queue and the cache; one pod at a time goes through a
 * scheduling cycle, then its binding cycle runs on its own while the next pod is scheduled.
 *
 *   const scheduler = new Scheduler(sim, client);                 // the default profile
 *   const two = new Scheduler(sim, client, { profiles: [{}, { schedulerName: 'batch-scheduler' }] });
 *   scheduler.start();
 *
 *   pending pod => queue (activeQ)
 *   scheduling cycle: pop -> snapshot -> Framework.schedulePod -> assume in the cache -> Reserve -> Permit
 *   binding cycle:    PreBind -> Bind (POST pods/<name>/binding) -> Event "Scheduled"
 *   no node fits:     Warning FailedScheduling "0/3 nodes are available: ...", pod condition
 *                     PodScheduled=False reason Unschedulable, and the pod waits in the queue
 *
 * A pod is served by the profile whose schedulerName equals its spec.schedulerName; a pod whose
 * schedulerName no profile has is left alone (it stays Pending, as with no such scheduler running).
 *
 * Cluster events reach the queue as eventhandlers.go sends them (QueueingHints on, as in 1.32):
 *   node added / deleted                 Node Add / Node Delete
 *   node updated                         one move per nodeSchedulingPropertiesChange event
 *                                        (uncordon and taints: UpdateNodeTaint; allocatable, labels,
 *                                        condition statuses, annotations); anything else: none
 *   bound pod added (a bind, too)        AssignedPod Add
 *   bound pod updated                    one move per podSchedulingPropertiesChange event
 *   bound pod deleted or finished        AssignedPod Delete
 *   claim added / updated / deleted      PersistentVolumeClaim Add / Update / Delete
 *   assumed pod forgotten after a        AssignedPod Delete
 *   binding-cycle failure
 *   pending pod updated                  only that pod's own hints (SchedulingQueue.update)
 *
 * Lab simplifications: a Permit Wait is never allowed early by another plugin (it is rejected when
 * its timeout runs out, even if the pod was deleted meanwhile); a scheduling cycle takes no virtual
 * time; victims of preemption are deleted at once, without the pod being nominated in its status;
 * a pod stays in flight (its events recorded) until Bind answers, where kube-scheduler calls Done
 * once PreBind has passed; no PersistentVolume, StorageClass or CSI informers, so none of their events.
 */
export const SCHEDULER = 'kube-scheduler';
/** How often unschedulable pods are checked against MAX_IN_UNSCHEDULABLE_MS (flushUnschedulablePodsLeftover). */
const LEFTOVER_FLUSH_MS = 30_000;
/** How often the backoff queue is checked (flushBackoffQCompleted). */
const BACKOFF_FLUSH_MS = 1_000;

export interface SchedulerOptions {
  /** One per schedulerName (default: one default profile). */
  profiles?: Omit<ProfileOptions, 'client' | 'claims' | 'code' | 'reference'>[];
  /** The exercises' pure functions its plugins call (scheduler-code.ts): the reference or the learner's. */
  code: SchedulerCode;
  /** Their references, for plugins that borrow another exercise's logic (default: code). */
  reference?: SchedulerCode;
  /** How many decision records to keep, the most recent pods' (default 1000; 0: none, faster). */
  recordDecisions?: number;
}

export class Scheduler {
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  readonly claims: Informer<PersistentVolumeClaim>;
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  /** One framework per profile, by schedulerName. */
  readonly frameworks = new Map<string, Framework>();
  /** Why each recent pod went where it did (see decision-record.ts). */
  readonly decisions: DecisionLog;
  private readonly recorders = new Map<string, EventRecorder>();
  private readonly recordDecisions: boolean;
  private loopArmed = false;
  private backoffTimer: Timer | undefined;
  private leftoverTimer: Timer | undefined;
  /** When start() ran: the periodic flushes tick from then on. */
  private startedAt = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    options: SchedulerOptions,
  ) {
    this.pods = new Informer<Pod>(sim, client, { resource: 'pods' });
    this.nodes = new Informer<Node>(sim, client, { resource: 'nodes' });
    this.claims = new Informer<PersistentVolumeClaim>(sim, client, { resource: 'persistentvolumeclaims' });
    const claims = (namespace: string, name: string) => this.claims.lister.get(`${namespace}/${name}`);
    const selectHost = options.code['select-host'];
    const profiles: Profile[] = (options.profiles ?? [{}]).map((p) => defaultProfile({ ...p, client, claims, code: options.code, reference: options.reference }));
    for (const profile of profiles) {
      if (this.frameworks.has(profile.schedulerName)) throw new Error(`duplicate profile for scheduler name "${profile.schedulerName}"`);
      this.frameworks.set(profile.schedulerName, new Framework(profile, selectHost, sim.rng(`${client.component}/${profile.schedulerName}`)));
      this.recorders.set(profile.schedulerName, new EventRecorder(sim, client, { component: profile.schedulerName }));
    }
    const first = this.frameworks.values().next().value!;
    const hintMaps = new Map([...this.frameworks].map(([name, fw]) => [name, buildQueueingHintMap(enqueueExtensionPlugins(fw.plugins), fw.extenderNames)]));
    this.queue = new SchedulingQueue({
      less: (a, b) => first.plugins.queueSort.less(a, b),
      now: () => sim.now(),
      hintMaps,
      profileOf: (pod) => pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME,
      onActive: () => this.armLoop(),
    });
    this.recordDecisions = (options.recordDecisions ?? 1000) > 0;
    this.decisions = new DecisionLog(Math.max(1, options.recordDecisions ?? 1000));
    this.pods.addEventHandler({ onAdd: (p) => this.onPodAdd(p), onUpdate: (o, p) => this.onPodUpdate(o, p), onDelete: (p) => this.onPodDelete(p) });
    this.nodes.addEventHandler({
      onAdd: (n) => {
        this.cache.addNode(n);
        this.move(EVENT_NODE_ADD, undefined, n);
      },
      onUpdate: (o, n) => {
        this.cache.updateNode(n);
        for (const event of nodeSchedulingPropertiesChange(o, n)) this.move(event, o, n);
      },
      onDelete: (n) => {
        this.move(EVENT_NODE_DELETE, n, undefined);
        this.cache.removeNode(n);
      },
    });
    this.claims.addEventHandler({
      onAdd: (c) => this.move({ resource: 'PersistentVolumeClaim', actions: ['Add'] }, undefined, c),
      onUpdate: (o, c) => this.move({ resource: 'PersistentVolumeClaim', actions: UPDATE_ACTIONS }, o, c),
      onDelete: (c) => this.move({ resource: 'PersistentVolumeClaim', actions: ['Delete'] }, c, undefined),
    });
  }

  start(): void {
    this.startedAt = this.sim.now();
    this.pods.start();
    this.nodes.start();
    this.claims.start();
  }

  hasSynced(): boolean {
    return this.pods.hasSynced() && this.nodes.hasSynced() && this.claims.hasSynced();
  }

  /** Whether some profile of this scheduler serves the pod (its spec.schedulerName). */
  responsibleFor(pod: Readonly<Pod>): boolean {
    return this.frameworks.has(pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME);
  }

  // ---- informer events (eventhandlers.go) ----

  // A finished pod (Succeeded or Failed) is out of the scheduler's view, as kube-scheduler's pod
  // informer lists only pods that are not: becoming finished is its deletion.

  private onPodAdd(pod: Readonly<Pod>): void {
    if (isTerminal(pod)) return;
    if (pod.spec.nodeName) {
      this.cache.addPod(pod);
      this.move(EVENT_ASSIGNED_POD_ADD, undefined, pod);
    } else if (this.responsibleFor(pod) && !pod.metadata.deletionTimestamp) this.queue.add(pod);
  }

  private onPodUpdate(old: Readonly<Pod>, pod: Readonly<Pod>): void {
    if (isTerminal(old)) return;
    if (isTerminal(pod)) return this.onPodDelete(old);
    if (pod.spec.nodeName) {
      if (!old.spec.nodeName) {
        // Bound (by us or anyone): gone from the pending pods, added to the assigned ones.
        this.queue.delete(pod);
        this.cache.addPod(pod);
        this.move(EVENT_ASSIGNED_POD_ADD, undefined, pod);
        return;
      }
      this.cache.updatePod(pod);
      for (const event of podSchedulingPropertiesChange(old, pod)) this.move(event, old, pod);
    } else if (this.responsibleFor(pod)) {
      if (pod.metadata.deletionTimestamp) this.queue.delete(pod);
      else if (!this.cache.isAssumed(objectKey(pod))) {
        this.queue.update(old, pod);
        // An update may have moved it to the backoff queue: make sure that queue is flushed.
        this.armFlushes();
      }
    }
  }

  private onPodDelete(pod: Readonly<Pod>): void {
    if (isTerminal(pod)) return;
    if (pod.spec.nodeName) {
      this.cache.removePod(pod);
      this.move(EVENT_ASSIGNED_POD_DELETE, pod, undefined);
    } else this.queue.delete(pod);
  }

  /** MoveAllToActiveOrBackoffQueue, then the flushes for whatever moved. */
  private move(event: ClusterEvent, oldObj: unknown, newObj: unknown, preCheck?: (pod: Readonly<Pod>) => boolean): void {
    this.queue.moveAllToActiveOrBackoffQueue(event, oldObj, newObj, preCheck);
    this.armFlushes();
  }

  // ---- the scheduling loop ----

  /** Schedules the next pod as a new event of the simulation, so informer events interleave with cycles. */
  private armLoop(): void {
    if (this.loopArmed) return;
    this.loopArmed = true;
    this.sim.after(0, () => {
      this.loopArmed = false;
      const info = this.queue.pop();
      if (info === undefined) return;
      this.scheduleOne(info);
      if (this.queue.lengths().active > 0) this.armLoop();
    });
  }

  /** One scheduling cycle (scheduleOne), then the binding cycle in the background. */
  private scheduleOne(info: QueuedPodInfo): void {
    const key = objectKey(info.pod);
    const current = this.pods.lister.get(key);
    if (current === undefined || current.spec.nodeName || current.metadata.deletionTimestamp) {
      this.queue.done(info.pod);
      return;
    }
    info.pod = current;
    const name = current.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    const fw = this.frameworks.get(name)!;
    const outcome = fw.schedulePod(current, this.cache.updateSnapshot(), this.recordDecisions);
    if (outcome.kind !== 'error' && outcome.record !== undefined) {
      outcome.record.at = this.sim.now();
      this.decisions.add(outcome.record);
    }
    if (outcome.kind === 'error') return this.fail(info, 'SchedulerError', outcome.message, new Set());
    if (outcome.kind === 'unschedulable') {
      if (outcome.nominatedNodeName !== undefined) this.preempt(current, outcome.nominatedNodeName, outcome.victims ?? []);
      return this.fail(info, 'Unschedulable', outcome.message, outcome.plugins);
    }
    const node = outcome.node;
    const assumed: Pod = { ...current, spec: { ...current.spec, nodeName: node } };
    this.cache.assumePod(assumed);
    this.sim.trace.action(this.sim.now(), this.client.component, `schedule ${key} -> ${node} (${outcome.evaluatedNodes} nodes evaluated, ${outcome.feasibleNodes} feasible)`);
    const reserved = fw.runReserve(outcome.state, assumed, node);
    if (reserved.code !== 'Success') {
      // runReserve has run Unreserve already; forgetting in the scheduling cycle is no cluster event.
      this.cache.forgetPod(assumed);
      return this.failWith(info, reserved);
    }
    const permit = fw.runPermit(outcome.state, assumed, node);
    if (permit.status.code !== 'Success' && permit.status.code !== 'Wait') {
      fw.runUnreserve(outcome.state, assumed, node);
      this.cache.forgetPod(assumed);
      return this.failWith(info, permit.status);
    }
    if (permit.status.code === 'Wait') {
      // Nothing can allow a waiting pod in the lab: the waiting plugin rejects it when its wait times out.
      const timeout = permit.timeoutMs ?? 0;
      const plugin = permit.status.plugin;
      const rejected: Status = { code: 'Unschedulable', reasons: [`rejected due to timeout after waiting ${timeout / 1000}s at plugin ${plugin}`], plugin };
      this.sim.after(timeout, () => this.bindingCycleFailed(fw, outcome.state, info, assumed, rejected));
      return;
    }
    this.bindingCycle(fw, outcome.state, info, assumed);
  }

  /** PreBind, then Bind; a failure undoes the assumption and retries the pod (bindingCycle). */
  private bindingCycle(fw: Framework, state: CycleState, info: QueuedPodInfo, assumed: Readonly<Pod>): void {
    const node = assumed.spec.nodeName!;
    fw.runPreBind(state, assumed, node, (pre) => {
      if (pre.code !== 'Success') return this.bindingCycleFailed(fw, state, info, assumed, pre);
      fw.runBind(state, assumed, node, (bound) => {
        if (bound.code !== 'Success') return this.bindingCycleFailed(fw, state, info, assumed, bound);
        this.queue.done(assumed);
        this.recorders.get(fw.schedulerName)!.event(assumed, 'Normal', 'Scheduled', `Successfully assigned ${objectKey(assumed)} to ${node}`);
      });
    });
  }

  /**
   * handleBindingCycleError: Unreserve, forget the assumed pod (its room is free again: an
   * AssignedPod Delete for the other pods), and fail the pod. After a rejection the event comes
   * after the failure and leaves the pod itself out, which its own hints would otherwise
   * requeue at once; after an error, first.
   */
  private bindingCycleFailed(fw: Framework, state: CycleState, info: QueuedPodInfo, assumed: Readonly<Pod>, status: Status): void {
    fw.runUnreserve(state, assumed, assumed.spec.nodeName!);
    this.cache.forgetPod(assumed);
    if (!isRejected(status)) this.move(EVENT_ASSIGNED_POD_DELETE, assumed, undefined);
    this.failWith(info, status);
    if (isRejected(status)) this.move(EVENT_ASSIGNED_POD_DELETE, assumed, undefined, (pod) => !isSamePod(pod, assumed));
  }

  /** fail() for a plugin's status: a rejection blames its plugin (reason Unschedulable); an Error blames none. */
  private failWith(info: QueuedPodInfo, status: Status): void {
    if (isRejected(status)) this.fail(info, 'Unschedulable', statusMessage(status), new Set([status.plugin ?? '']));
    else this.fail(info, 'SchedulerError', statusMessage(status), new Set());
  }

  /**
   * handleSchedulingFailure: back to the queue (unschedulable or backoff, as the rejectors'
   * hints say of the events during its cycle), a Warning FailedScheduling event, and the
   * condition PodScheduled=False with the same message.
   */
  private fail(info: QueuedPodInfo, reason: 'Unschedulable' | 'SchedulerError', message: string, plugins: Set<string>): void {
    const pod = info.pod;
    const key = objectKey(pod);
    info.unschedulablePlugins = plugins;
    this.queue.addUnschedulable(info);
    this.armFlushes();
    this.sim.trace.error(this.sim.now(), this.client.component, `${key}: ${message}`);
    if (this.pods.lister.get(key) === undefined) return; // deleted meanwhile
    const name = pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.recorders.get(name)!.event(pod, 'Warning', 'FailedScheduling', message);
    this.setPodScheduledFalse(pod, reason, message);
  }

  /** Patches the pod's PodScheduled condition, unless it already says exactly that (updatePod). */
  private setPodScheduledFalse(pod: Readonly<Pod>, reason: string, message: string): void {
    const conditions = pod.status?.conditions ?? [];
    const old = conditions.find((c) => c.type === 'PodScheduled');
    if (old?.status === 'False' && old.reason === reason && old.message === message) return;
    const condition: Condition = {
      type: 'PodScheduled',
      status: 'False',
      lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : timestamp(this.sim.now()),
      reason,
      message,
    };
    const body = { status: { conditions: [...conditions.filter((c) => c.type !== 'PodScheduled'), condition] } };
    const { namespace, name } = pod.metadata;
    this.client.request({ verb: 'patch', resource: 'pods', subresource: 'status', namespace, name, patchType: 'application/merge-patch+json', body }, (res) => {
      if (res.code >= 300) this.sim.trace.error(this.sim.now(), this.client.component, `updating the status of ${objectKey(pod)} failed (${res.code})`);
    });
  }

  /** Deletes the victims DefaultPreemption chose, each with a Preempted event. */
  private preempt(pod: Readonly<Pod>, node: string, victims: readonly Readonly<Pod>[]): void {
    const recorder = this.recorders.get(pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME)!;
    for (const v of victims) {
      recorder.event(v, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata.uid} on node ${node}`);
      this.client.request({ verb: 'delete', resource: 'pods', namespace: v.metadata.namespace, name: v.metadata.name }, () => {});
    }
    this.sim.trace.action(this.sim.now(), this.client.component, `preempt ${victims.length} pod(s) on ${node} for ${objectKey(pod)}`);
  }

  /** Arms the periodic flushes while there are pods for them (kube-scheduler runs them forever). */
  private armFlushes(): void {
    const { backoff, unschedulable } = this.queue.lengths();
    if (backoff > 0 && this.backoffTimer === undefined) {
      this.backoffTimer = this.sim.after(this.untilNextTick(BACKOFF_FLUSH_MS), () => {
        this.backoffTimer = undefined;
        this.queue.flushBackoffCompleted();
        this.armFlushes();
      });
    }
    if (unschedulable > 0 && this.leftoverTimer === undefined) {
      this.leftoverTimer = this.sim.after(this.untilNextTick(LEFTOVER_FLUSH_MS), () => {
        this.leftoverTimer = undefined;
        this.queue.flushUnschedulableLeftover();
        this.armFlushes();
      });
    }
  }

  /**
   * How long until the next tick of a loop that has run every `periodMs` since the scheduler
   * started (kube-scheduler's wait.Until loops run from its start, whatever the queue holds):
   * the lab arms a timer only while there are pods for it, on the same beat.
   */
  private untilNextTick(periodMs: number): number {
    return periodMs - ((this.sim.now() - this.startedAt) % periodMs);
  }
}

function isTerminal(pod: Readonly<Pod>): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function statusMessage(status: Status): string {
  return status.reasons.join(', ');
}

/** Unschedulable or UnschedulableAndUnresolvable: the pod was turned away, by a plugin to blame (Status.IsRejected). */
function isRejected(status: Status): boolean {
  return status.code === 'Unschedulable' || status.code === 'UnschedulableAndUnresolvable';
}
