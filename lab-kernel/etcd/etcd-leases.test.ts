import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';

describe('leases on a replicated etcd', () => {
  it('an Event expires 1 h to 1 h 01 min after its last write: the leader revokes its lease through Raft, on every member', () => {
    const cluster = createCluster({ seed: 1, etcdMembers: 3 });
    const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Test', message: 'hello', type: 'Normal' };
    expect(cluster.kubectl.request({ verb: 'create', resource: 'events', namespace: 'default', body: event }).code).toBe(201);
    cluster.runFor(2_000);
    const key = '/registry/events/default/web.1';
    const stored = () => cluster.etcdCluster!.names.map((n) => cluster.etcdCluster!.member(n)!.store.get(key) !== undefined);
    expect(stored()).toEqual([true, true, true]);
    expect(cluster.etcdCluster!.member('etcd-0')!.store.get(key)!.lease).toBeGreaterThan(0);
    cluster.runFor(3_600_000 - 5_000);
    expect(stored()).toEqual([true, true, true]);
    cluster.runFor(65_000);
    expect(stored()).toEqual([false, false, false]);
  });
});
