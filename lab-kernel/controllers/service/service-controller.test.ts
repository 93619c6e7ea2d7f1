import { describe, expect, it } from 'vitest';
import type { KubeEvent, Service } from '../../api/types';
import { createCluster, type Cluster } from '../../cluster/cluster';
import { LOAD_BALANCER_CLEANUP_FINALIZER } from './load-balancer-plan';

const LB_SERVICE = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
`;

const svc = (cluster: Cluster) => cluster.apiServer.cache.get('services', 'default', 'web') as Service | undefined;
const ingressIP = (cluster: Cluster) => svc(cluster)?.status?.loadBalancer?.ingress?.[0]?.ip;
const externalIP = (cluster: Cluster) => cluster.kubectl.get('svc', 'web').rows[0][3];
const events = (cluster: Cluster) =>
  (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.kind === 'Service' && e.involvedObject.name === 'web').map((e) => `${e.type} ${e.reason} ${e.message}`);

describe('the service controller, on a simulated cloud', () => {
  it('leaves a LoadBalancer Service <pending> in a cluster without a cloud, as kind does', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(LB_SERVICE);
    cluster.runFor(60_000);
    expect(externalIP(cluster)).toBe('<pending>');
    expect(svc(cluster)!.metadata.finalizers).toBeUndefined();
  });

  it('gives a LoadBalancer Service an IP from 203.0.113.0/24: the finalizer first, then the load balancer, then the status', () => {
    const cluster = createCluster({ seed: 1, cloud: true });
    cluster.apply(LB_SERVICE);
    cluster.runFor(1_000);
    expect(svc(cluster)!.metadata.finalizers).toEqual([LOAD_BALANCER_CLEANUP_FINALIZER]);
    expect(externalIP(cluster)).toBe('<pending>');
    expect(cluster.runUntil(() => ingressIP(cluster) !== undefined, 60_000)).toBe(true);
    expect(ingressIP(cluster)).toBe('203.0.113.1');
    expect(externalIP(cluster)).toBe('203.0.113.1');
    expect(cluster.cloud!.balancers()).toEqual([expect.objectContaining({ service: 'default/web', ip: '203.0.113.1', nodes: ['control-plane', 'node-1', 'node-2'] })]);
    cluster.runFor(1_000);
    expect(events(cluster)).toEqual(['Normal EnsuringLoadBalancer Ensuring load balancer', 'Normal EnsuredLoadBalancer Ensured load balancer']);
  });

  it('retries a failed ensure on a backoff of 5 s, then 10 s, with SyncLoadBalancerFailed Events', () => {
    const cluster = createCluster({ seed: 1, cloud: true });
    cluster.cloud!.failNext('ensure', 'quota exceeded for load balancers', 2);
    cluster.apply(LB_SERVICE);
    expect(cluster.runUntil(() => ingressIP(cluster) !== undefined, 120_000)).toBe(true);
    const failures = cluster.trace.all().filter((e) => e.kind === 'error' && /service-lb-controller: sync default\/web failed/.test(e.summary));
    expect(failures.map((e) => e.summary.match(/requeued in (\d+) ms/)![1])).toEqual(['5000', '10000']);
    cluster.runFor(1_000);
    expect(events(cluster).filter((e) => e.includes('SyncLoadBalancerFailed'))).toEqual([
      'Warning SyncLoadBalancerFailed Error syncing load balancer: failed to ensure load balancer: quota exceeded for load balancers',
    ]);
  });

  it('deletes the load balancer before the Service goes: the finalizer holds it until then', () => {
    const cluster = createCluster({ seed: 1, cloud: true });
    cluster.apply(LB_SERVICE);
    cluster.runUntil(() => ingressIP(cluster) !== undefined, 60_000);
    cluster.kubectl.delete('svc', 'web');
    expect(svc(cluster)).toBeUndefined();
    expect(cluster.cloud!.balancers()).toEqual([]);
    const deleted = cluster.trace.all().findIndex((e) => e.actor === 'cloud' && e.summary.startsWith('deleted load balancer'));
    expect(deleted).toBeGreaterThan(-1);
    const reasons = (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.name === 'web').map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['DeletingLoadBalancer', 'DeletedLoadBalancer']));
  });

  it('updates the load balancer when a node is labelled exclude-from-external-load-balancers', () => {
    const cluster = createCluster({ seed: 1, cloud: true });
    cluster.apply(LB_SERVICE);
    cluster.runUntil(() => ingressIP(cluster) !== undefined, 60_000);
    cluster.kubectl.patch('node', 'node-2', { metadata: { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': 'true' } } }, { type: 'merge' });
    expect(cluster.runUntil(() => cluster.cloud!.balancers()[0].nodes.join(',') === 'control-plane,node-1', 30_000)).toBe(true);
    cluster.runFor(1_000);
    expect(events(cluster)).toContain('Normal UpdatedLoadBalancer Updated load balancer with new hosts');
  });
});
