import { createHash } from 'crypto';

/**
 * The structured record of everything that happened in a simulated cluster: who did what,
 * to whom, and when (in virtual milliseconds). Diagrams, tables and tests all read it.
 *
 *   trace.message(1200, 'kube-scheduler', 'kube-apiserver', 1202, 'request', 'create pods/binding default/web-abcde')
 *   trace.format() => '   1.200s  kube-scheduler -> kube-apiserver  create pods/binding default/web-abcde'
 */
export type TraceKind =
  /** A request, response or notification sent from one component to another. */
  | 'message'
  /** Something a component did on its own (started a container, ran a reconcile). */
  | 'action'
  /** Something went wrong and the component reacted (retry, requeue, report). */
  | 'error';

/** Which way a message goes: a request, the answer to one, or an event on a stream the receiver opened (a watch). */
export type MessageFlow = 'request' | 'response' | 'event';

export type TraceData = Readonly<Record<string, string | number | boolean>>;

export interface TraceEvent {
  /** Position in the trace, from 0. */
  readonly seq: number;
  /** Virtual time in ms when it happened (for messages: when it was sent). */
  readonly time: number;
  readonly kind: TraceKind;
  /** The component that acted or sent. */
  readonly actor: string;
  /** For messages: the receiver. */
  readonly to?: string;
  /** For messages: when the receiver got it. */
  readonly deliveredAt?: number;
  /** For messages: request, response or event. */
  readonly flow?: MessageFlow;
  /** One line a learner can read. */
  readonly summary: string;
  /** Machine-readable details (verb, resource, status code, ...). */
  readonly data?: TraceData;
}

export class Trace {
  private readonly events: TraceEvent[] = [];

  get length(): number {
    return this.events.length;
  }

  /** Every event so far, oldest first. */
  all(): readonly TraceEvent[] {
    return this.events;
  }

  message(time: number, from: string, to: string, deliveredAt: number, flow: MessageFlow, summary: string, data?: TraceData): TraceEvent {
    return this.record({ seq: this.events.length, time, kind: 'message', actor: from, to, deliveredAt, flow, summary, data });
  }

  action(time: number, actor: string, summary: string, data?: TraceData): TraceEvent {
    return this.record({ seq: this.events.length, time, kind: 'action', actor, summary, data });
  }

  error(time: number, actor: string, summary: string, data?: TraceData): TraceEvent {
    return this.record({ seq: this.events.length, time, kind: 'error', actor, summary, data });
  }

  /** Events in a virtual-time window [from, to). */
  between(fromMs: number, toMs: number): TraceEvent[] {
    return this.events.filter((e) => e.time >= fromMs && e.time < toMs);
  }

  /** One line per event: time, who, (to whom), what. */
  format(events: readonly TraceEvent[] = this.events): string {
    return events.map(formatEvent).join('\n');
  }

  /** SHA-256 of the whole trace: equal hashes mean byte-for-byte equal runs. */
  hash(): string {
    const h = createHash('sha256');
    for (const e of this.events) h.update(JSON.stringify(e) + '\n');
    return h.digest('hex');
  }

  private record(event: TraceEvent): TraceEvent {
    this.events.push(event);
    return event;
  }
}

const ONE_FIELD = new Map<string, Map<string | number, TraceData>>();

/**
 * The data `{ [field]: value }`, one frozen record per field and value, shared by every event
 * that says it: for the trace's most frequent data (a pipeline stage, a watch event's type, a
 * status code), which a long run would otherwise make anew hundreds of thousands of times.
 *
 *   dataOf('stage', 'authentication') === dataOf('stage', 'authentication')   // => true
 */
export function dataOf(field: string, value: string | number): TraceData {
  let byValue = ONE_FIELD.get(field);
  if (byValue === undefined) ONE_FIELD.set(field, (byValue = new Map()));
  let data = byValue.get(value);
  if (data === undefined) byValue.set(value, (data = Object.freeze({ [field]: value })));
  return data;
}

export function formatTime(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

export function formatEvent(e: TraceEvent): string {
  const who = e.to === undefined ? e.actor : `${e.actor} -> ${e.to}`;
  const mark = e.kind === 'error' ? '  !! ' : '  ';
  return `${formatTime(e.time).padStart(9)}  ${who.padEnd(40)}${mark}${e.summary}`;
}
