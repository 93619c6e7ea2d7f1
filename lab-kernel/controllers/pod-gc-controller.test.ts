import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { traceQuery } from '../viz/trace-query';

describe('the pod garbage collector on a whole cluster', () => {
  it('force-deletes the pods of a deleted node once the 40 s quarantine is over and a GET says 404, marking them Failed first', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1
kind: Pod
metadata: { name: web, namespace: default }
spec: { nodeName: node-2, containers: [{ name: nginx, image: nginx:1.27 }] }
`);
    const web = () => cluster.apiServer.cache.get('pods', 'default', 'web') as Pod | undefined;
    expect(cluster.runUntil(() => web()?.status?.phase === 'Running', 10_000)).toBe(true);
    cluster.kubelets[2].stop(); // node-2's kubelet is gone for good; then an admin deletes the Node
    const tDelete = cluster.now();
    cluster.kubectl.delete('node', 'node-2');
    cluster.runFor(30_000);
    expect(web(), 'still there within the quarantine').toBeDefined();
    // Checked after every event: the pod as it was just before it went.
    let last: Pod | undefined;
    expect(
      cluster.runUntil(() => {
        last = web() ?? last;
        return web() === undefined;
      }, 60_000),
    ).toBe(true);
    expect(last?.status?.phase).toBe('Failed');
    expect(last?.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
    const gone = cluster.now() - tDelete;
    expect(gone).toBeGreaterThan(40_000);
    expect(gone).toBeLessThanOrEqual(40_000 + 2 * 20_000 + 100);
    const calls = traceQuery(cluster.trace, { since: tDelete, actor: 'kube-controller-manager', flow: 'request', summary: /node-2|default\/web/ }).map((e) => e.summary);
    expect(calls).toEqual(['get nodes node-2', 'update pods/status default/web', 'delete pods default/web']);
  });

  it('leaves the pods of every existing node alone', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1
kind: Pod
metadata: { name: web, namespace: default }
spec: { containers: [{ name: nginx, image: nginx:1.27 }] }
`);
    cluster.runFor(120_000);
    expect(traceQuery(cluster.trace, { summary: /pod-garbage-collector/ })).toEqual([]);
    expect(cluster.apiServer.cache.get('pods', 'default', 'web')).toBeDefined();
  });
});
