import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { controllerWatches } from './controller-watches';

describe('controllerWatches', () => {
  it("lists each controller of the running controller manager with the resources its informers read", () => {
    const cluster = createCluster({ seed: 1 });
    const rows = controllerWatches(cluster.controllerManager);
    const of = (name: string) => rows.find((r) => r.controller === name)?.watches;
    expect(of('replicaSet')).toBe('replicasets, pods');
    expect(of('replicationController')).toBe('replicationcontrollers, pods');
    expect(of('endpoints')).toBe('services, pods, endpoints');
    expect(of('nodeLifecycle'), 'through its node monitor').toBe('nodes, leases, pods');
    expect(of('garbageCollector')?.split(', '), 'informers kept in a Map').toContain('replicasets');
    expect(of('service'), 'no cloud, no service controller').toBeUndefined();
    expect(rows.length).toBeGreaterThan(15);
  });

  it('has a service controller, watching services and nodes, in a cluster with a cloud', () => {
    const rows = controllerWatches(createCluster({ seed: 1, cloud: true }).controllerManager);
    expect(rows.find((r) => r.controller === 'service')?.watches).toBe('services, nodes');
  });
});
