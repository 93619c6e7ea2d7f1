import type { Trace, TraceEvent, TraceKind, MessageFlow } from '../sim/trace';

/**
 * The trace events that match a few conditions, in one call instead of a filter a line long.
 *
 *   traceQuery(cluster.trace, { since: tHeal, to: 'demo-informer', summary: /^410/ })
 *   traceQuery(fan.trace, { actor: 'kube-apiserver', to: /^etcd-/, summary: /^watch / })
 *
 * A string matches exactly, a RegExp matches anywhere, an array matches any of its strings.
 */
export type Match = string | RegExp | readonly string[];

export interface TraceFilter {
  /** From this virtual time on, in ms (default 0). */
  since?: number;
  /** Up to this virtual time, excluded (default: the end). */
  until?: number;
  kind?: TraceKind;
  flow?: MessageFlow;
  actor?: Match;
  to?: Match;
  summary?: Match;
}

function matches(value: string | undefined, m: Match | undefined): boolean {
  if (m === undefined) return true;
  if (value === undefined) return false;
  if (typeof m === 'string') return value === m;
  if (m instanceof RegExp) return m.test(value);
  return (m as readonly string[]).includes(value);
}

export function traceQuery(trace: Trace, filter: TraceFilter): TraceEvent[] {
  return trace
    .between(filter.since ?? 0, filter.until ?? Infinity)
    .filter(
      (e) =>
        (filter.kind === undefined || e.kind === filter.kind) &&
        (filter.flow === undefined || e.flow === filter.flow) &&
        matches(e.actor, filter.actor) &&
        matches(e.to, filter.to) &&
        matches(e.summary, filter.summary),
    );
}
