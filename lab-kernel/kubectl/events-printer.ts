import { age, virtualMs } from '../api/time';
import type { KubeEvent, KubeObject } from '../api/types';
import { objectOf } from '../client/event-recorder';
import type { PrintOptions } from './print-options';
import { Table } from './table';

/**
 * `kubectl get events`: kubectl's columns for core/v1 Events (printEvent in
 * pkg/printers/internalversion/printers.go), latest last.
 *
 *   printEvents(events, now).toString()
 *   // LAST SEEN   TYPE     REASON             OBJECT               MESSAGE
 *   // 12s         Normal   SuccessfulCreate   replicaset/web       Created pod: web-x7k2p
 *   // 12s         Normal   Scheduled          pod/web-x7k2p        Successfully assigned default/web-x7k2p to node-1
 *
 * `-o wide` (options.wide) adds SUBOBJECT, SOURCE, FIRST SEEN, COUNT and NAME in kubectl's
 * order; `-A` (options.withNamespace) puts NAMESPACE first.
 *
 * Order: by last timestamp, as `kubectl events` sorts them and as `kubectl get events
 * --sort-by=.lastTimestamp` does (a plain `kubectl get events` keeps the API server's order,
 * by name). Timestamps have whole seconds, so ties keep the order the API server stored the
 * Events in (their resourceVersion).
 */
const COLUMNS = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
const WIDE_COLUMNS = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'];

export function printEvents(objects: readonly KubeObject[], now: number, options: PrintOptions = {}): Table {
  const events = [...(objects as readonly KubeEvent[])].sort(byLastSeen);
  const rows = events.map((e) => {
    const firstSeen = since(e.firstTimestamp ?? eventTime(e), now);
    const lastSeen = e.lastTimestamp ? since(e.lastTimestamp, now) : firstSeen;
    const object = objectOf(e.involvedObject);
    const message = (e.message ?? '').trim();
    const [type, reason] = [e.type ?? '', e.reason ?? ''];
    const cells = options.wide
      ? [lastSeen, type, reason, object, e.involvedObject.fieldPath ?? '', source(e), message, firstSeen, String(e.count || 1), e.metadata.name ?? '']
      : [lastSeen, type, reason, object, message];
    return options.withNamespace ? [e.metadata.namespace ?? '', ...cells] : cells;
  });
  const columns = [...(options.withNamespace ? ['NAMESPACE'] : []), ...(options.wide ? WIDE_COLUMNS : COLUMNS)];
  return new Table(columns, rows, options.namespace ? `No resources found in ${options.namespace} namespace.` : 'No resources found');
}

/** formatEventSource: `kubelet, node-1`; the reporting controller and instance when source is empty. */
function source(e: KubeEvent): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

function byLastSeen(a: KubeEvent, b: KubeEvent): number {
  return lastSeenMs(a) - lastSeenMs(b) || Number(a.metadata.resourceVersion ?? 0) - Number(b.metadata.resourceVersion ?? 0);
}

function lastSeenMs(e: KubeEvent): number {
  const ts = e.lastTimestamp ?? e.firstTimestamp ?? eventTime(e);
  return ts ? virtualMs(ts) : 0;
}

/** events.k8s.io Events carry eventTime (microseconds: 2025-01-01T00:00:00.000000Z) instead of the two timestamps. */
function eventTime(e: KubeEvent): string | undefined {
  return e.eventTime?.replace(/\.\d+Z$/, 'Z');
}

function since(ts: string | undefined, now: number): string {
  return ts ? age(virtualMs(ts), now) : '<unknown>';
}
