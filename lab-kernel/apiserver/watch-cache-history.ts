import { RingBuffer } from '../sim/ring-buffer';
import { search } from '../sim/search';
import type { StoreEvent } from '../store/mvcc-store';

/** How the history sizes itself; the watch cache's options (watch-cache.ts WatchCacheOptions) carry them. */
export interface HistoryLimits {
  /** Capacity in events at first; it only grows. */
  minCapacity: number;
  /** The most events it may hold. */
  maxCapacity: number;
  /** It grows instead of dropping an event younger than this, in virtual ms. */
  freshMs: number;
}

interface CachedEvent {
  readonly event: StoreEvent;
  /** When the cache received it (virtual ms). */
  readonly at: number;
}

/**
 * The watch cache's window of recent events, for watchers that resume from a resourceVersion
 * (kube-apiserver's watchCache cyclic buffer). Capacity starts at 100 events and doubles, up
 * to 102,400, while even the oldest kept event is younger than 75 s; otherwise the oldest
 * event is dropped. These are kube-apiserver's defaults (watch_cache.go:
 * defaultLowerBoundCapacity, defaultUpperBoundCapacity, eventFreshDuration): 75 s is the
 * bookmark period plus 15 s, so a watcher that reconnects with its last bookmark's
 * resourceVersion usually finds it in the window.
 *
 * The oldest resourceVersion a watch may start from is the list's revision while nothing has
 * been dropped, else the revision just before the oldest event kept:
 *   listed at 40, events 41..60 kept     => oldestResourceVersion() 40
 *   events 41..52 dropped, 53..60 kept   => oldestResourceVersion() 52
 */
export class EventHistory {
  private readonly events = new RingBuffer<CachedEvent>();
  private capacity: number;
  /** Whether an event has been dropped since the cache listed. */
  private dropped = false;
  /** The revision the cache listed at. */
  private listRevision = 0;

  constructor(private readonly limits: HistoryLimits) {
    this.capacity = limits.minCapacity;
  }

  /** The cache listed at this revision: the history starts over, empty (watch_cache.go Replace). */
  reset(listRevision: number): void {
    this.events.clear();
    this.dropped = false;
    this.listRevision = listRevision;
  }

  /** Adds an event received at `now`: grows while the oldest is fresh, else drops the oldest. */
  remember(event: StoreEvent, now: number): void {
    if (this.events.length >= this.capacity) {
      if (now - this.events.first()!.at < this.limits.freshMs && this.capacity < this.limits.maxCapacity) {
        this.capacity = Math.min(this.capacity * 2, this.limits.maxCapacity);
      } else {
        this.events.shift();
        this.dropped = true;
      }
    }
    this.events.push({ event, at: now });
  }

  /** The oldest resourceVersion a watch may start from (see the class comment). */
  oldestResourceVersion(): number {
    return this.dropped ? this.events.first()!.event.kv.modRevision - 1 : this.listRevision;
  }

  /** The events after `revision`, in order (found by binary search: the history is in revision order). */
  after(revision: number): StoreEvent[] {
    const first = search(this.events.length, (i) => this.events.at(i)!.event.kv.modRevision > revision);
    return this.events.toArray(first).map((c) => c.event);
  }
}
