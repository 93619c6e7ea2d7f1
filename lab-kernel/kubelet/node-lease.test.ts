import { describe, expect, it } from 'vitest';
import { virtualMs } from '../api/time';
import type { Lease, Node } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { traceQuery } from '../viz/trace-query';
import { NODE_LEASE_DURATION_SECONDS } from './node-lease';

/** A MicroTime back to virtual ms (to the millisecond). */
const microMs = (t: string) => virtualMs(t.replace(/\.\d+Z$/, 'Z')) + Number(t.match(/\.(\d{3})/)![1]);

describe("the kubelet's heartbeat Lease (kube-node-lease)", () => {
  it('is created at registration with the node as holder and owner, then renewed every 10 to 10.4 s with one PUT and no GET', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.runFor(100); // the first heartbeat: GET (404), then CREATE
    const [lease] = cluster.kubectl.getObjects<Lease>('leases', 'node-1', { namespace: 'kube-node-lease' });
    const [node] = cluster.kubectl.getObjects<Node>('nodes', 'node-1');
    expect(lease.spec).toMatchObject({ holderIdentity: 'node-1', leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS });
    expect(lease.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: node.metadata.uid }]);
    const t = cluster.now();
    cluster.runFor(60_000);
    const mine = { since: t, actor: 'kubelet/node-1', flow: 'request' as const };
    const puts = traceQuery(cluster.trace, { ...mine, summary: 'update leases kube-node-lease/node-1' });
    expect(traceQuery(cluster.trace, { ...mine, summary: /leases/ }).length, 'only updates once the lease exists').toBe(puts.length);
    expect(puts.length).toBeGreaterThanOrEqual(5);
    const gaps = puts.slice(1).map((p, i) => p.time - puts[i].time);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(10_000);
      expect(gap).toBeLessThanOrEqual(10_400 + 6); // plus the answer's round trip (1-3 ms each way)
    }
    const renewed = cluster.kubelets[1].agent.lease.lease()!;
    expect(microMs(renewed.spec!.renewTime!)).toBe(puts[puts.length - 1].time);
  });

  it('stops moving when the kubelet stops', () => {
    const cluster = createCluster({ seed: 2 });
    cluster.runFor(15_000);
    cluster.kubelets[1].stop();
    const renewTime = () => cluster.kubectl.getObjects<Lease>('leases', 'node-1', { namespace: 'kube-node-lease' })[0].spec!.renewTime;
    const before = renewTime();
    cluster.runFor(30_000);
    expect(renewTime()).toBe(before);
    expect(cluster.kubectl.getObjects<Lease>('leases', 'node-2', { namespace: 'kube-node-lease' })[0].spec!.renewTime).not.toBe(before);
  });
});
