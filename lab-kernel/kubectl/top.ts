import type { ApiRequest, ApiResponse } from '../api/request';
import { addQuantities, milliValue, parseQuantity, value, ZERO_QUANTITY, type Quantity } from '../api/quantity';
import { goDuration, virtualMs } from '../api/time';
import type { KubeList, Node, Pod } from '../api/types';

/**
 * `kubectl top pods` and `kubectl top nodes` (kubectl 1.32, cmd/top and metricsutil): usage
 * from the Metrics API, which an add-on such as metrics-server serves through the API server.
 *
 *   kubectl top pods
 *   // NAME   CPU(cores)   MEMORY(bytes)
 *   // web    2m           5Mi
 *   kubectl top nodes
 *   // NAME            CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%
 *   // control-plane   363m         9%     744Mi           9%
 *
 * What kubectl does, in order:
 *   1. discovery (GET /apis): no metrics.k8s.io/v1beta1 => "error: Metrics API not available"
 *   2. list (or get) PodMetrics / NodeMetrics
 *   3. pods: none => list the pods: none either => "No resources found in <ns> namespace.";
 *      one older than 2 minutes => "error: Metrics not available for pod <ns>/<name>, age: 2m30s";
 *      else "error: metrics not available yet". nodes: none => "error: metrics not available yet"
 *   4. print: CPU as ceil(millicores) + 'm', memory as whole MiB (floor) + 'Mi'; a pod's usage is
 *      the sum of its containers'; a node's percentages are of its allocatable, truncated;
 *      a Node without metrics shows <unknown>. Rows sorted by name (pods: by namespace first).
 *
 * kubectl writes through a tabwriter (minimum cell width 6, padding 3) that ends every cell,
 * the last one too, with a tab: each line keeps the padding of its last column.
 */
export type Send = (req: ApiRequest) => ApiResponse;

export interface TopOptions {
  namespace?: string;
  allNamespaces?: boolean;
  /** `kubectl top pods --containers`: one line per container, after a POD column. */
  containers?: boolean;
}

/** Why kubectl top printed no table: its error, exactly as kubectl prints it. */
export class TopError extends Error {}

/** metricsCreationDelay: a pod this old should have metrics. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

interface ContainerMetrics {
  name: string;
  usage: { cpu: string; memory: string };
}
interface PodMetrics {
  metadata: { name: string; namespace: string };
  containers: ContainerMetrics[];
}
interface NodeMetrics {
  metadata: { name: string };
  usage: { cpu: string; memory: string };
}

export function topPods(send: Send, nowMs: number, options: TopOptions = {}): string {
  requireMetricsApi(send);
  const namespace = options.allNamespaces ? undefined : (options.namespace ?? 'default');
  const metrics = ok(send, { verb: 'list', resource: 'pods', group: 'metrics.k8s.io', namespace }) as { items: PodMetrics[] };
  if (metrics.items.length === 0) return emptyPodMetrics(send, nowMs, namespace);
  const items = [...metrics.items].sort((a, b) => compare(a.metadata.namespace, b.metadata.namespace) || compare(a.metadata.name, b.metadata.name));
  const header = [...(options.allNamespaces ? ['NAMESPACE'] : []), ...(options.containers ? ['POD'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)'];
  const rows = items.flatMap((m) => {
    const ns = options.allNamespaces ? [m.metadata.namespace] : [];
    if (options.containers) {
      return [...m.containers].sort((a, b) => compare(a.name, b.name)).map((c) => [...ns, m.metadata.name, c.name, cpu(q(c.usage.cpu)), memory(q(c.usage.memory))]);
    }
    const sum = (k: 'cpu' | 'memory') => m.containers.reduce((t, c) => addQuantities(t, q(c.usage[k])), ZERO_QUANTITY);
    return [[...ns, m.metadata.name, cpu(sum('cpu')), memory(sum('memory'))]];
  });
  return tabwriter([header, ...rows]);
}

export function topNodes(send: Send): string {
  requireMetricsApi(send);
  const metrics = ok(send, { verb: 'list', resource: 'nodes', group: 'metrics.k8s.io' }) as { items: NodeMetrics[] };
  if (metrics.items.length === 0) throw new TopError('error: metrics not available yet');
  const nodes = (ok(send, { verb: 'list', resource: 'nodes' }) as KubeList<Node>).items;
  const allocatable = new Map(nodes.map((n) => [n.metadata.name!, n.status?.allocatable ?? {}]));
  const rows = [...metrics.items].sort((a, b) => compare(a.metadata.name, b.metadata.name)).map((m) => {
    const available = allocatable.get(m.metadata.name);
    allocatable.delete(m.metadata.name);
    const used = { cpu: q(m.usage.cpu), memory: q(m.usage.memory) };
    const percent = (k: 'cpu' | 'memory') => {
      const total = available?.[k];
      return total === undefined ? [] : [`${percentOf(used[k], q(total))}%`];
    };
    return [m.metadata.name, cpu(used.cpu), ...percent('cpu'), memory(used.memory), ...percent('memory')];
  });
  const missing = [...allocatable.keys()].sort().map((name) => [name, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
  return tabwriter([['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%'], ...rows, ...missing]);
}

/** SupportedMetricsAPIVersionAvailable, from the server's API groups. */
function requireMetricsApi(send: Send): void {
  const groups = (ok(send, { verb: 'get', resource: 'apis' }) as { groups: { name: string; versions: { version: string }[] }[] }).groups;
  const metrics = groups.find((g) => g.name === 'metrics.k8s.io');
  if (metrics === undefined || !metrics.versions.some((v) => v.version === 'v1beta1')) throw new TopError('error: Metrics API not available');
}

/** verifyEmptyMetrics: why no pod has metrics, or "No resources found" when there are no pods. */
function emptyPodMetrics(send: Send, nowMs: number, namespace: string | undefined): string {
  const pods = (ok(send, { verb: 'list', resource: 'pods', namespace }) as KubeList<Pod>).items;
  if (pods.length === 0) return namespace === undefined ? 'No resources found' : `No resources found in ${namespace} namespace.`;
  for (const pod of pods) {
    const ageMs = nowMs - virtualMs(pod.metadata.creationTimestamp!);
    if (ageMs > METRICS_CREATION_DELAY_MS) throw new TopError(`error: Metrics not available for pod ${pod.metadata.namespace}/${pod.metadata.name}, age: ${goDuration(ageMs)}`);
  }
  throw new TopError('error: metrics not available yet');
}

/** A Status is an error as kubectl prints it: `Error from server (NotFound): ...`. */
function ok(send: Send, req: ApiRequest): unknown {
  const res = send(req);
  if (res.code < 400) return res.body;
  const status = res.body as { reason?: string; message: string };
  throw new TopError(`Error from server (${status.reason ?? res.code}): ${status.message}`);
}

const q = parseQuantity;
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const cpu = (x: Quantity) => `${milliValue(x)}m`;
const memory = (x: Quantity) => `${Math.floor(value(x) / (1024 * 1024))}Mi`;

/** int64(used milli / available milli * 100): 363m of 4 => 9. */
function percentOf(used: Quantity, available: Quantity): number {
  const total = milliValue(available);
  return total === 0 ? 0 : Math.trunc((milliValue(used) / total) * 100);
}

/** Go's tabwriter as kubectl sets it up (minwidth 6, padding 3): every cell padded, the last one too. */
function tabwriter(lines: string[][]): string {
  const widths = lines[0].map((_, i) => Math.max(6, ...lines.map((l) => (l[i] ?? '').length + 3)));
  return lines.map((l) => l.map((cell, i) => cell.padEnd(widths[i])).join('')).join('\n');
}
