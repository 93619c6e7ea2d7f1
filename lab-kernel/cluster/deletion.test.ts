import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster } from './cluster';

const WEB = `
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
  namespace: NS
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

function clusterWithWeb(namespace = 'default') {
  const cluster = createCluster({ seed: 3 });
  if (namespace !== 'default') cluster.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`);
  cluster.runFor(2_000);
  cluster.apply(WEB.replace('NS', namespace));
  cluster.runFor(5_000);
  return cluster;
}
const pods = (cluster: ReturnType<typeof createCluster>, namespace = 'default') => cluster.kubectl.getObjects<Pod>('pods', undefined, { namespace });

describe('deletion across the cluster (T03.7)', () => {
  it('cascade background: the ReplicaSet goes at once, then the garbage collector deletes its pods', () => {
    const cluster = clusterWithWeb();
    expect(pods(cluster)).toHaveLength(2);
    expect(cluster.kubectl.delete('rs', 'web')).toBe('replicaset.apps "web" deleted');
    cluster.runUntil(() => pods(cluster).length === 0, 120_000);
    expect(pods(cluster)).toHaveLength(0);
    expect(cluster.trace.all().some((e) => e.summary.includes('garbage-collector: Pod default/web-') && e.summary.includes('has no owner left'))).toBe(true);
  });

  it('cascade orphan: the pods stay, and lose their ownerReferences', () => {
    const cluster = clusterWithWeb();
    cluster.kubectl.delete('rs', 'web', { cascade: 'orphan' });
    cluster.runFor(5_000);
    const left = pods(cluster);
    expect(left).toHaveLength(2);
    for (const p of left) expect(p.metadata.ownerReferences).toBeUndefined();
  });

  it('cascade foreground: the pods go first, and kubectl returns once the ReplicaSet itself is gone', () => {
    const cluster = clusterWithWeb();
    cluster.kubectl.delete('rs', 'web', { cascade: 'foreground' });
    expect(cluster.kubectl.getObjects('rs')).toHaveLength(0);
    expect(pods(cluster)).toHaveLength(0);
  });

  it('a running pod gets its grace period: Terminating until its kubelet has stopped it', () => {
    const cluster = clusterWithWeb();
    const name = pods(cluster)[0].metadata.name!;
    cluster.kubectl.delete('pod', name, { wait: false });
    expect(pods(cluster).find((p) => p.metadata.name === name)?.metadata.deletionTimestamp).toBeDefined();
    expect(cluster.kubectl.get('pods').records().find((r) => r.NAME === name)?.STATUS).toBe('Terminating');
    cluster.runUntil(() => !pods(cluster).some((p) => p.metadata.name === name), 60_000);
    expect(pods(cluster).some((p) => p.metadata.name === name)).toBe(false);
  });

  it('a namespace: Terminating, emptied by the namespace controller, then gone', () => {
    const cluster = clusterWithWeb('shop');
    expect(pods(cluster, 'shop')).toHaveLength(2);
    expect(cluster.kubectl.delete('namespace', 'shop')).toBe('namespace "shop" deleted');
    expect(cluster.kubectl.getObjects('namespaces').map((n) => n.metadata.name)).not.toContain('shop');
  });

  it('refuses to delete the default namespace (NamespaceLifecycle)', () => {
    const cluster = createCluster({ seed: 1 });
    expect(() => cluster.kubectl.delete('namespace', 'default')).toThrow('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
  });
});

describe('cluster.retryOnConflict (T03.6)', () => {
  it('runs the retry-on-conflict slot: the change lands on the fresh object', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hits\ndata: { count: "41" }\n');
    const outcome = cluster.retryOnConflict({ resource: 'configmaps', namespace: 'default', name: 'hits' }, { kind: 'increment-data', key: 'count' });
    expect(outcome.kind).toBe('updated');
    expect(cluster.kubectl.getObjects('configmaps', 'hits')[0].data).toEqual({ count: '42' });
  });
});
