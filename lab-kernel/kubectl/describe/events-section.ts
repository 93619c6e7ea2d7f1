import type { ApiRequest, ApiResponse } from '../../api/request';
import { age, virtualMs } from '../../api/time';
import type { KubeEvent, KubeList } from '../../api/types';

/**
 * The Events section every describer ends with (describe.go's searchEvents and DescribeEvents,
 * 1.32). kubectl lists the core/v1 Events of the object by a field selector on its reference,
 * 500 at a time:
 *
 *   searchEvents(send, { namespace: 'default', name: 'web-x7k2p', uid })   // pods: no kind in the selector
 *   // GET /api/v1/namespaces/default/events?fieldSelector=involvedObject.name=web-x7k2p,involvedObject.namespace=default,involvedObject.uid=...
 *
 * then prints them oldest last-seen first:
 *
 *   describeEvents(events, now)
 *   // Events:
 *   //   Type\tReason\tAge\tFrom\tMessage
 *   //   ----\t------\t----\t----\t-------
 *   //   Normal\tScheduled\t2m3s\tdefault-scheduler\tSuccessfully assigned default/web-x7k2p to node-1
 *   //   Normal\tPulled\t2m (x3 over 5m)\tkubelet\tspec.containers{web}: Container image "nginx" already present on machine
 *
 * or `Events:\t<none>`. Age is since the first timestamp (the eventTime of an events.k8s.io
 * Event), `<unknown>` without one; a repeated Event says `<since last> (x<count> over <since first>)`.
 * From is the source component, or the reporting controller when there is none.
 * Not modelled: event series (the lab's recorder counts repeats in `count`).
 */
export interface EventsOf {
  namespace?: string;
  name: string;
  kind?: string;
  uid?: string;
}

const CHUNK_SIZE = 500;

export function searchEvents(send: (req: ApiRequest) => ApiResponse, ref: EventsOf): KubeEvent[] {
  // fields.Set's selector: the terms sorted by field name; a namespace term even when empty (nodes).
  const terms: [string, string | undefined][] = [
    ['involvedObject.kind', ref.kind],
    ['involvedObject.name', ref.name],
    ['involvedObject.namespace', ref.namespace ?? ''],
    ['involvedObject.uid', ref.uid],
  ];
  const fieldSelector = terms.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(',');
  const events: KubeEvent[] = [];
  let next: string | undefined;
  do {
    const res = send({ verb: 'list', resource: 'events', namespace: ref.namespace || undefined, fieldSelector, limit: CHUNK_SIZE, continue: next });
    if (res.code !== 200) return events; // kubectl ignores the error and shows what it has
    const list = res.body as KubeList<KubeEvent>;
    events.push(...list.items);
    next = list.metadata.continue || undefined;
  } while (next !== undefined);
  return events;
}

export function describeEvents(list: readonly KubeEvent[], now: number): string {
  if (list.length === 0) return 'Events:\t<none>\n';
  // SortableEvents: by lastTimestamp; Go sorts up to 12 items by insertion, which keeps ties in list order.
  const events = [...list].sort((a, b) => msOf(a.lastTimestamp) - msOf(b.lastTimestamp));
  let out = 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n';
  for (const e of events) {
    const first = e.eventTime ? since(e.eventTime.replace(/\.\d+Z$/, 'Z'), now) : since(e.firstTimestamp, now);
    const interval = (e.count ?? 0) > 1 ? `${since(e.lastTimestamp, now)} (x${e.count} over ${first})` : first;
    const source = e.source?.component || e.reportingComponent || '';
    const message = (e.message ?? '').trim();
    const fieldPath = e.involvedObject.fieldPath;
    out += `  ${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${fieldPath ? `${fieldPath}: ${message}` : message}\n`;
  }
  return out;
}

function msOf(ts: string | undefined): number {
  return ts ? virtualMs(ts) : -1;
}

/** translateTimestampSince: `<unknown>` for a zero time, else kubectl's human duration. */
function since(ts: string | undefined, now: number): string {
  return ts ? age(virtualMs(ts), now) : '<unknown>';
}
