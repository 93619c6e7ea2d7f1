import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { openedWatches, watchesByResource } from './watch-counts';

describe('openedWatches and watchesByResource', () => {
  it('count the watches clients open on the API server, and its one etcd watch per resource', () => {
    const cluster = createCluster({ seed: 1 });
    const before = openedWatches(cluster.trace);
    const [pods] = watchesByResource(cluster.trace, ['pods']);
    expect(pods['etcd watches the API server opened']).toBe(1);
    expect(pods.by).toContain('kube-scheduler');
    const stops = ['watcher-1', 'watcher-2'].map((name) => cluster.client(name).watch({ verb: 'watch', resource: 'pods' }, () => undefined));
    cluster.runFor(100);
    const after = openedWatches(cluster.trace);
    expect(after.onApiServer.length - before.onApiServer.length).toBe(2);
    expect(after.onEtcd.length).toBe(before.onEtcd.length);
    expect(after.onEtcd.every((e) => e.summary.startsWith('watch /registry/'))).toBe(true);
    const [podsNow] = watchesByResource(cluster.trace, ['pods']);
    expect(podsNow['watches opened on the API server']).toBe(pods['watches opened on the API server'] + 2);
    expect(podsNow.by).toMatch(/watcher-1, watcher-2$/);
    stops.forEach((stop) => stop());
  });
});
