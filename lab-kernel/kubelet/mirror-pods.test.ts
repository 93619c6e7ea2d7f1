import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { traceQuery } from '../viz/trace-query';

describe('mirror pods', () => {
  it('re-creates a deleted mirror pod: the Terminating one is deleted for good, a new one (new uid) shows the static pod Running, which never stopped', () => {
    const cluster = createCluster({ seed: 1 });
    const mirror = () => cluster.apiServer.cache.get('pods', 'kube-system', 'etcd-control-plane') as Pod | undefined;
    const before = mirror()!;
    const t = cluster.now();
    cluster.kubectl.delete('pod', 'etcd-control-plane', { namespace: 'kube-system' });
    expect(cluster.runUntil(() => mirror() !== undefined && mirror()!.metadata.uid !== before.metadata.uid && mirror()!.status?.phase === 'Running', 30_000)).toBe(true);
    expect(cluster.now() - t).toBeLessThan(2_000);
    expect(mirror()!.metadata.deletionTimestamp).toBeUndefined();
    expect(mirror()!.metadata.annotations!['kubernetes.io/config.mirror']).toBe(before.metadata.annotations!['kubernetes.io/config.mirror']);
    expect(traceQuery(cluster.trace, { since: t, actor: 'kubelet/control-plane', summary: 'deleting mirror pod kube-system/etcd-control-plane (being deleted), a new one follows' })).toHaveLength(1);
    expect(traceQuery(cluster.trace, { since: t, summary: /^StopContainer kube-system\/etcd/ })).toHaveLength(0);
    cluster.runFor(60_000);
    expect(mirror()!.metadata.deletionTimestamp).toBeUndefined();
  });
});
