import type { CoreEvent } from './core-event';

/**
 * client-go's EventCorrelator (tools/record/events_cache.go): what an event recorder does to
 * each event before it writes anything, so that a component stuck in a loop cannot flood
 * etcd with Events. Three steps, in client-go's order:
 *
 *  1. aggregate: similar events — same source, object, type and reason, different messages —
 *     are counted per group; from the 10th distinct message within 10 minutes on, they are
 *     written as one Event whose message starts with "(combined from similar events): ".
 *  2. count: an event identical to one already written (same source, object, type, reason and
 *     message) becomes an occurrence of it: same name, count + 1, firstTimestamp kept.
 *  3. filter: a token bucket per source + object (burst 25, one more every 5 minutes); an
 *     event with no token left is skipped. The count of step 2 still went up, so the next
 *     event that passes shows every occurrence.
 *
 *   const correlator = new EventCorrelator();
 *   correlator.correlate(pulling, 0)   // => { kind: 'create', event: pulling (count 1) }
 *   correlator.updateState(written)    //    (after the API server answered)
 *   correlator.correlate(pulling, 9000) // => { kind: 'occurrence', event: { name: <first name>, count: 2, lastTimestamp: 9 s } }
 *
 * All times are virtual ms (sim.now()). Every cache is an LRU of 4096 entries, as in client-go.
 */
export const LRU_CACHE_ENTRIES = 4096;
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
export const SPAM_BURST = 25;
/** One new token every 300 s: client-go's defaultSpamQPS = 1/300. */
export const SPAM_REFILL_MS = 300_000;
export const COMBINED_PREFIX = '(combined from similar events): ';

/** What to do with an event: create it, write it as one more occurrence of an Event already stored, or drop it. */
export type Correlation =
  | { kind: 'create'; event: CoreEvent }
  | { kind: 'occurrence'; event: CoreEvent }
  | { kind: 'skip' };

export class EventCorrelator {
  private readonly aggregates = new LruCache<{ messages: Set<string>; last: number }>(LRU_CACHE_ENTRIES);
  private readonly observations = new LruCache<Observation>(LRU_CACHE_ENTRIES);
  private readonly buckets = new LruCache<{ tokens: number; last: number }>(LRU_CACHE_ENTRIES);

  /** Runs the three steps on `event` at virtual time `now`. */
  correlate(event: CoreEvent, now: number): Correlation {
    const { event: aggregated, key } = this.aggregate(event, now);
    const observed = this.observe(aggregated, key);
    if (!this.tryAccept(spamKey(observed), now)) return { kind: 'skip' };
    return { kind: observed.count > 1 ? 'occurrence' : 'create', event: observed };
  }

  /** Remembers what the API server stored (its name, resourceVersion, count) for the next occurrence. */
  updateState(stored: CoreEvent): void {
    this.observations.set(eventKey(stored), observationOf(stored));
  }

  /** Step 1 (EventAggregator.EventAggregate): the event to write, and the key it is counted under. */
  private aggregate(event: CoreEvent, now: number): { event: CoreEvent; key: string } {
    const groupKey = aggregateKey(event);
    let record = this.aggregates.get(groupKey);
    if (record === undefined || now - record.last > AGGREGATE_INTERVAL_MS) record = { messages: new Set(), last: now };
    record.messages.add(event.message);
    record.last = now;
    this.aggregates.set(groupKey, record);
    if (record.messages.size < AGGREGATE_MAX_EVENTS) return { event, key: eventKey(event) };
    // client-go drops one remembered message so the set never grows past the maximum.
    record.messages.delete(record.messages.values().next().value as string);
    const combined: CoreEvent = Object.assign({}, event, { message: COMBINED_PREFIX + event.message });
    return { event: combined, key: groupKey };
  }

  /** Step 2 (eventLogger.eventObserve): an occurrence of an event already seen keeps its name and counts up. */
  private observe(event: CoreEvent, key: string): CoreEvent {
    const last = this.observations.get(key);
    const observed: CoreEvent =
      last === undefined
        ? event
        : Object.assign({}, event, {
            metadata: Object.assign({}, event.metadata, { name: last.name, resourceVersion: last.resourceVersion }),
            firstTimestamp: last.firstTimestamp,
            count: last.count + 1,
          });
    this.observations.set(key, observationOf(observed));
    return observed;
  }

  /** Step 3 (EventSourceObjectSpamFilter.Filter): a token bucket's TryAccept, per source + object. */
  private tryAccept(key: string, now: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: SPAM_BURST, last: now };
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (now - bucket.last) / SPAM_REFILL_MS);
    bucket.last = now;
    const accepted = bucket.tokens >= 1;
    if (accepted) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return accepted;
  }
}

interface Observation {
  count: number;
  firstTimestamp: string;
  name: string;
  resourceVersion?: string;
}

function observationOf(e: CoreEvent): Observation {
  return { count: e.count, firstTimestamp: e.firstTimestamp, name: e.metadata.name, resourceVersion: e.metadata.resourceVersion };
}

function sourceAndObject(e: CoreEvent): string[] {
  const o = e.involvedObject;
  return [e.source.component, e.source.host ?? '', o.kind ?? '', o.namespace ?? '', o.name ?? '', o.uid ?? '', o.apiVersion ?? ''];
}

/** getEventKey: everything that makes two events the same event (NUL-joined here, so fields cannot run together). */
export function eventKey(e: CoreEvent): string {
  const [component, host, kind, namespace, name, uid, apiVersion] = sourceAndObject(e);
  return [component, host, kind, namespace, name, e.involvedObject.fieldPath ?? '', uid, apiVersion, e.type, e.reason, e.message].join('\0');
}

/** EventAggregatorByReasonFunc: the group of similar events (the message is left out). */
function aggregateKey(e: CoreEvent): string {
  return [...sourceAndObject(e), e.type, e.reason, e.reportingComponent, e.reportingInstance].join('\0');
}

/** getSpamKey: one bucket per source and object. */
function spamKey(e: CoreEvent): string {
  return sourceAndObject(e).join('\0');
}

/** A Map that forgets its least recently used entry beyond `max` (groupcache's lru.Cache). */
class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}
