import { formatQuantity } from '../api/quantity';
import type { Summary } from '../api/stats-summary';
import { goDuration, timestamp, virtualMs } from '../api/time';

/**
 * What metrics-server keeps between scrapes, and the usage it works out from it: for each node
 * and each container, the point of the last scrape and of the one before (its storage keeps
 * two batches). CPU is a rate, so it needs two points: the cumulative CPU time used between
 * them over the time between them (the window); memory is the last working set.
 *
 *   let s = storeBatch(EMPTY_STORAGE, [summaryAt(0 s)]);    // one point per node: no node metrics yet
 *   s = storeBatch(s, [summaryAt(15 s)]);
 *   nodeUsage(s, 'node-1')
 *   // => { timestamp: '...:15Z', window: '15s', usage: { cpu: '26012337n', memory: '364652Ki' } }
 *
 * As metrics-server (0.7) does it:
 *   - a container started 10 to 15 s (one resolution) before its first point gets a point at
 *     its start with no CPU used, so a new pod shows after one scrape, not two;
 *   - a container that restarted (its start time after the last point) starts again from one point;
 *   - a pod is served only once every one of its containers has two points;
 *   - what a scrape no longer reports (a deleted pod, a node that did not answer) is forgotten;
 *   - it is ready (its /readyz passes) once it holds two points of some node or of some container
 *     (storage.go Ready: a previous point is stored).
 *
 * metrics-server prints CPU in nanocores (`26012337n`; canonical, so `5m` when it is exactly
 * that) and memory in bytes as a binary quantity (`364652Ki`).
 */
export interface MetricsPoint {
  /** When it was measured (virtual ms). */
  timeMs: number;
  startMs: number;
  /** CPU used since start, in core-nanoseconds. */
  cumulativeCpu: number;
  workingSetBytes: number;
}

interface Points {
  last: MetricsPoint;
  prev?: MetricsPoint;
}

export interface MetricsStorage {
  nodes: ReadonlyMap<string, Points>;
  /** By '<namespace>/<pod>', then by container name. */
  pods: ReadonlyMap<string, ReadonlyMap<string, Points>>;
}

export const EMPTY_STORAGE: MetricsStorage = { nodes: new Map(), pods: new Map() };
/** metrics-server's --metric-resolution default: how often it scrapes every kubelet. */
export const METRIC_RESOLUTION_MS = 15_000;
/** A container younger than this at its first point gets no synthetic start point (freshContainerMinMetricsResolution). */
const FRESH_CONTAINER_MIN_MS = 10_000;

export interface Usage {
  timestamp: string;
  window: string;
  usage: { cpu: string; memory: string };
}

/** The storage after a scrape of every node: what the summaries say replaces what came before. */
export function storeBatch(storage: MetricsStorage, summaries: readonly Summary[]): MetricsStorage {
  const nodes = new Map<string, Points>();
  const pods = new Map<string, Map<string, Points>>();
  for (const summary of summaries) {
    const n = summary.node;
    const point: MetricsPoint = { timeMs: virtualMs(n.cpu.time), startMs: virtualMs(n.startTime), cumulativeCpu: n.cpu.usageCoreNanoSeconds, workingSetBytes: n.memory.workingSetBytes };
    nodes.set(n.nodeName, next(storage.nodes.get(n.nodeName), point, false));
    for (const pod of summary.pods) {
      const key = `${pod.podRef.namespace}/${pod.podRef.name}`;
      const before = storage.pods.get(key);
      const containers = new Map<string, Points>();
      for (const c of pod.containers) {
        const p: MetricsPoint = { timeMs: virtualMs(c.cpu.time), startMs: virtualMs(c.startTime), cumulativeCpu: c.cpu.usageCoreNanoSeconds, workingSetBytes: c.memory.workingSetBytes };
        containers.set(c.name, next(before?.get(c.name), p, true));
      }
      pods.set(key, containers);
    }
  }
  return { nodes, pods };
}

/** The new last point, and which point comes before it. */
function next(stored: Points | undefined, point: MetricsPoint, container: boolean): Points {
  const age = point.timeMs - point.startMs;
  if (container && age >= FRESH_CONTAINER_MIN_MS && age < METRIC_RESOLUTION_MS) {
    return { last: point, prev: Object.assign({}, point, { timeMs: point.startMs, cumulativeCpu: 0 }) };
  }
  // Started after the last point: a new instance (the Summary's times are whole seconds, so one
  // started in the same second as the last point counts as the same instance).
  if (stored === undefined || (container && point.startMs > stored.last.timeMs)) return { last: point };
  if (point.timeMs > stored.last.timeMs) return { last: point, prev: stored.last };
  return stored.prev !== undefined && stored.prev.timeMs < point.timeMs ? { last: point, prev: stored.prev } : { last: point };
}

/** Usage from two points, or undefined with one (or with a counter that went down). */
function usageOf(points: Points | undefined): Usage | undefined {
  if (points?.prev === undefined) return undefined;
  const { last, prev } = points;
  const windowMs = last.timeMs - prev.timeMs;
  if (windowMs <= 0 || last.cumulativeCpu < prev.cumulativeCpu || last.startMs < prev.startMs) return undefined;
  const nanoCores = Math.floor(((last.cumulativeCpu - prev.cumulativeCpu) * 1000) / windowMs);
  return {
    timestamp: timestamp(last.timeMs),
    window: goDuration(windowMs),
    usage: {
      cpu: formatQuantity({ nanos: BigInt(nanoCores), format: 'DecimalSI' }),
      memory: formatQuantity({ nanos: BigInt(last.workingSetBytes) * 1_000_000_000n, format: 'BinarySI' }),
    },
  };
}

export function nodeUsage(storage: MetricsStorage, node: string): Usage | undefined {
  return usageOf(storage.nodes.get(node));
}

/**
 * A pod's containers' usage, once every container has two points; the earliest container's
 * timestamp and window stand for the pod.
 */
export function podUsage(storage: MetricsStorage, key: string): { timestamp: string; window: string; containers: { name: string; usage: Usage['usage'] }[] } | undefined {
  const containers = storage.pods.get(key);
  if (containers === undefined || containers.size === 0) return undefined;
  let earliest: Usage | undefined;
  let earliestMs = Infinity;
  const out: { name: string; usage: Usage['usage'] }[] = [];
  for (const [name, points] of containers) {
    const u = usageOf(points);
    if (u === undefined) return undefined;
    out.push({ name, usage: u.usage });
    if (points.last.timeMs < earliestMs) [earliest, earliestMs] = [u, points.last.timeMs];
  }
  return { timestamp: earliest!.timestamp, window: earliest!.window, containers: out };
}

/** Ready: two points of some node or of some container (metrics-server's storage.Ready). */
export function storageReady(storage: MetricsStorage): boolean {
  const hasPrev = (points: Iterable<Points>) => [...points].some((p) => p.prev !== undefined);
  return hasPrev(storage.nodes.values()) || [...storage.pods.values()].some((c) => hasPrev(c.values()));
}
