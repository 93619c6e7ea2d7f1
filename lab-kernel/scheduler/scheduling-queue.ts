import { objectKey } from '../api/resources';
import type { Pod } from '../api/types';
import { EVENT_UNSCHEDULABLE_TIMEOUT, eventLabel, podSchedulingPropertiesChange, type ClusterEvent } from './cluster-events';
import type { QueuedPodInfo } from './framework-types';
import { Heap } from './heap';
import { isEventOfInterest, isPodWorthRequeuing, type QueueingHintMaps, type QueueingStrategy } from './queueing-hint-map';

/**
 * kube-scheduler's PriorityQueue (pkg/scheduler/backend/queue/scheduling_queue.go, 1.32 with
 * QueueingHints on): where pending pods wait for a scheduling cycle, in three places.
 *
 *   activeQ         ready to be tried, in QueueSort order (PrioritySort: higher
 *                   spec.priority first, then the one that entered earlier);
 *   backoffQ        failed recently: waits 1 s after the first attempt, 2 s after the second,
 *                   then 4 s, 8 s, and at most 10 s, before going back to activeQ;
 *   unschedulable   rejected by some plugins: waits until one of them says an event may
 *                   help (its QueueingHint returns Queue), or at most 5 minutes.
 *
 *   q.add(pod)                                       // => activeQ
 *   const p = q.pop()                                // attempts 1, in flight
 *   p.unschedulablePlugins = new Set(['NodeResourcesFit']); q.addUnschedulable(p)
 *                                                    // => unschedulable (no event meanwhile said Queue)
 *   q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actions: ['UpdateNodeLabel'] }, old, node)
 *                                                    // => stays: NodeResourcesFit did not register label changes
 *   q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actions: ['UpdateNodeAllocatable'] }, old, bigger)
 *                                                    // => backoffQ (still backing off) or activeQ, if it fits `bigger`
 *
 * While a pod is being scheduled (popped, not yet done), every event of interest is recorded;
 * if the pod then fails, those events are replayed against its rejectors, and any Queue sends
 * it to backoffQ instead of unschedulable: an event that came during its cycle is not lost.
 *
 * Time is passed in (`now`), and the runtime calls flushBackoffCompleted() and
 * flushUnschedulableLeftover() when they are due (kube-scheduler: every 1 s and every 30 s).
 *
 * Lab simplifications: no PreEnqueue plugins or scheduling gates, no Pending plugins (so no
 * queueImmediately), no Activate, no nominated pods, no asynchronous preemption.
 */
export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration: after longer than this, an unschedulable pod is retried anyway. */
export const MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;

export interface QueueOptions {
  /** QueueSort's less (the profile's PrioritySort). */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  now: () => number;
  /** Each profile's QueueingHintMap, by schedulerName. */
  hintMaps: QueueingHintMaps;
  /** The profile (schedulerName) a pod belongs to. */
  profileOf: (pod: Readonly<Pod>) => string;
  /** Called when a pod becomes available in activeQ. */
  onActive?: () => void;
}

/** How long a pod backs off after `attempts` tries: 0 before any, then 1 s, 2 s, 4 s, 8 s, 10 s, 10 s ... (calculateBackoffDuration). */
export function backoffDuration(attempts: number): number {
  if (attempts === 0) return 0;
  let duration = INITIAL_BACKOFF_MS;
  for (let i = 1; i < attempts; i++) {
    duration *= 2;
    if (duration > MAX_BACKOFF_MS) return MAX_BACKOFF_MS;
  }
  return duration;
}

/** An event recorded while pods were in flight, after the pods popped before it. */
interface InFlightEvent {
  seq: number;
  event: ClusterEvent;
  oldObj: unknown;
  newObj: unknown;
}

export class SchedulingQueue {
  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ = new Heap<QueuedPodInfo>((a, b) => backoffExpiry(a) < backoffExpiry(b));
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet done, each with the sequence number of its pop (inFlightPods). */
  private readonly inFlightPods = new Map<string, number>();
  /** Events since the oldest in-flight pod's pop (inFlightEvents). */
  private inFlightEvents: InFlightEvent[] = [];
  private seq = 0;
  /** Counts pops: the scheduling cycle number. */
  private cycle = 0;

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
    return this.inFlightPods.has(key) ? 'in-flight' : undefined;
  }

  /** The events recorded for pods in flight, oldest first, by eventLabel. */
  inFlightEventLabels(): string[] {
    return this.inFlightEvents.map((e) => eventLabel(e.event));
  }

  /** A new pending pod: straight into activeQ. */
  add(pod: Readonly<Pod>): void {
    if (this.whereIs(objectKey(pod)) !== undefined) return;
    this.pushActive(newInfo(pod, this.options.now()));
  }

  /**
   * The pending pod changed (Update). Only its own QueueingHints run, for the events of
   * podSchedulingPropertiesChange (resource UnschedulablePod): the update of one pending pod
   * never moves another.
   *   in flight       => its events are recorded, for when its cycle ends;
   *   activeQ/backoff => its object is replaced;
   *   unschedulable   => each event, until one moves it: a rejector's Queue sends it to
   *                      backoffQ or activeQ; otherwise it stays (e.g. a status-only change);
   *   nowhere         => activeQ.
   */
  update(old: Readonly<Pod>, pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    const events = podSchedulingPropertiesChange(old, pod);
    if (this.inFlightPods.has(key)) {
      for (const event of events) this.inFlightEvents.push({ seq: ++this.seq, event, oldObj: old, newObj: pod });
      return;
    }
    const queued = this.activeQ.get(key) ?? this.backoffQ.get(key);
    if (queued !== undefined) {
      queued.pod = pod;
      if (this.activeQ.has(key)) this.activeQ.push(key, queued);
      else this.backoffQ.push(key, queued);
      return;
    }
    const waiting = this.unschedulable.get(key);
    if (waiting === undefined) return this.pushActive(newInfo(pod, this.options.now()));
    waiting.pod = pod;
    for (const event of events) {
      if (this.worth(waiting, event, old, pod) === 'queueSkip') continue;
      this.unschedulable.delete(key);
      this.requeue(waiting);
      return;
    }
  }

  /** The pod is gone (deleted, or bound by someone else); if it was in flight, its failure will not bring it back. */
  delete(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.done(pod);
  }

  /** The next pod to schedule, or undefined; it counts one more attempt, and is in flight until done. */
  pop(): QueuedPodInfo | undefined {
    const info = this.activeQ.pop();
    if (info === undefined) return undefined;
    this.cycle++;
    info.attempts++;
    // A new attempt: the rejectors of the last one no longer count (they are set again if it fails).
    info.unschedulablePlugins = new Set();
    this.inFlightPods.set(objectKey(info.pod), ++this.seq);
    return info;
  }

  /** The pod's scheduling cycle ended (bound, or handed back with addUnschedulable): forget its events. */
  done(pod: Readonly<Pod>): void {
    if (!this.inFlightPods.delete(objectKey(pod))) return;
    let oldest = Infinity;
    for (const seq of this.inFlightPods.values()) oldest = Math.min(oldest, seq);
    this.inFlightEvents = this.inFlightEvents.filter((e) => e.seq > oldest);
  }

  /**
   * The pod failed (AddUnschedulableIfNotPresent). Its timestamp restarts the backoff and the
   * 5-minute clock. Without rejectors (an Error, no nodes): backoffQ. With rejectors: the
   * events recorded during its cycle are replayed against their hints; any Queue => backoffQ,
   * none => unschedulable. A pod deleted meanwhile is not brought back.
   */
  addUnschedulable(info: QueuedPodInfo): void {
    const key = objectKey(info.pod);
    const popped = this.inFlightPods.get(key);
    if (popped === undefined) return;
    info.timestamp = this.options.now();
    let strategy: QueueingStrategy = 'queueAfterBackoff';
    if (info.unschedulablePlugins.size > 0) {
      const since = this.inFlightEvents.filter((e) => e.seq > popped);
      strategy = since.some((e) => this.worth(info, e.event, e.oldObj, e.newObj) === 'queueAfterBackoff') ? 'queueAfterBackoff' : 'queueSkip';
    }
    if (strategy === 'queueSkip') this.unschedulable.set(key, info);
    else this.requeue(info);
    this.done(info.pod);
  }

  /**
   * A cluster event (MoveAllToActiveOrBackoffQueue): every unschedulable pod (that `preCheck`
   * lets through) for which a rejector's hint says Queue moves to backoffQ, or to activeQ if
   * its backoff is over; the others stay. The event is recorded for pods in flight. An event
   * no profile registered does nothing at all, and is not recorded.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj?: unknown, newObj?: unknown, preCheck?: (pod: Readonly<Pod>) => boolean): void {
    if (!isEventOfInterest(this.options.hintMaps, event)) return;
    const candidates = [...this.unschedulable.values()].filter((info) => preCheck === undefined || preCheck(info.pod));
    this.movePods(candidates, event, oldObj, newObj);
  }

  /** Moves the pods whose backoff has ended to activeQ (flushBackoffQCompleted). */
  flushBackoffCompleted(): void {
    const now = this.options.now();
    for (let next = this.backoffQ.peek(); next !== undefined && backoffExpiry(next) <= now; next = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.pushActive(next);
    }
  }

  /**
   * Retries the pods unschedulable for longer than MAX_IN_UNSCHEDULABLE_MS
   * (flushUnschedulablePodsLeftover), with the wildcard event UnschedulableTimeout.
   */
  flushUnschedulableLeftover(): void {
    const now = this.options.now();
    const expired = [...this.unschedulable.values()].filter((info) => now - info.timestamp > MAX_IN_UNSCHEDULABLE_MS);
    if (expired.length > 0) this.movePods(expired, EVENT_UNSCHEDULABLE_TIMEOUT, undefined, undefined);
  }

  /** When the first pod in backoffQ is due, if any. */
  nextBackoffExpiry(): number | undefined {
    const next = this.backoffQ.peek();
    return next === undefined ? undefined : backoffExpiry(next);
  }

  /** movePodsToActiveOrBackoffQueue: each pod its hints let go is requeued; then the event is recorded for pods in flight. */
  private movePods(pods: QueuedPodInfo[], event: ClusterEvent, oldObj: unknown, newObj: unknown): void {
    for (const info of pods) {
      if (this.worth(info, event, oldObj, newObj) === 'queueSkip') continue;
      this.unschedulable.delete(objectKey(info.pod));
      this.requeue(info);
    }
    if (this.inFlightPods.size > 0) this.inFlightEvents.push({ seq: ++this.seq, event, oldObj, newObj });
  }

  private worth(info: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): QueueingStrategy {
    return isPodWorthRequeuing(this.options.hintMaps.get(this.options.profileOf(info.pod)), info, event, oldObj, newObj);
  }

  /** requeuePodViaQueueingHint for queueAfterBackoff: backoffQ while still backing off, else activeQ. */
  private requeue(info: QueuedPodInfo): void {
    if (backoffExpiry(info) > this.options.now()) this.backoffQ.push(objectKey(info.pod), info);
    else this.pushActive(info);
  }

  private pushActive(info: QueuedPodInfo): void {
    this.activeQ.push(objectKey(info.pod), info);
    this.options.onActive?.();
  }
}

function newInfo(pod: Readonly<Pod>, now: number): QueuedPodInfo {
  return { pod, timestamp: now, attempts: 0, unschedulablePlugins: new Set() };
}

function backoffExpiry(info: QueuedPodInfo): number {
  return info.timestamp + backoffDuration(info.attempts);
}
