import type { Simulation, Timer } from '../sim/simulation';
import type { SchedulingQueue } from './scheduling-queue';

/** How often unschedulable pods are checked against MAX_IN_UNSCHEDULABLE_MS (flushUnschedulablePodsLeftover). */
const LEFTOVER_FLUSH_MS = 30_000;
/** How often the backoff queue is checked (flushBackoffQCompleted). */
const BACKOFF_FLUSH_MS = 1_000;

/**
 * The scheduling queue's two periodic flushes, as SchedulingQueue.Run starts them when
 * kube-scheduler begins to schedule (sched.Run): backoffQ every second, the pods unschedulable
 * for too long every 30 s, each a wait.Until loop on a beat counted from that moment.
 *
 * kube-scheduler runs them forever, whatever the queue holds; the lab arms a timer only while
 * there are pods for it, on the same beat:
 *
 *   flushes.start()   // at 1.5 s: scheduling begins
 *   flushes.arm()     // at 3.2 s a pod went to backoffQ => flushBackoffCompleted at 3.5 s, 4.5 s, ... while backoffQ holds pods
 *   flushes.stop()    // the process exits
 */
export class QueueFlushes {
  private running = false;
  private startedAt = 0;
  private backoffTimer: Timer | undefined;
  private leftoverTimer: Timer | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly queue: SchedulingQueue,
  ) {}

  /** The loops start now (and are armed for whatever the queue already holds). */
  start(): void {
    this.running = true;
    this.startedAt = this.sim.now();
    this.arm();
  }

  /** Arms each flush the queue now has pods for, once the loops have started. */
  arm(): void {
    if (!this.running) return;
    const { backoff, unschedulable } = this.queue.lengths();
    if (backoff > 0 && this.backoffTimer === undefined) {
      this.backoffTimer = this.sim.after(this.untilNextTick(BACKOFF_FLUSH_MS), () => {
        this.backoffTimer = undefined;
        this.queue.flushBackoffCompleted();
        this.arm();
      });
    }
    if (unschedulable > 0 && this.leftoverTimer === undefined) {
      this.leftoverTimer = this.sim.after(this.untilNextTick(LEFTOVER_FLUSH_MS), () => {
        this.leftoverTimer = undefined;
        this.queue.flushUnschedulableLeftover();
        this.arm();
      });
    }
  }

  stop(): void {
    this.running = false;
    for (const timer of [this.backoffTimer, this.leftoverTimer]) if (timer !== undefined) this.sim.cancel(timer);
  }

  /** How long until the next tick of a loop that has run every `periodMs` since start(). */
  private untilNextTick(periodMs: number): number {
    return periodMs - ((this.sim.now() - this.startedAt) % periodMs);
  }
}
