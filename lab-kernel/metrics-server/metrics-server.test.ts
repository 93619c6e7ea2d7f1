import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { metricsRequest } from './metrics-server';

const metricsApi = { group: 'metrics.k8s.io' } as const;
const groups = (cluster: ReturnType<typeof createCluster>) =>
  (cluster.kubectl.request({ verb: 'get', resource: 'apis' }).body as { groups: { name: string }[] }).groups.map((g) => g.name);
const metricsPod = (cluster: ReturnType<typeof createCluster>) => cluster.kubectl.getObjects('pods', undefined, { namespace: 'kube-system', selector: 'k8s-app=metrics-server' })[0];

describe('metrics-server: scraping every kubelet, serving the Metrics API through the API server', () => {
  it('scrapes the Summary API of every node at once, then every 15 s (--metric-resolution)', () => {
    const cluster = createCluster({ seed: 1 });
    const from = cluster.trace.all().length;
    cluster.installAddOn('metrics-server');
    cluster.runFor(40_000);
    const scraper = `metrics-server/${metricsPod(cluster).metadata.name}`;
    const scrapes = cluster.trace.all().slice(from).filter((e) => e.kind === 'message' && e.actor === scraper && e.summary === 'GET /stats/summary');
    const times = [...new Set(scrapes.map((e) => e.time))];
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect(times.slice(1).map((t, i) => t - times[i])).toEqual(times.slice(1).map(() => 15_000));
    expect(scrapes.filter((e) => e.time === times[0]).map((e) => e.data?.to ?? (e as { to?: string }).to)).toEqual(['kubelet/control-plane', 'kubelet/node-1', 'kubelet/node-2']);
  });

  it('is left out of discovery and answers 503 while its pod is not ready, then serves PodMetrics and NodeMetrics', () => {
    const cluster = createCluster({ seed: 1 });
    expect(cluster.kubectl.request({ verb: 'list', resource: 'nodes', ...metricsApi }).code).toBe(404);
    cluster.installAddOn('metrics-server');
    cluster.kubectl.delete('pods', metricsPod(cluster).metadata.name!, { namespace: 'kube-system' });
    cluster.runFor(1_000);
    expect(groups(cluster)).not.toContain('metrics.k8s.io');
    const early = cluster.kubectl.request({ verb: 'list', resource: 'pods', namespace: 'kube-system', ...metricsApi });
    expect([early.code, (early.body as { message: string }).message]).toEqual([503, 'the server is currently unable to handle the request (get pods.metrics.k8s.io)']);
    cluster.runFor(30_000);
    expect(groups(cluster)).toContain('metrics.k8s.io');
    const pods = cluster.kubectl.request({ verb: 'list', resource: 'pods', namespace: 'kube-system', ...metricsApi }).body as { kind: string; items: { metadata: { name: string }; window: string; containers: { name: string; usage: { cpu: string; memory: string } }[] }[] };
    expect(pods.kind).toBe('PodMetricsList');
    expect(pods.items.map((p) => p.metadata.name).filter((n) => !n.startsWith('kube-proxy-'))).toEqual(['etcd-control-plane', 'kube-apiserver-control-plane', 'kube-controller-manager-control-plane', 'kube-scheduler-control-plane', metricsPod(cluster).metadata.name]);
    expect(pods.items.filter((p) => p.metadata.name.startsWith('kube-proxy-')), 'a kube-proxy pod per node').toHaveLength(3);
    expect(pods.items[0].window).toBe('15s');
    expect(pods.items[0].containers[0]).toEqual({ name: 'etcd', usage: { cpu: expect.stringMatching(/^\d+(n|m)$/), memory: expect.stringMatching(/^\d+(Ki|Mi)$/) } });
    const node = cluster.kubectl.request({ verb: 'get', resource: 'nodes', name: 'node-1', ...metricsApi }).body as { kind: string; usage: object };
    expect(node).toMatchObject({ kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'node-1' }, window: '15s' });
    const missing = cluster.kubectl.request({ verb: 'get', resource: 'pods', namespace: 'default', name: 'nope', ...metricsApi });
    expect([missing.code, (missing.body as { message: string }).message]).toEqual([404, 'pods.metrics.k8s.io "nope" not found']);
  });

  it('is authorized by the API server like any resource: get pods.metrics.k8s.io needs RBAC', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.installAddOn('metrics-server');
    const res = cluster.kubectlAs({ username: 'bob', groups: [] }).request({ verb: 'list', resource: 'pods', namespace: 'default', ...metricsApi });
    expect([res.code, (res.body as { message: string }).message]).toEqual([403, 'pods.metrics.k8s.io is forbidden: User "bob" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "default"']);
  });

  it('answers /readyz with 500 until its storage holds a previous point, then 200; /livez with 200', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.installAddOn('metrics-server');
    const old = metricsPod(cluster).metadata.name;
    cluster.kubectl.delete('pods', old!, { namespace: 'kube-system', gracePeriod: 0 });
    const fresh = () => (cluster.apiServer.cache.list('pods', 'kube-system') as Pod[]).find((p) => p.metadata.labels?.['k8s-app'] === 'metrics-server' && p.metadata.name !== old && p.status?.phase === 'Running');
    cluster.runUntil(() => fresh() !== undefined, 30_000);
    const ip = fresh()!.status!.podIP!;
    const get = (path: string) => {
      let code = 0;
      cluster.network.http('control-plane')(ip, 10250, { method: 'GET', path }, 1_000, (r) => (code = typeof r === 'string' ? -1 : r.code));
      cluster.runFor(100);
      return code;
    };
    expect([get('/readyz'), get('/livez')]).toEqual([500, 200]);
    cluster.runFor(15_000);
    expect(get('/readyz')).toBe(200);
  });

  it('reads the request out of a Metrics API path: nodes cluster-wide, pods in a namespace or in all', () => {
    expect(metricsRequest('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web')).toEqual({ verb: 'get', resource: 'pods', namespace: 'default', name: 'web' });
    expect(metricsRequest('/apis/metrics.k8s.io/v1beta1/pods')).toEqual({ verb: 'list', resource: 'pods', namespace: undefined, name: undefined });
    expect(metricsRequest('/apis/metrics.k8s.io/v1beta1/nodes/node-1')).toEqual({ verb: 'get', resource: 'nodes', namespace: undefined, name: 'node-1' });
    expect([metricsRequest('/apis/metrics.k8s.io/v1beta1/namespaces/default/nodes'), metricsRequest('/api/v1/pods')]).toEqual([undefined, undefined]);
  });
});
