import { describe, expect, it } from 'vitest';
import type { Deployment, Pod, Service } from '../api/types';
import { createCluster } from './cluster';

const inKubeSystem = { namespace: 'kube-system' };

describe('the metrics-server add-on (components.yaml of v0.7.2)', () => {
  it('applies its objects and its Deployment becomes available: one pod of the v0.7.2 image, probed on /readyz and /livez at https', () => {
    const cluster = createCluster({ seed: 1, addOns: ['metrics-server'] });
    const names = (resource: string, ns?: string) => cluster.kubectl.getObjects(resource, undefined, ns === undefined ? {} : { namespace: ns, selector: 'k8s-app=metrics-server' }).map((o) => o.metadata.name).filter((n) => n!.includes('metrics'));
    expect(names('serviceaccounts', 'kube-system')).toEqual(['metrics-server']);
    expect(names('clusterroles')).toEqual(['system:aggregated-metrics-reader', 'system:metrics-server']);
    expect(names('rolebindings', 'kube-system')).toEqual(['metrics-server-auth-reader']);
    expect(names('clusterrolebindings')).toEqual(['metrics-server:system:auth-delegator', 'system:metrics-server']);
    const deploy = cluster.kubectl.getObjects<Deployment>('deployments', 'metrics-server', inKubeSystem)[0];
    expect([deploy.spec.replicas, deploy.status?.availableReplicas]).toEqual([1, 1]);
    const pod = cluster.kubectl.getObjects<Pod>('pods', undefined, { ...inKubeSystem, selector: 'k8s-app=metrics-server' })[0];
    const c = pod.spec.containers[0];
    expect([c.image, pod.spec.priorityClassName, pod.spec.serviceAccountName]).toEqual(['registry.k8s.io/metrics-server/metrics-server:v0.7.2', 'system-cluster-critical', 'metrics-server']);
    expect(c.args).toEqual(['--cert-dir=/tmp', '--secure-port=10250', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--kubelet-use-node-status-port', '--metric-resolution=15s']);
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 20, periodSeconds: 10, failureThreshold: 3 });
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 3 });
    const svc = cluster.kubectl.getObjects<Service>('services', 'metrics-server', inKubeSystem)[0];
    expect(svc.spec.ports).toMatchObject([{ name: 'https', port: 443, targetPort: 'https' }]);
    expect(cluster.kubectl.top('nodes').split('\n')).toHaveLength(4);
    expect(cluster.components().filter((c) => c.name.startsWith('metrics-server')).map((c) => [c.name, c.host])).toEqual([[`metrics-server/${pod.metadata.name}`, pod.spec.nodeName]]);
  });

  it("reaches the pod through its Service's ClusterIP on 443, as kube-aggregator does without --enable-aggregator-routing", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.installAddOn('metrics-server');
    const from = cluster.trace.all().length;
    const res = cluster.kubectl.request({ verb: 'list', resource: 'nodes', group: 'metrics.k8s.io' });
    const clusterIP = cluster.kubectl.getObjects<Service>('services', 'metrics-server', inKubeSystem)[0].spec.clusterIP;
    const proxied = cluster.trace.all().slice(from).filter((e) => e.actor === 'kube-apiserver' && e.summary.startsWith('proxy '));
    expect(proxied.map((e) => e.summary)).toEqual([`proxy list nodes to service kube-system/metrics-server (https://${clusterIP}:443)`]);
    // The pod listens on 10250 only: the answer came through the control-plane host's kube-proxy rules.
    expect([res.code, (res.body as { items: unknown[] }).items.length]).toEqual([200, 3]);
  });

  it('is unavailable from the moment its pod goes until the new pod is ready, at least 20 s (its readiness probe waits that long)', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.installAddOn('metrics-server');
    const list = () => cluster.kubectl.request({ verb: 'list', resource: 'pods', namespace: 'default', group: 'metrics.k8s.io' }).code;
    const [old] = cluster.kubectl.getObjects<Pod>('pods', undefined, { ...inKubeSystem, selector: 'k8s-app=metrics-server' });
    cluster.kubectl.delete('pods', old.metadata.name!, inKubeSystem);
    const gone = cluster.now();
    cluster.runFor(500);
    expect(list()).toBe(503);
    expect(() => cluster.kubectl.top('nodes')).toThrow(/^error: Metrics API not available$/);
    const freshReady = () =>
      (cluster.apiServer.cache.list('pods', 'kube-system') as Pod[]).some((p) => p.metadata.labels?.['k8s-app'] === 'metrics-server' && p.metadata.name !== old.metadata.name && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    cluster.runUntil(freshReady, 60_000);
    expect(cluster.now() - gone).toBeGreaterThanOrEqual(20_000);
    cluster.runFor(1_000);
    expect(list()).toBe(200);
  });
});
