import { objectKey } from '../api/resources';
import { timestamp } from '../api/time';
import type { Condition, Node, PersistentVolumeClaim, Pod, StorageClass } from '../api/types';
import type { Client } from '../client/client';
import { EventRecorder } from '../client/event-recorder';
import { Informer } from '../client/informer';
import { electionIdentity, LeaderElector } from '../client/leader-elector';
import type { Simulation } from '../sim/simulation';
import type { SchedulerCode } from './scheduler-code';
import { SchedulerCache } from './cache';
import { DecisionLog } from './decision-record';
import { EVENT_ASSIGNED_POD_DELETE, isSamePod, type ClusterEvent } from './cluster-events';
import { addAllEventHandlers } from './event-handlers';
import { Framework, type Profile } from './framework';
import type { CycleState, QueuedPodInfo, Status } from './framework-types';
import { defaultProfile, DEFAULT_SCHEDULER_NAME, type ProfileOptions } from './profiles';
import { QueueFlushes } from './queue-flushes';
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
 * Cluster events reach the queue and the cache as event-handlers.ts tells.
 *
 * With leaderElection (the cluster's scheduler, --leader-elect=true as kubeadm runs it), start()
 * starts the informers, waits for their caches, then joins the election for the Lease
 * kube-system/kube-scheduler: it fills its queue and cache meanwhile, but schedules only once it
 * holds the Lease (sched.Run), and exits if it cannot renew it ("Leaderelection lost").
 *
 * Lab simplifications: a Permit Wait is never allowed early by another plugin (it is rejected when
 * its timeout runs out, even if the pod was deleted meanwhile); a scheduling cycle takes no virtual
 * time; victims of preemption are deleted at once, without the pod being nominated in its status;
 * a pod stays in flight (its events recorded) until Bind answers, where kube-scheduler calls Done
 * once PreBind has passed; a StorageClass informer (VolumeBinding reads which classes wait for their
 * first consumer) but no PersistentVolume or CSI informers, and no cluster events from StorageClasses.
 */
export const SCHEDULER = 'kube-scheduler';
/** How often cache.WaitForCacheSync checks whether the informers have listed (syncedPollPeriod). */
const SYNCED_POLL_MS = 100;

export interface SchedulerOptions {
  /** One per schedulerName (default: one default profile). */
  profiles?: Omit<ProfileOptions, 'client' | 'claims' | 'classes' | 'after' | 'code' | 'reference'>[];
  /** The exercises' pure functions its plugins call (scheduler-code.ts): the reference or the learner's. */
  code: SchedulerCode;
  /** Their references, for plugins that borrow another exercise's logic (default: code). */
  reference?: SchedulerCode;
  /**
   * How many decision records to keep, the most recent pods' (default 100; 0: none, faster).
   * A record holds every node's verdicts, so keeping one per pod of a large cluster would cost
   * memory in pods times nodes.
   */
  recordDecisions?: number;
  /**
   * Elect a leader through the Lease kube-system/kube-scheduler, as the cluster's scheduler
   * does; `hostname` begins its identity. Left out, it schedules from start(), like a second
   * scheduler of another name, which Kubernetes' guide runs with leaderElect: false.
   */
  leaderElection?: { hostname: string };
}

export class Scheduler {
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  readonly claims: Informer<PersistentVolumeClaim>;
  readonly classes: Informer<StorageClass>;
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  /** One framework per profile, by schedulerName. */
  readonly frameworks = new Map<string, Framework>();
  /** Why each recent pod went where it did (see decision-record.ts). */
  readonly decisions: DecisionLog;
  /** Its part in the election for kube-system/kube-scheduler (with leaderElection). */
  readonly elector: LeaderElector | undefined;
  private readonly recorders = new Map<string, EventRecorder>();
  private readonly recordDecisions: boolean;
  private readonly flushes: QueueFlushes;
  private loopArmed = false;
  /** Whether the scheduling loop runs (sched.Run): from start(), or once it leads. */
  private scheduling = false;
  private exited = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    options: SchedulerOptions,
  ) {
    this.pods = new Informer<Pod>(sim, client, { resource: 'pods' });
    this.nodes = new Informer<Node>(sim, client, { resource: 'nodes' });
    this.claims = new Informer<PersistentVolumeClaim>(sim, client, { resource: 'persistentvolumeclaims' });
    this.classes = new Informer<StorageClass>(sim, client, { resource: 'storageclasses' });
    const claims = (namespace: string, name: string) => this.claims.lister.get(`${namespace}/${name}`);
    const classes = (name: string) => this.classes.lister.get(name);
    const after = (ms: number, fn: () => void) => void sim.after(ms, () => !this.exited && fn());
    const selectHost = options.code['select-host'];
    const profiles: Profile[] = (options.profiles ?? [{}]).map((p) => defaultProfile(Object.assign({}, p, { client, claims, classes, after, code: options.code, reference: options.reference })));
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
    this.flushes = new QueueFlushes(sim, this.queue);
    this.recordDecisions = (options.recordDecisions ?? 100) > 0;
    this.decisions = new DecisionLog(Math.max(1, options.recordDecisions ?? 100));
    addAllEventHandlers(this, {
      cache: this.cache,
      queue: this.queue,
      responsibleFor: (pod) => this.responsibleFor(pod),
      move: (event, oldObj, newObj) => this.move(event, oldObj, newObj),
      armFlushes: () => this.flushes.arm(),
    });
    const election = options.leaderElection;
    this.elector =
      election &&
      new LeaderElector(sim, client, {
        lease: SCHEDULER,
        identity: electionIdentity(sim, client.component, election.hostname),
        // Its events come from the first profile's scheduler name (default-scheduler).
        recorder: this.recorders.values().next().value!,
        onStartedLeading: () => this.run(),
        onStoppedLeading: () => {
          sim.trace.error(sim.now(), client.component, 'Leaderelection lost');
          this.exit();
        },
      });
  }

  /** Starts the informers; schedules at once, or once their caches are synced and it leads. */
  start(): void {
    this.pods.start();
    this.nodes.start();
    this.claims.start();
    this.classes.start();
    const elector = this.elector;
    if (elector === undefined) this.run();
    else this.waitForCacheSync(() => elector.run());
  }

  /** The process dies (a crash, a kill): it schedules and renews nothing more. */
  stop(): void {
    if (this.exited) return;
    this.sim.trace.action(this.sim.now(), this.client.component, 'stopped: the process exits');
    this.exit();
  }

  hasSynced(): boolean {
    return this.pods.hasSynced() && this.nodes.hasSynced() && this.claims.hasSynced() && this.classes.hasSynced();
  }

  /** Whether it schedules: it leads (or runs without an election) and is alive (kube-scheduler's isLeader). */
  isLeader(): boolean {
    return this.scheduling;
  }

  /** Whether some profile of this scheduler serves the pod (its spec.schedulerName). */
  responsibleFor(pod: Readonly<Pod>): boolean {
    return this.frameworks.has(pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME);
  }

  /** MoveAllToActiveOrBackoffQueue, then the flushes for whatever moved. */
  private move(event: ClusterEvent, oldObj: unknown, newObj: unknown, preCheck?: (pod: Readonly<Pod>) => boolean): void {
    this.queue.moveAllToActiveOrBackoffQueue(event, oldObj, newObj, preCheck);
    this.flushes.arm();
  }

  // ---- the process ----

  /** cache.WaitForCacheSync: checks at once, then every 100 ms. */
  private waitForCacheSync(then: () => void): void {
    if (this.exited) return;
    if (this.hasSynced()) return then();
    this.sim.after(SYNCED_POLL_MS, () => this.waitForCacheSync(then));
  }

  /** sched.Run: the queue's flushes and the scheduling loop start. */
  private run(): void {
    this.scheduling = true;
    this.flushes.start();
    this.armLoop();
  }

  /** The process is gone: informers stopped, loops stopped, nothing more reaches the API server. */
  private exit(): void {
    this.exited = true;
    this.scheduling = false;
    this.elector?.stop();
    for (const informer of [this.pods, this.nodes, this.claims, this.classes]) informer.stop();
    this.flushes.stop();
    this.client.close();
  }

  // ---- the scheduling loop ----

  /** Schedules the next pod as a new event of the simulation, so informer events interleave with cycles. */
  private armLoop(): void {
    if (this.loopArmed || !this.scheduling) return;
    this.loopArmed = true;
    this.sim.after(0, () => {
      this.loopArmed = false;
      if (!this.scheduling) return;
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
      this.decisions.add(outcome.record, outcome.record.rowCount);
    }
    if (outcome.kind === 'error') return this.fail(info, 'SchedulerError', outcome.message, new Set());
    if (outcome.kind === 'unschedulable') {
      if (outcome.nominatedNodeName !== undefined) this.preempt(current, outcome.nominatedNodeName, outcome.victims ?? []);
      return this.fail(info, 'Unschedulable', outcome.message, outcome.plugins);
    }
    const node = outcome.node;
    const assumed: Pod = Object.assign({}, current, { spec: Object.assign({}, current.spec, { nodeName: node }) });
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
      this.sim.after(timeout, () => this.scheduling && this.bindingCycleFailed(fw, outcome.state, info, assumed, rejected));
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
    this.flushes.arm();
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
}

function statusMessage(status: Status): string {
  return status.reasons.join(', ');
}

/** Unschedulable or UnschedulableAndUnresolvable: the pod was turned away, by a plugin to blame (Status.IsRejected). */
function isRejected(status: Status): boolean {
  return status.code === 'Unschedulable' || status.code === 'UnschedulableAndUnresolvable';
}
