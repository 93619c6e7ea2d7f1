import { createHash } from 'crypto';
import { search } from './search';
import { doubled } from './doubled';

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

/**
 * The trace keeps each event in columns (times in typed arrays, names as small numbers, the
 * summary and data by reference) and makes the TraceEvent objects only when they are read: a
 * 100-node cluster records about 590,000 events an idle hour, and the columns hold an event in
 * about half the bytes of an object (6 MB less heap once 1,000 pods have started). Read events
 * are kept, so the same event reads as the same object every time.
 */
export class Trace {
  private count = 0;
  private times = new Float64Array(1024);
  /** For messages: when the receiver got it. */
  private delivered = new Float64Array(1024);
  /** kind and flow, as indices into KINDS and FLOWS. */
  private shapes = new Uint8Array(1024);
  /** actor and receiver, as indices into `names` (receiver: -1 for none). */
  private actors = new Int32Array(1024);
  private receivers = new Int32Array(1024);
  private readonly summaries: string[] = [];
  private readonly datas: (TraceData | undefined)[] = [];
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  /** The events read so far, by position. */
  private readonly read: TraceEvent[] = [];
  /** Whether every event so far was recorded no earlier than the one before (between() can then search). */
  private inTimeOrder = true;

  get length(): number {
    return this.count;
  }

  /**
   * Every event so far, oldest first. The array is the trace's own and grows only when the
   * trace is read again: read it afresh after running the simulation further.
   */
  all(): readonly TraceEvent[] {
    for (let i = this.read.length; i < this.count; i++) this.read.push(this.materialize(i));
    return this.read;
  }

  /** The event at a position (0 is the first). */
  at(seq: number): TraceEvent | undefined {
    return seq >= 0 && seq < this.count ? this.all()[seq] : undefined;
  }

  /** Records a message; returns its position. */
  message(time: number, from: string, to: string, deliveredAt: number, flow: MessageFlow, summary: string, data?: TraceData): number {
    const i = this.record(time, MESSAGE, from, summary, data);
    this.shapes[i] = MESSAGE | (FLOWS.indexOf(flow) << 2);
    this.receivers[i] = this.nameId(to);
    this.delivered[i] = deliveredAt;
    return i;
  }

  /** Records an action; returns its position. */
  action(time: number, actor: string, summary: string, data?: TraceData): number {
    return this.record(time, ACTION, actor, summary, data);
  }

  /** Records an error; returns its position. */
  error(time: number, actor: string, summary: string, data?: TraceData): number {
    return this.record(time, ERROR, actor, summary, data);
  }

  /** Events in a virtual-time window [from, to) (binary search: events are recorded in time order). */
  between(fromMs: number, toMs: number): TraceEvent[] {
    const first = this.inTimeOrder ? this.firstAtOrAfter(fromMs) : 0;
    const last = this.inTimeOrder ? this.firstAtOrAfter(toMs) : this.count;
    const events = this.all();
    const out: TraceEvent[] = [];
    for (let i = first; i < last; i++) if (events[i].time >= fromMs && events[i].time < toMs) out.push(events[i]);
    return out;
  }

  /** One line per event: time, who, (to whom), what. */
  format(events: readonly TraceEvent[] = this.all()): string {
    return events.map(formatEvent).join('\n');
  }

  /** SHA-256 of the whole trace: equal hashes mean byte-for-byte equal runs. */
  hash(): string {
    const h = createHash('sha256');
    for (let i = 0; i < this.count; i++) h.update(JSON.stringify(i < this.read.length ? this.read[i] : this.materialize(i)) + '\n');
    return h.digest('hex');
  }

  private record(time: number, kind: number, actor: string, summary: string, data: TraceData | undefined): number {
    const i = this.count;
    if (i === this.times.length) this.grow();
    if (i > 0 && time < this.times[i - 1]) this.inTimeOrder = false;
    this.times[i] = time;
    this.shapes[i] = kind;
    this.actors[i] = this.nameId(actor);
    this.receivers[i] = -1;
    this.summaries.push(summary);
    this.datas.push(data);
    this.count = i + 1;
    return i;
  }

  /** The event at `i` as an object, with the fields in the order it has always had (the hash depends on it). */
  private materialize(i: number): TraceEvent {
    const shape = this.shapes[i];
    const kind = KINDS[shape & 3];
    const actor = this.names[this.actors[i]];
    if (kind === 'message') {
      return { seq: i, time: this.times[i], kind, actor, to: this.names[this.receivers[i]], deliveredAt: this.delivered[i], flow: FLOWS[shape >> 2], summary: this.summaries[i], data: this.datas[i] };
    }
    return { seq: i, time: this.times[i], kind, actor, summary: this.summaries[i], data: this.datas[i] };
  }

  private nameId(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, id);
    }
    return id;
  }

  /** The position of the first event at or after `ms` (the count if none). */
  private firstAtOrAfter(ms: number): number {
    return search(this.count, (i) => this.times[i] >= ms);
  }

  /** Twice the room in every column. */
  private grow(): void {
    this.times = doubled(this.times);
    this.delivered = doubled(this.delivered);
    this.shapes = doubled(this.shapes);
    this.actors = doubled(this.actors);
    this.receivers = doubled(this.receivers);
  }
}

const KINDS: readonly TraceKind[] = ['message', 'action', 'error'];
const MESSAGE = 0;
const ACTION = 1;
const ERROR = 2;
const FLOWS: readonly MessageFlow[] = ['request', 'response', 'event'];

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
