import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';

const metricsApi = { group: 'metrics.k8s.io' } as const;
const groups = (cluster: ReturnType<typeof createCluster>) =>
  (cluster.kubectl.request({ verb: 'get', resource: 'apis' }).body as { groups: { name: string }[] }).groups.map((g) => g.name);

describe('metrics-server: scraping every kubelet, serving the Metrics API through the API server', () => {
  it('scrapes the Summary API of every node at once, then every 15 s (--metric-resolution)', () => {
    const cluster = createCluster({ seed: 1 });
    const from = cluster.trace.all().length;
    cluster.installMetricsServer();
    cluster.runFor(40_000);
    const scrapes = cluster.trace.all().slice(from).filter((e) => e.kind === 'message' && e.actor === 'metrics-server' && e.summary === 'GET /stats/summary');
    const times = [...new Set(scrapes.map((e) => e.time))];
    expect(times).toHaveLength(3);
    expect([times[1] - times[0], times[2] - times[1]]).toEqual([15_000, 15_000]);
    expect(scrapes.filter((e) => e.time === times[0]).map((e) => e.data?.to ?? (e as { to?: string }).to)).toEqual(['kubelet/control-plane', 'kubelet/node-1', 'kubelet/node-2']);
  });

  it('is left out of discovery and answers 503 until it holds two scrapes, then serves PodMetrics and NodeMetrics', () => {
    const cluster = createCluster({ seed: 1 });
    expect(cluster.kubectl.request({ verb: 'list', resource: 'nodes', ...metricsApi }).code).toBe(404);
    cluster.installMetricsServer();
    expect(groups(cluster)).not.toContain('metrics.k8s.io');
    const early = cluster.kubectl.request({ verb: 'list', resource: 'pods', namespace: 'kube-system', ...metricsApi });
    expect([early.code, (early.body as { message: string }).message]).toEqual([503, 'the server is currently unable to handle the request (get pods.metrics.k8s.io)']);
    cluster.runFor(20_000);
    expect(groups(cluster)).toContain('metrics.k8s.io');
    const pods = cluster.kubectl.request({ verb: 'list', resource: 'pods', namespace: 'kube-system', ...metricsApi }).body as { kind: string; items: { metadata: { name: string }; window: string; containers: { name: string; usage: { cpu: string; memory: string } }[] }[] };
    expect(pods.kind).toBe('PodMetricsList');
    expect(pods.items.map((p) => p.metadata.name).filter((n) => !n.startsWith('kube-proxy-'))).toEqual(['etcd-control-plane', 'kube-apiserver-control-plane', 'kube-controller-manager-control-plane', 'kube-scheduler-control-plane']);
    expect(pods.items.filter((p) => p.metadata.name.startsWith('kube-proxy-')), "a kube-proxy pod per node").toHaveLength(3);
    expect(pods.items[0].window).toBe('15s');
    expect(pods.items[0].containers[0]).toEqual({ name: 'etcd', usage: { cpu: expect.stringMatching(/^\d+(n|m)$/), memory: expect.stringMatching(/^\d+(Ki|Mi)$/) } });
    const node = cluster.kubectl.request({ verb: 'get', resource: 'nodes', name: 'node-1', ...metricsApi }).body as { kind: string; usage: object };
    expect(node).toMatchObject({ kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'node-1' }, window: '15s' });
    const missing = cluster.kubectl.request({ verb: 'get', resource: 'pods', namespace: 'default', name: 'nope', ...metricsApi });
    expect([missing.code, (missing.body as { message: string }).message]).toEqual([404, 'pods.metrics.k8s.io "nope" not found']);
  });

  it('is authorized by the API server like any resource: get pods.metrics.k8s.io needs RBAC', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.installMetricsServer();
    cluster.runFor(20_000);
    const res = cluster.kubectlAs({ username: 'bob', groups: [] }).request({ verb: 'list', resource: 'pods', namespace: 'default', ...metricsApi });
    expect([res.code, (res.body as { message: string }).message]).toEqual([403, 'pods.metrics.k8s.io is forbidden: User "bob" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "default"']);
  });
});
