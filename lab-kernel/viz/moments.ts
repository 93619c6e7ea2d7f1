import type { TraceEvent } from '../sim/trace';

/**
 * Trace events as table rows timed from a moment of the experiment (a delete, a stop), for
 * showTable: how long after it each thing happened, who did it, and to whom.
 *
 *   moments(traceQuery(cluster.trace, { since: tStop, summary: /node-2/ }), tStop)
 *   // => [{ 'after (s)': '52.4', who: 'kube-controller-manager -> kube-apiserver', what: 'update nodes/status node-2' }, ...]
 *
 * Seconds with one decimal: these tables are read for the shape of a story (seconds, minutes),
 * not the milliseconds.
 */
export interface MomentRow {
  'after (s)': string;
  who: string;
  what: string;
}

export function moments(events: readonly TraceEvent[], since: number): MomentRow[] {
  return events.map((e) => ({
    'after (s)': ((e.time - since) / 1000).toFixed(1),
    who: e.to === undefined ? e.actor : `${e.actor} -> ${e.to}`,
    what: e.summary,
  }));
}
