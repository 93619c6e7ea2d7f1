import type { Status } from '../api/status';
import { timestamp } from '../api/time';
import type { KubeObject, ObjectReference } from '../api/types';
import type { ApiRequest, ApiResponse } from '../api/request';
import type { Simulation } from '../sim/simulation';
import type { Client } from './client';
import type { CoreEvent, EventSource, EventType } from './core-event';
import { EventCorrelator, type Correlation } from './event-correlator';

/**
 * client-go's event recorder (tools/record/event.go): how a component tells people what it
 * did, as core/v1 Event objects that `kubectl get events` and `kubectl describe` show.
 *
 *   const recorder = new EventRecorder(sim, client, { component: 'replicaset-controller' });
 *   recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-x7k2p');
 *   // returns at once; a moment later: create events default/web.1816687ec0570000
 *   // => Event { involvedObject: { kind: 'ReplicaSet', name: 'web', ... }, count: 1,
 *   //            firstTimestamp = lastTimestamp = now, source: { component: 'replicaset-controller' } }
 *
 * Like client-go, recording never blocks and never fails the caller. Events wait in a queue
 * (at most 1000; beyond that new ones are dropped) and are written one at a time, after the
 * EventCorrelator (event-correlator.ts) has counted, combined or filtered them. A write:
 *   - succeeds: the correlator learns the stored name and resourceVersion;
 *   - is rejected by the API server (any Status error): dropped, noted in the trace, never retried;
 *   - gets no answer (the API server is unreachable): retried after 10 s (the first wait is a
 *     random part of 10 s, so clients do not retry in step), 12 tries in all, then dropped.
 *
 * A repeat of an Event already stored is a strategic merge patch of what changed:
 *   PATCH events default/web.1816687ec0570000  { count: 2, lastTimestamp: '...', message: '...' }
 * and if that Event is gone (Events expire after an hour), it is created again.
 *
 * Lab simplification: no answer within ATTEMPT_TIMEOUT_MS stands for a refused connection.
 */
export const MAX_TRIES_PER_EVENT = 12;
export const RETRY_SLEEP_MS = 10_000;
export const MAX_QUEUED_EVENTS = 1000;
/** How long one write may go unanswered before it counts as a connection error. */
export const ATTEMPT_TIMEOUT_MS = 30_000;
/** The lab's epoch (time.ts: 2025-01-01T00:00:00Z) in Unix ms, for names made from Unix nanoseconds. */
const EPOCH_UNIX_MS = 1_735_689_600_000;

/**
 * The ObjectReference an Event names, to `obj` or to one of its parts:
 *   referenceTo(pod, 'spec.containers{web}')
 *   // => { kind: 'Pod', namespace: 'default', name: 'web-x7k2p', uid, apiVersion: 'v1', resourceVersion, fieldPath: 'spec.containers{web}' }
 */
export function referenceTo(obj: Readonly<KubeObject>, fieldPath?: string): ObjectReference {
  const m = obj.metadata;
  return {
    kind: obj.kind,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    name: m.name ?? '',
    ...(m.uid ? { uid: m.uid } : {}),
    apiVersion: obj.apiVersion,
    ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
    ...(fieldPath ? { fieldPath } : {}),
  };
}

/**
 * client-go's name for a new Event: `<object name>.<Unix nanoseconds in hex>`.
 *   eventName('web', 0, 0) // => 'web.1816687ec0570000' (2025-01-01T00:00:00Z)
 * Virtual time has whole ms, so `sequence` numbers the events made in the same ms, by every
 * recorder of the simulation: two components recording about one object in the same ms (the PV
 * controller and a provisioner, say) would otherwise pick the same name, and one event be lost.
 */
export function eventName(objectName: string, virtualMs: number, sequence: number): string {
  const nanos = BigInt(EPOCH_UNIX_MS + virtualMs) * BigInt(1_000_000) + BigInt(sequence);
  return `${objectName}.${nanos.toString(16)}`;
}

/** The last ms an event was named in, and how many were named then, for each simulation. */
const SEQUENCES = new WeakMap<Simulation, { ms: number; next: number }>();

/** A verdict of the correlator that asks for a write. */
type Writable = Exclude<Correlation, { kind: 'skip' }>;

export class EventRecorder {
  private readonly correlator = new EventCorrelator();
  private readonly queue: CoreEvent[] = [];
  private writing = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    readonly source: EventSource,
  ) {}

  /** Records that `type` `reason` happened to `object` (an object, or an ObjectReference to it or a part of it). Returns at once. */
  event(object: Readonly<KubeObject> | ObjectReference, type: EventType, reason: string, message: string): void {
    const ref = 'metadata' in object ? referenceTo(object as KubeObject) : (object as ObjectReference);
    if (this.queue.length >= MAX_QUEUED_EVENTS) {
      this.note(`event queue full (${MAX_QUEUED_EVENTS}); dropped ${type} ${reason} for ${objectOf(ref)}`);
      return;
    }
    this.queue.push(this.makeEvent(ref, type, reason, message));
    if (!this.writing) this.sim.after(0, () => this.writeNext());
  }

  private makeEvent(ref: ObjectReference, type: EventType, reason: string, message: string): CoreEvent {
    const now = this.sim.now();
    const last = SEQUENCES.get(this.sim);
    const sequence = last !== undefined && last.ms === now ? { ms: now, next: last.next + 1 } : { ms: now, next: 0 };
    SEQUENCES.set(this.sim, sequence);
    const at = timestamp(now);
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: eventName(ref.name ?? '', now, sequence.next), namespace: ref.namespace || 'default' },
      involvedObject: ref,
      reason,
      message,
      type,
      source: this.source,
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
  }

  /** Takes the next queued event through the correlator and writes it (recordToSink). */
  private writeNext(): void {
    if (this.writing) return;
    const event = this.queue.shift();
    if (event === undefined) return;
    const verdict = this.correlator.correlate(event, this.sim.now());
    if (verdict.kind === 'skip') return this.writeNext();
    this.writing = true;
    this.attempt(verdict, 1);
  }

  private attempt(verdict: Writable, tries: number): void {
    this.write(verdict, (outcome) => {
      if (outcome === 'unreachable' && tries < MAX_TRIES_PER_EVENT) {
        const delay = tries === 1 ? Math.floor(RETRY_SLEEP_MS * this.sim.rng(`${this.client.component}/events`).next()) : RETRY_SLEEP_MS;
        this.sim.after(delay, () => this.attempt(verdict, tries + 1));
        return;
      }
      if (outcome === 'unreachable') this.note(`Unable to write event ${describe(verdict.event)} (retry limit exceeded!)`);
      this.writing = false;
      this.writeNext();
    });
  }

  /** One try (recordEvent): an occurrence patches the stored Event, or creates it again if it is gone. */
  private write(verdict: Writable, done: (outcome: 'written' | 'rejected' | 'unreachable') => void): void {
    const event = verdict.event;
    const ns = event.metadata.namespace;
    const create = () => {
      const { resourceVersion: _version, ...metadata } = event.metadata;
      const body: CoreEvent = Object.assign({}, event, { metadata });
      this.send({ verb: 'create', resource: 'events', namespace: ns, body }, finish);
    };
    const finish = (res: ApiResponse | undefined) => {
      if (res === undefined) {
        this.note(`Unable to write event ${describe(event)} (may retry after sleeping): no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`);
        return done('unreachable');
      }
      if (res.code < 300) {
        this.correlator.updateState(res.body as CoreEvent);
        return done('written');
      }
      this.note(`Server rejected event ${describe(event)} (will not retry!): ${(res.body as Status).message}`);
      done('rejected');
    };
    if (verdict.kind === 'create') return create();
    const patch = { count: event.count, lastTimestamp: event.lastTimestamp, message: event.message };
    const req: ApiRequest = { verb: 'patch', resource: 'events', namespace: ns, name: event.metadata.name, patchType: 'application/strategic-merge-patch+json', body: patch };
    this.send(req, (res) => {
      if (res?.code === 404) create();
      else finish(res);
    });
  }

  /** Sends one request; answers undefined if no response came within ATTEMPT_TIMEOUT_MS. */
  private send(req: ApiRequest, onResult: (res: ApiResponse | undefined) => void): void {
    // A recorder whose process has exited writes nothing more, and waits for nothing.
    if (this.client.isClosed()) return;
    let settled = false;
    const timer = this.sim.after(ATTEMPT_TIMEOUT_MS, () => {
      settled = true;
      onResult(undefined);
    });
    this.client.request(req, (res) => {
      if (settled) return;
      settled = true;
      this.sim.cancel(timer);
      onResult(res);
    });
  }

  private note(what: string): void {
    this.sim.trace.error(this.sim.now(), this.client.component, `${this.source.component}: ${what}`);
  }
}

/** `Normal Scheduled pod/web-x7k2p` */
function describe(e: CoreEvent): string {
  return `${e.type} ${e.reason} ${objectOf(e.involvedObject)}`;
}

/** `pod/web-x7k2p`, as kubectl's OBJECT column shows a reference. */
export function objectOf(ref: ObjectReference): string {
  const kind = (ref.kind ?? '').toLowerCase();
  return ref.name ? `${kind}/${ref.name}` : kind;
}
