import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { edgeCounter, levelCounter } from './pod-counters';

const admin = { username: 'demo', groups: ['system:masters'] };
const WEB = `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: "nginx:1.27" }] }
`;

describe('edgeCounter and levelCounter', () => {
  it('both keep the count of app=web pods in their ConfigMap on a good day', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(WEB);
    for (const name of ['edge', 'level']) {
      cluster.kubectl.request({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name }, data: { count: '0' } } });
    }
    const target = { resource: 'pods', namespace: 'default', labelSelector: 'app=web' };
    const edge = edgeCounter(cluster.sim, cluster.client('edge-counter', admin), { ...target, configMap: 'edge' },
      (e) => (e.type === 'ADDED' ? 1 : e.type === 'DELETED' ? -1 : 0));
    const level = levelCounter(cluster.sim, cluster.client('level-counter', admin), { ...target, configMap: 'level' }, (pods) => pods.length);
    const stored = (name: string) => (cluster.apiServer.cache.get('configmaps', 'default', name) as any).data.count;
    cluster.runFor(1000);
    expect([edge.count(), stored('edge'), stored('level')]).toEqual([3, '3', '3']);
    cluster.kubectl.scale('rs', 'web', 5);
    cluster.runFor(3000);
    expect([edge.count(), stored('edge'), stored('level')]).toEqual([5, '5', '5']);
    expect(level.informer.lister.list()).toHaveLength(5);
    expect(edge.failures).toEqual([]);
  });
});
