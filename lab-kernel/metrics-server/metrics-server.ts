import type { ApiRequest, ApiResponse } from '../api/request';
import type { ResourceInfo } from '../api/resources';
import { methodNotAllowed, notFound, StatusError } from '../api/status';
import type { Summary } from '../api/stats-summary';
import { timestamp } from '../api/time';
import type { Node } from '../api/types';
import type { APIService, APIServiceBackend } from '../apiserver/aggregation';
import type { KubeletEndpoint } from '../apiserver/context';
import type { Client } from '../client/client';
import { Informer } from '../client/informer';
import type { Network } from '../sim/network';
import type { Simulation, Timer } from '../sim/simulation';
import { EMPTY_STORAGE, METRIC_RESOLUTION_MS, nodeUsage, podUsage, storageReady, storeBatch, type MetricsStorage } from './metrics-storage';

/**
 * metrics-server: the cluster add-on behind `kubectl top` and the HorizontalPodAutoscaler. It
 * is an ordinary client of the API server (it watches the Nodes), scrapes every node's kubelet
 * every 15 s (--metric-resolution) for the Summary API, keeps the last two scrapes
 * (metrics-storage.ts), and serves the Metrics API, metrics.k8s.io/v1beta1, which the API
 * server proxies to it (apiserver/aggregation.ts):
 *
 *   GET /apis/metrics.k8s.io/v1beta1/namespaces/default/pods   => PodMetricsList
 *     { metadata: { name: 'web', namespace: 'default' }, timestamp, window: '15s',
 *       containers: [{ name: 'nginx', usage: { cpu: '1020311n', memory: '5320Ki' } }] }
 *   GET /apis/metrics.k8s.io/v1beta1/nodes                     => NodeMetricsList
 *
 *   trace: metrics-server -> kubelet/node-1  GET /stats/summary   (every 15 s, to every node)
 *
 * In a real cluster it runs as a Deployment in kube-system (from its components.yaml); here it
 * runs as a process of its own, like the control plane's, because the lab's containers run
 * only the behaviours of their images, not add-on code. It reaches each kubelet directly, as
 * the real one does on the kubelet's port 10250 (no API server in between). Releases since
 * 0.6 scrape /metrics/resource, the same numbers in Prometheus' text format; this one reads
 * the Summary, which has them too (with times to the second).
 */
export const METRICS_SERVER = 'metrics-server';
export const METRICS_GROUP = 'metrics.k8s.io';
const METRICS_API_VERSION = `${METRICS_GROUP}/v1beta1`;

export const POD_METRICS: ResourceInfo = { kind: 'PodMetrics', resource: 'pods', group: METRICS_GROUP, version: 'v1beta1', namespaced: true, storagePrefix: '', shortNames: [], hasStatus: false };
export const NODE_METRICS: ResourceInfo = { kind: 'NodeMetrics', resource: 'nodes', group: METRICS_GROUP, version: 'v1beta1', namespaced: false, storagePrefix: '', shortNames: [], hasStatus: false };

export class MetricsServer implements APIServiceBackend {
  readonly component = METRICS_SERVER;
  readonly nodes: Informer<Node>;
  private storage: MetricsStorage = EMPTY_STORAGE;
  private timer: Timer | undefined;
  private stopped = false;
  /** The scrape under way: the summaries in so far, and how many nodes have yet to answer. */
  private batch: { summaries: Summary[]; waiting: number } | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly net: Network,
    client: Client,
    /** Where each node's kubelet listens, by node name (its InternalIP and port 10250 on a real node). */
    private readonly kubeletOf: (node: string) => KubeletEndpoint | undefined,
  ) {
    this.nodes = new Informer<Node>(sim, client, { resource: 'nodes' });
  }

  /** The APIService that makes the API server send it metrics.k8s.io. */
  apiService(): APIService {
    return { group: METRICS_GROUP, version: 'v1beta1', resources: [POD_METRICS, NODE_METRICS], backend: this };
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

  /** Its readiness (/readyz): the storage holds enough to compute usage. */
  available(): boolean {
    return storageReady(this.storage);
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
      this.net.send(METRICS_SERVER, kubelet.component, 'request', 'GET /stats/summary', undefined, () =>
        kubelet.statsSummary((summary) =>
          this.net.send(kubelet.component, METRICS_SERVER, 'response', `200 summary of ${summary.pods.length} pods`, undefined, () => {
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

  /** A request the API server passes on: get or list PodMetrics and NodeMetrics. */
  serve(req: ApiRequest, reply: (res: ApiResponse) => void): void {
    try {
      reply({ code: 200, body: this.answer(req) });
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
      reply({ code: err.code, body: err.status });
    }
  }

  private answer(req: ApiRequest): unknown {
    if (req.verb !== 'get' && req.verb !== 'list') throw methodNotAllowed('the server does not allow this method on the requested resource');
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
