import type { TraceEvent } from '../sim/trace';
import { boxLabel, breakLines, frontMatter } from './fit';

/**
 * A sequence diagram that tells one story from a trace and stays legible at a notebook's
 * width (fit.ts): what the cluster did for one object, from the request that started it on.
 *
 *   storyDiagram(cluster.trace.between(tApply, tRunning + 2), { pod: 'web-vtp2g' })
 *   // ---
 *   // config: ...
 *   // ---
 *   // sequenceDiagram
 *   //   p0->>p1: 0.941s create replicasets<br/>default
 *   //   Note over p1: 0.943s create replicasets ok:<br/>authn, authz, admission,<br/>validation
 *   //   ...
 *
 * Compared with sequenceDiagram (diagrams.ts), it leaves out the API server's calls to etcd
 * and every answer unless asked, and folds what the trace tells in many lines into one:
 *
 * - the API server's pipeline notes (authentication, authorization, admission, validation),
 *   one per stage, become one note per request, drawn where the request was received (the
 *   notes of a request sent before the first event given are left out);
 * - the same watch event delivered at the same instant to several watches of one component
 *   (several informers) becomes one arrow, marked "(x3 watches)";
 * - with `pod`, lines about any other pod are left out, including requests that do not name
 *   their pod (a create with generateName): those are known by the pod their pipeline validated;
 * - the Event objects components write (kubectl get events) are left out unless asked, and so
 *   are Lease renewals (leader election, node heartbeats), which go on whatever happens.
 */
export interface StoryOptions {
  /** Follow this pod (its name): every line about another pod is left out. */
  pod?: string;
  /** Draw the API server's calls to etcd (default false). */
  etcd?: boolean;
  /** Draw the answers, as dashed arrows (default false). */
  responses?: boolean;
  /** The API server's pipeline: one note per request (default), or a note per stage as the trace has them. */
  checks?: 'folded' | 'stages';
  /** Draw components' own actions as notes (default true). */
  notes?: boolean;
  /** Draw the Event objects components write ("Scheduled", "Pulling", ...; default false). */
  eventObjects?: boolean;
  /** Draw the Lease renewals that go on all the time (leader election, node heartbeats; default false). */
  heartbeats?: boolean;
  /** Draw at most this many arrows and notes (default 80); the diagram says how many were left out. */
  maxLines?: number;
  /** Break a message or note after about this many characters (default 28). */
  lineLength?: number;
}

const API_SERVER = 'kube-apiserver';
const ETCD_PREFIX = 'etcd';

/** What one request went through in the API server's pipeline. */
interface Checks {
  /** Where the folded note is drawn: the request's first stage note. */
  at: TraceEvent;
  stages: TraceEvent[];
  /** The object its validation named ('Pod web-vtp2g'), if any. */
  validated?: { kind: string; name: string };
}

export function storyDiagram(events: readonly TraceEvent[], options: StoryOptions = {}): string {
  const max = options.maxLines ?? 80;
  const width = options.lineLength ?? 28;
  const checks = pipelineChecks(events);
  const byFirstStage = new Map<number, Checks>();
  const requestOf = new Map<number, TraceEvent>();
  for (const [request, c] of checks.byRequest) {
    byFirstStage.set(c.at.seq, c);
    requestOf.set(c.at.seq, request);
  }
  for (const c of checks.unlinked) byFirstStage.set(c.at.seq, c);

  const pods = podNames(events, checks);
  const leftOut = (e: TraceEvent): boolean => {
    if (options.eventObjects !== true && isEventObject(e)) return true;
    if (options.heartbeats !== true && isHeartbeat(e)) return true;
    if (options.pod === undefined) return false;
    // The runtime tags its lines with the pod they concern.
    const tagged = e.data?.pod;
    if (typeof tagged === 'string') return tagged.split('/')[1] !== options.pod;
    const named = namedPods(e.summary, pods);
    const validated = (e.kind === 'message' ? checks.byRequest.get(e) : byFirstStage.get(e.seq))?.validated;
    if (validated?.kind === 'Pod') named.add(validated.name);
    return named.size > 0 && !named.has(options.pod);
  };

  type Line = { event: TraceEvent; text: string; copies: number };
  const lines: Line[] = [];
  const watchLines = new Map<string, Line>();
  for (const e of events) {
    if (e.kind === 'message') {
      if (e.flow === 'response' && options.responses !== true) continue;
      if (options.etcd !== true && (e.actor.startsWith(ETCD_PREFIX) || e.to?.startsWith(ETCD_PREFIX))) continue;
      if (leftOut(e)) continue;
      if (e.flow === 'event') {
        const key = `${e.time}\u0000${e.actor}\u0000${e.to}\u0000${e.summary}`;
        const seen = watchLines.get(key);
        if (seen !== undefined) {
          seen.copies++;
          continue;
        }
        const line = { event: e, text: e.summary, copies: 1 };
        watchLines.set(key, line);
        lines.push(line);
        continue;
      }
      lines.push({ event: e, text: e.summary, copies: 1 });
      continue;
    }
    if (options.notes === false && e.kind !== 'error') continue;
    if (isStage(e) && options.checks !== 'stages') {
      // Folded into the note of its request; the checks of a request sent before these events are left out with it.
      const request = requestOf.get(e.seq);
      const c = byFirstStage.get(e.seq);
      if (c === undefined || request === undefined) continue;
      if (leftOut(e) || leftOut(request)) continue;
      lines.push({ event: c.at, text: `${request.summary.split(' ').slice(0, 2).join(' ')} ${describeChecks(c)}`, copies: 1 });
      continue;
    }
    if ((options.etcd !== true && e.actor.startsWith(ETCD_PREFIX)) || leftOut(e)) continue;
    lines.push({ event: e, text: e.summary, copies: 1 });
  }

  const kept = lines.slice(0, max);
  const participants: string[] = [];
  for (const { event } of kept) for (const p of [event.actor, event.to]) if (p !== undefined && !participants.includes(p)) participants.push(p);
  const id = (p: string) => `p${participants.indexOf(p)}`;
  const out = [...frontMatter({ sequence: SEQUENCE }), 'sequenceDiagram'];
  for (const p of participants) out.push(`  participant ${id(p)} as ${escapeText(boxLabel(p))}`);
  for (const { event: e, text, copies } of kept) {
    const said = `${(e.time / 1000).toFixed(3)}s ${text}${copies > 1 ? ` (x${copies} watches)` : ''}`;
    const body = breakLines(escapeText(said), width);
    if (e.kind === 'message' && e.to !== undefined) {
      const arrow = e.flow === 'response' ? '-->>' : e.flow === 'event' ? '-)' : '->>';
      out.push(`  ${id(e.actor)}${arrow}${id(e.to)}: ${body}`);
    } else {
      out.push(`  Note over ${id(e.actor)}: ${e.kind === 'error' ? 'ERROR ' : ''}${body}`);
    }
  }
  if (lines.length > kept.length && participants.length > 0) {
    out.push(`  Note over ${id(participants[0])}: ... ${lines.length - kept.length} more not drawn`);
  }
  return out.join('\n');
}

/** Narrow boxes and margins: six participants fit in about 1000 px. */
const SEQUENCE = { diagramMarginX: 10, diagramMarginY: 10, actorMargin: 24, width: 100, boxMargin: 6, noteMargin: 6, messageMargin: 30 };

/** A request that writes an Event object, the answer's watch event, or the API server's checks of one. */
function isEventObject(e: TraceEvent): boolean {
  return e.data?.resource === 'events' || /^(ADDED|MODIFIED|DELETED) Event /.test(e.summary) || /^validation: Event /.test(e.summary);
}

/** A Lease renewal and what follows from it: the request, its watch events, its stage notes. */
function isHeartbeat(e: TraceEvent): boolean {
  return e.data?.resource === 'leases' || /^(ADDED|MODIFIED|DELETED) Lease /.test(e.summary) || /^validation: Lease /.test(e.summary) || /^\w+ leases /.test(e.summary);
}

/** Stage notes of the API server's request pipeline (apiserver/pipeline.ts), tagged with their stage. */
function isStage(e: TraceEvent): boolean {
  return e.kind === 'action' && e.actor === API_SERVER && typeof e.data?.stage === 'string';
}

function stageOf(e: TraceEvent): string {
  return String(e.data?.stage);
}

/**
 * Which pipeline notes belong to which request. The API server authenticates and authorizes a
 * request the moment it arrives, so the k-th 'authentication' note at time t belongs to the
 * k-th request delivered to it at t (deliveries at the same instant run in the order they were
 * sent). Admission and validation run in one go, at once for a create and after a read from
 * etcd for an update, patch or delete: a run of them right after the authorization belongs to
 * the same request; a later run, to the request being written to the object it validated.
 */
function pipelineChecks(events: readonly TraceEvent[]): { byRequest: Map<TraceEvent, Checks>; unlinked: Checks[] } {
  const byRequest = new Map<TraceEvent, Checks>();
  const unlinked: Checks[] = [];
  const lost = new Set(events.filter((e) => e.kind === 'error' && typeof e.data?.message === 'number').map((e) => Number(e.data!.message)));
  const arriving = new Map<number, TraceEvent[]>();
  for (const e of events) {
    if (e.kind !== 'message' || e.flow !== 'request' || e.to !== API_SERVER || lost.has(e.seq) || e.deliveredAt === undefined) continue;
    const list = arriving.get(e.deliveredAt) ?? [];
    list.push(e);
    arriving.set(e.deliveredAt, list);
  }
  const taken = new Map<number, number>();
  const openWrites: Array<{ request: TraceEvent; checks: Checks }> = [];
  let current: Checks | undefined;
  let previous: TraceEvent | undefined;
  for (const e of events) {
    const follows = previous !== undefined && isStage(previous);
    previous = e;
    if (!isStage(e)) continue;
    const stage = stageOf(e);
    if (stage === 'authentication') {
      const k = taken.get(e.time) ?? 0;
      taken.set(e.time, k + 1);
      const request = arriving.get(e.time)?.[k];
      current = { at: e, stages: [e] };
      if (request === undefined) unlinked.push(current);
      else {
        byRequest.set(request, current);
        if (['create', 'update', 'patch', 'delete', 'deletecollection'].includes(String(request.data?.verb))) openWrites.push({ request, checks: current });
      }
      continue;
    }
    if (follows && current !== undefined) {
      add(current, e);
      continue;
    }
    // A run that starts later: admission and validation of a write that first read from etcd.
    const validated = validatedObject(e);
    const match = [...openWrites].reverse().find(({ request, checks }) => checks.stages.every((s) => stageOf(s) === 'authentication' || stageOf(s) === 'authorization') && names(request, validated));
    if (match !== undefined) {
      current = match.checks;
      add(current, e);
    } else {
      current = { at: e, stages: [e] };
      unlinked.push(current);
    }
  }
  return { byRequest, unlinked };
}

function add(checks: Checks, stage: TraceEvent): void {
  checks.stages.push(stage);
  checks.validated ??= validatedObject(stage);
}

/** 'validation: Pod web-vtp2g is valid' => { kind: 'Pod', name: 'web-vtp2g' }. */
function validatedObject(stage: TraceEvent): { kind: string; name: string } | undefined {
  const m = /^validation: (\S+) (\S+) is valid$/.exec(stage.summary);
  return m === null ? undefined : { kind: m[1], name: m[2] };
}

/** Whether a request names the object (or, for a request without a name, could be about it). */
function names(request: TraceEvent, object: { kind: string; name: string } | undefined): boolean {
  if (object === undefined) return true;
  const target = request.summary.split(' ')[2] ?? '';
  return target.split('/').pop() === object.name;
}

/**
 * One note for one request's pipeline: 'ok: authn, authz, admission, validation' when it
 * passed every stage it reached, or else the stage that stopped it, in the trace's own words.
 */
function describeChecks(c: Checks): string {
  const passed: string[] = [];
  for (const s of c.stages) {
    const stage = stageOf(s);
    const said = s.summary.slice(stage.length + 2);
    if (stage === 'authentication') {
      if (!said.startsWith('user ')) return s.summary;
      passed.push('authn');
    } else if (stage === 'authorization') {
      if (!said.startsWith('allowed by ')) return s.summary;
      passed.push('authz');
    } else if (stage.endsWith('admission')) {
      if (said.includes(' refused: ')) return s.summary;
      if (!passed.includes('admission')) passed.push('admission');
    } else if (stage === 'validation') {
      if (!said.endsWith(' is valid')) return s.summary;
      passed.push('validation');
    } else {
      return s.summary;
    }
  }
  return `ok: ${passed.join(', ')}`;
}

/** Every pod name the trace mentions: in watch events, stage notes and requests. */
function podNames(events: readonly TraceEvent[], checks: { byRequest: Map<TraceEvent, Checks>; unlinked: Checks[] }): Set<string> {
  const names = new Set<string>();
  for (const e of events) {
    for (const m of e.summary.matchAll(/\bPod (?:[a-z0-9-]+\/)?([a-z0-9][a-z0-9.-]*)/g)) names.add(m[1]);
    const m = /^\w+ pods(?:\/\w+)? [a-z0-9-]+\/([a-z0-9][a-z0-9.-]*)/.exec(e.summary);
    if (m !== null) names.add(m[1]);
  }
  for (const c of [...checks.byRequest.values(), ...checks.unlinked]) if (c.validated?.kind === 'Pod') names.add(c.validated.name);
  return names;
}

/** The known pods a line names (as a whole word, so web-a does not match web-ab; a sandbox's name web-a_default_<uid>_0 names web-a). */
function namedPods(summary: string, pods: Set<string>): Set<string> {
  const found = new Set<string>();
  for (const word of summary.split(/[\s/(),:_]+/)) if (pods.has(word)) found.add(word);
  return found;
}

/** As in diagrams.ts: `;` and `#` mean something to mermaid, and braces upset some renderers. */
function escapeText(text: string): string {
  return text.replace(/;/g, ',').replace(/#/g, 'no.').replace(/\{/g, '(').replace(/\}/g, ')');
}
