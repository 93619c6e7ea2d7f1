import { objectKey } from '../api/resources';
import type { Pod } from '../api/types';
import type { QueuedPodInfo } from './framework-types';
import { Heap } from './heap';

/**
 * kube-scheduler's PriorityQueue (pkg/scheduler/backend/queue/scheduling_queue.go): where
 * pending pods wait for a scheduling cycle, in three places.
 *
 *   activeQ         ready to be tried, in QueueSort order (PrioritySort: higher
 *                   spec.priority first, then the one that entered earlier);
 *   backoffQ        failed recently: waits 1 s after the first attempt, 2 s after the second,
 *                   then 4 s, 8 s, and at most 10 s, before going back to activeQ;
 *   unschedulable   no node fit last time: waits until a cluster event that could change
 *                   that (a node added, a pod deleted...), or at most 5 minutes.
 *
 *   q.add(pod)                       // => activeQ
 *   const p = q.pop()                // attempts 1
 *   q.addUnschedulable(p, cycle)     // => unschedulable, with p.unschedulablePlugins set
 *   q.moveOnEvent('NodeAdd')         // a plugin that failed it cares about NodeAdd => backoffQ (still backing off) or activeQ
 *
 * Time is passed in (`now`), and the runtime calls flushBackoffCompleted() and
 * flushUnschedulableLeftover() when they are due (kube-scheduler: every 1 s and every 30 s).
 *
 * Lab simplifications: QueueingHints are a fixed table of which events each plugin cares about
 * (EVENTS_OF_PLUGIN) rather than per-plugin functions of the event's old and new object; a
 * plugin missing from the table is woken by every event. Gated pods and nominated pods are not modelled.
 */
export type ClusterEvent = 'NodeAdd' | 'NodeUpdate' | 'NodeDelete' | 'AssignedPodAdd' | 'AssignedPodUpdate' | 'AssignedPodDelete';

const NODE_CHANGES: ClusterEvent[] = ['NodeAdd', 'NodeUpdate'];
const ASSIGNED_POD_CHANGES: ClusterEvent[] = ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete'];

/** Which cluster events can make a pod that a plugin rejected fit (each plugin's EventsToRegister). */
export const EVENTS_OF_PLUGIN: Readonly<Record<string, readonly ClusterEvent[]>> = {
  NodeUnschedulable: NODE_CHANGES,
  NodeName: ['NodeAdd'],
  TaintToleration: NODE_CHANGES,
  NodeAffinity: NODE_CHANGES,
  NodePorts: ['NodeAdd', 'AssignedPodDelete'],
  NodeResourcesFit: ['NodeAdd', 'NodeUpdate', 'AssignedPodDelete', 'AssignedPodUpdate'],
  PodTopologySpread: [...NODE_CHANGES, 'NodeDelete', ...ASSIGNED_POD_CHANGES],
  InterPodAffinity: [...NODE_CHANGES, ...ASSIGNED_POD_CHANGES],
  DefaultPreemption: ['AssignedPodDelete'],
};

export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration: after this long, an unschedulable pod is retried anyway. */
export const MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;

export interface QueueOptions {
  /** QueueSort's less (the profile's PrioritySort). */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  now: () => number;
  /** Called when a pod becomes available in activeQ. */
  onActive?: () => void;
}

/** How long a pod backs off after `attempts` tries: 1 s, 2 s, 4 s, 8 s, 10 s, 10 s ... (calculateBackoffDuration). */
export function backoffDuration(attempts: number): number {
  let duration = INITIAL_BACKOFF_MS;
  for (let i = 1; i < attempts; i++) {
    duration *= 2;
    if (duration > MAX_BACKOFF_MS) return MAX_BACKOFF_MS;
  }
  return duration;
}

export class SchedulingQueue {
  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ = new Heap<QueuedPodInfo>((a, b) => backoffExpiry(a) < backoffExpiry(b));
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet back or done, so an update meanwhile is not lost. */
  private readonly inFlight = new Set<string>();
  /** Counts pops: the scheduling cycle number. */
  private cycle = 0;
  /** The cycle during which the last move request came: pods failing in it retry via backoffQ. */
  private moveRequestCycle = -1;

  constructor(private readonly options: QueueOptions) {
    this.activeQ = new Heap<QueuedPodInfo>(options.less);
  }

  /** The scheduling cycle of the last pop. */
  get schedulingCycle(): number {
    return this.cycle;
  }

  /** How many pods wait in each part. */
  lengths(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.length, backoff: this.backoffQ.length, unschedulable: this.unschedulable.size };
  }

  /** Where a pod waits now, if it does. */
  whereIs(key: string): 'active' | 'backoff' | 'unschedulable' | 'in-flight' | undefined {
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    return this.inFlight.has(key) ? 'in-flight' : undefined;
  }

  /** A new pending pod: straight into activeQ. */
  add(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    if (this.whereIs(key) !== undefined) return;
    this.pushActive({ pod, timestamp: this.options.now(), attempts: 0, unschedulablePlugins: new Set() });
  }

  /**
   * The pending pod changed. Waiting in activeQ or backoffQ: its object is replaced. Waiting
   * as unschedulable: a change of its spec or metadata might make it fit, so it moves to
   * backoffQ or activeQ; a change of its status alone does not (isPodUpdated).
   */
  update(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    const queued = this.activeQ.get(key) ?? this.backoffQ.get(key);
    if (queued !== undefined) {
      queued.pod = pod;
      if (this.activeQ.has(key)) this.activeQ.push(key, queued);
      else this.backoffQ.push(key, queued);
      return;
    }
    const waiting = this.unschedulable.get(key);
    if (waiting !== undefined) {
      const changed = isPodUpdated(waiting.pod, pod);
      waiting.pod = pod;
      if (!changed) return; // only its status (e.g. our own PodScheduled condition) changed
      this.unschedulable.delete(key);
      this.requeue(waiting);
      return;
    }
    if (!this.inFlight.has(key)) this.add(pod);
  }

  /** The pod is gone (deleted, or bound by someone else). */
  delete(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** The next pod to schedule, or undefined; it counts one more attempt. */
  pop(): QueuedPodInfo | undefined {
    const info = this.activeQ.pop();
    if (info === undefined) return undefined;
    this.cycle++;
    info.attempts++;
    this.inFlight.add(objectKey(info.pod));
    return info;
  }

  /** The pod's scheduling cycle ended (bound, or handed back with addUnschedulable). */
  done(pod: Readonly<Pod>): void {
    this.inFlight.delete(objectKey(pod));
  }

  /**
   * The pod failed in the cycle `podCycle`. With plugins to blame (info.unschedulablePlugins):
   * unschedulable, unless a move request came during its cycle (then backoffQ, as the event
   * might already have helped). With none (an Error): backoffQ.
   */
  addUnschedulable(info: QueuedPodInfo, podCycle: number): void {
    const key = objectKey(info.pod);
    if (!this.inFlight.has(key)) return; // deleted while it was being scheduled
    this.inFlight.delete(key);
    info.timestamp = this.options.now();
    if (info.unschedulablePlugins.size === 0 || this.moveRequestCycle >= podCycle) this.backoffQ.push(key, info);
    else this.unschedulable.set(key, info);
  }

  /** A cluster event: every unschedulable pod that a plugin interested in it rejected moves on. */
  moveOnEvent(event: ClusterEvent): void {
    for (const [key, info] of [...this.unschedulable]) {
      if (!isRelevant(info, event)) continue;
      this.unschedulable.delete(key);
      this.requeue(info);
    }
    this.moveRequestCycle = this.cycle;
  }

  /** Moves the pods whose backoff has ended to activeQ (flushBackoffQCompleted). */
  flushBackoffCompleted(): void {
    const now = this.options.now();
    for (let next = this.backoffQ.peek(); next !== undefined && backoffExpiry(next) <= now; next = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.pushActive(next);
    }
  }

  /** Retries the pods that have been unschedulable for MAX_IN_UNSCHEDULABLE_MS (flushUnschedulablePodsLeftover). */
  flushUnschedulableLeftover(): void {
    const now = this.options.now();
    for (const [key, info] of [...this.unschedulable]) {
      if (now - info.timestamp < MAX_IN_UNSCHEDULABLE_MS) continue;
      this.unschedulable.delete(key);
      this.requeue(info);
    }
  }

  /** When the first pod in backoffQ is due, if any. */
  nextBackoffExpiry(): number | undefined {
    const next = this.backoffQ.peek();
    return next === undefined ? undefined : backoffExpiry(next);
  }

  private requeue(info: QueuedPodInfo): void {
    if (backoffExpiry(info) > this.options.now()) this.backoffQ.push(objectKey(info.pod), info);
    else this.pushActive(info);
  }

  private pushActive(info: QueuedPodInfo): void {
    this.activeQ.push(objectKey(info.pod), info);
    this.options.onActive?.();
  }
}

function backoffExpiry(info: QueuedPodInfo): number {
  return info.timestamp + backoffDuration(info.attempts);
}

function isRelevant(info: QueuedPodInfo, event: ClusterEvent): boolean {
  if (info.unschedulablePlugins.size === 0) return true;
  for (const plugin of info.unschedulablePlugins) {
    const events = EVENTS_OF_PLUGIN[plugin];
    if (events === undefined || events.includes(event)) return true;
  }
  return false;
}

/** Whether anything but the status and resourceVersion changed (kube-scheduler's isPodUpdated). */
function isPodUpdated(old: Readonly<Pod>, pod: Readonly<Pod>): boolean {
  const strip = (p: Readonly<Pod>) => JSON.stringify({ metadata: { ...p.metadata, resourceVersion: undefined, generation: undefined, managedFields: undefined }, spec: p.spec });
  return strip(old) !== strip(pod);
}
