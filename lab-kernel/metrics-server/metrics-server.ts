import type { ApiRequest } from '../api/request';
import type { ResourceInfo } from '../api/resources';
import { methodNotAllowed, notFound, StatusError } from '../api/status';
import type { Summary } from '../api/stats-summary';
import { timestamp } from '../api/time';
import type { Node } from '../api/types';
import type { KubeletEndpoint } from '../apiserver/context';
import type { Client } from '../client/client';
import { Informer } from '../client/informer';
import type { HttpAnswer, HttpRequest } from '../runtime/resource-consumer';
import type { Network } from '../sim/network';
import type { Simulation, Timer } from '../sim/simulation';
import { EMPTY_STORAGE, METRIC_RESOLUTION_MS, nodeUsage, podUsage, storageReady, storeBatch, type MetricsStorage } from './metrics-storage';

/**
 * metrics-server: the cluster add-on behind `kubectl top` and the HorizontalPodAutoscaler. It
 * runs in the pod of the Deployment kube-system/metrics-server (cluster/metrics-server-addon.ts
 * installs it from its components.yaml and runs this in the pod). It is an ordinary client of
 * the API server (it watches the Nodes, as the pod's service account), scrapes every node's
 * kubelet every 15 s (--metric-resolution) for the Summary API, keeps the last two scrapes
 * (metrics-storage.ts), and serves the Metrics API, metrics.k8s.io/v1beta1, on its HTTPS port
 * 10250 (--secure-port), where the API server's aggregator proxies it (apiserver/aggregation.ts):
 *
 *   http({ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods' })
 *   // => 200, a PodMetricsList as JSON:
 *   //    { metadata: { name: 'web', namespace: 'default' }, timestamp, window: '15s',
 *   //      containers: [{ name: 'nginx', usage: { cpu: '1020311n', memory: '5320Ki' } }] }
 *   http({ method: 'GET', path: '/readyz' })   // => 500 until a previous point is stored, then 200 'ok'
 *
 *   trace: metrics-server/<pod> -> kubelet/node-1  GET /stats/summary   (every 15 s, to every node)
 *
 * As pkg/server/server.go has it: the scrape loop starts once the informer has synced;
 * /readyz checks metric-storage-ready (storage.go Ready) and metric-informer-sync; /livez's
 * metric-collection-timely (a tick started within 1.5 resolutions) always passes here, since
 * the simulation's ticks are never late, so /livez answers 200.
 *
 * Simplified: it reaches each kubelet as the lab's API server does, over the message network
 * (the lab's kubelets do not listen on the packet network), not from the pod's IP to the
 * node's 10250; releases since 0.6 scrape /metrics/resource, the same numbers in Prometheus'
 * text format, while this one reads the Summary, which has them too (times to the second). It
 * serves what the aggregator has already authorized (the real one checks the forwarded user
 * again with a SubjectAccessReview), ignores label selectors (as callers filter anyway), and
 * does not watch Pods (it reports what the kubelets report).
 */
export const METRICS_GROUP = 'metrics.k8s.io';
const METRICS_API_VERSION = `${METRICS_GROUP}/v1beta1`;

export const POD_METRICS: ResourceInfo = { kind: 'PodMetrics', resource: 'pods', group: METRICS_GROUP, version: 'v1beta1', namespaced: true, storagePrefix: '', shortNames: [], hasStatus: false };
export const NODE_METRICS: ResourceInfo = { kind: 'NodeMetrics', resource: 'nodes', group: METRICS_GROUP, version: 'v1beta1', namespaced: false, storagePrefix: '', shortNames: [], hasStatus: false };

export class MetricsServer {
  readonly nodes: Informer<Node>;
  private storage: MetricsStorage = EMPTY_STORAGE;
  private timer: Timer | undefined;
  private stopped = false;
  /** The scrape under way: the summaries in so far, and how many nodes have yet to answer. */
  private batch: { summaries: Summary[]; waiting: number } | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly net: Network,
    /** Its name in the trace: metrics-server/<pod>. */
    private readonly component: string,
    client: Client,
    /** Where each node's kubelet listens, by node name (its InternalIP and port 10250 on a real node). */
    private readonly kubeletOf: (node: string) => KubeletEndpoint | undefined,
  ) {
    this.nodes = new Informer<Node>(sim, client, { resource: 'nodes' });
  }

  /** Watches the Nodes; the first scrape once they are listed, then one every 15 s. */
  start(): void {
    this.nodes.start();
    const first = () => (this.nodes.hasSynced() ? this.tick() : (this.timer = this.sim.after(100, first)));
    first();
  }

  stop(): void {
    this.stopped = true;
    this.nodes.stop();
    if (this.timer !== undefined) this.sim.cancel(this.timer);
  }

  /** /readyz: the Node informer has synced and the storage holds a previous point. */
  ready(): boolean {
    return this.readyChecks().every(([, ok]) => ok);
  }

  /** Its HTTPS server on --secure-port: /livez, /readyz and the Metrics API (GET only). */
  http(request: HttpRequest): HttpAnswer {
    if (request.path === '/livez') return { code: 200, body: 'ok' };
    if (request.path === '/readyz') {
      if (this.ready()) return { code: 200, body: 'ok' };
      // healthz's answer on a failure: each check (metrics-server's own; the generic ping and log left out), then the verdict.
      const lines = this.readyChecks().map(([name, ok]) => (ok ? `[+]${name} ok` : `[-]${name} failed: reason withheld`));
      return { code: 500, body: [...lines, 'readyz check failed'].join('\n') };
    }
    const req = metricsRequest(request.path);
    if (req === undefined) return { code: 404, body: '404 page not found' };
    const res = request.method === 'GET' ? this.respond(req) : { code: 405, body: methodNotAllowed('the server does not allow this method on the requested resource').status };
    return { code: res.code, body: JSON.stringify(res.body) };
  }

  private readyChecks(): [string, boolean][] {
    return [
      ['metric-storage-ready', storageReady(this.storage)],
      ['metric-informer-sync', this.nodes.hasSynced()],
    ];
  }

  private tick(): void {
    if (this.stopped) return;
    this.timer = this.sim.after(METRIC_RESOLUTION_MS, () => this.tick());
    // A node that has not answered by now is left out of the last scrape.
    if (this.batch !== undefined) this.store();
    const nodes = this.nodes.lister.list();
    const batch = { summaries: [] as Summary[], waiting: nodes.length };
    this.batch = batch;
    if (nodes.length === 0) return this.store();
    for (const node of nodes) {
      const kubelet = this.kubeletOf(node.metadata.name!);
      if (kubelet === undefined) {
        batch.waiting--;
        continue;
      }
      this.net.send(this.component, kubelet.component, 'request', 'GET /stats/summary', undefined, () =>
        kubelet.statsSummary((summary) =>
          this.net.send(kubelet.component, this.component, 'response', `200 summary of ${summary.pods.length} pods`, undefined, () => {
            if (this.batch !== batch) return;
            batch.summaries.push(summary);
            if (--batch.waiting === 0) this.store();
          }),
        ),
      );
    }
    if (batch.waiting === 0) this.store();
  }

  private store(): void {
    const summaries = [...this.batch!.summaries].sort((a, b) => (a.node.nodeName < b.node.nodeName ? -1 : 1));
    this.batch = undefined;
    this.storage = storeBatch(this.storage, summaries);
  }

  /** A request for the Metrics API: get or list PodMetrics and NodeMetrics. */
  private respond(req: ApiRequest): { code: number; body: unknown } {
    try {
      return { code: 200, body: this.answer(req) };
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
      return { code: err.code, body: err.status };
    }
  }

  private answer(req: ApiRequest): unknown {
    const created = timestamp(this.sim.now());
    if (req.resource === 'nodes') {
      const items = [...this.storage.nodes.keys()].sort().flatMap((name) => {
        const u = nodeUsage(this.storage, name);
        return u === undefined ? [] : [{ kind: 'NodeMetrics', apiVersion: METRICS_API_VERSION, metadata: { name, creationTimestamp: created }, ...u }];
      });
      return this.pick(items, req, 'NodeMetricsList', 'nodes');
    }
    const keys = [...this.storage.pods.keys()].filter((k) => req.namespace === undefined || k.startsWith(`${req.namespace}/`)).sort();
    const items = keys.flatMap((key) => {
      const u = podUsage(this.storage, key);
      const [namespace, name] = key.split('/');
      return u === undefined ? [] : [{ kind: 'PodMetrics', apiVersion: METRICS_API_VERSION, metadata: { name, namespace, creationTimestamp: created }, ...u }];
    });
    return this.pick(items, req, 'PodMetricsList', 'pods');
  }

  private pick<T extends { metadata: { name: string } }>(items: T[], req: ApiRequest, listKind: string, resource: string): unknown {
    if (req.verb === 'list') return { kind: listKind, apiVersion: METRICS_API_VERSION, metadata: {}, items };
    const found = items.find((i) => i.metadata.name === req.name);
    if (found === undefined) throw notFound({ group: METRICS_GROUP, resource, name: req.name ?? '' });
    return found;
  }
}

/**
 * The request a Metrics API path asks for, or undefined for a path it does not serve.
 *
 *   metricsRequest('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web')
 *   // => { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }
 */
export function metricsRequest(path: string): ApiRequest | undefined {
  const prefix = `/apis/${METRICS_API_VERSION}/`;
  if (!path.startsWith(prefix)) return undefined;
  const parts = path.slice(prefix.length).split('?')[0].split('/');
  const namespace = parts[0] === 'namespaces' ? parts[1] : undefined;
  const [resource, name] = namespace === undefined ? parts : parts.slice(2);
  if ((resource !== 'pods' && resource !== 'nodes') || (resource === 'nodes' && namespace !== undefined)) return undefined;
  return { verb: name === undefined ? 'list' : 'get', resource, namespace, name };
}
