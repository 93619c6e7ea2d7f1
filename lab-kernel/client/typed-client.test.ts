import { describe, expect, it } from 'vitest';
import type { ConfigMap, KubeList } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { Client } from './client';
import { typedClient, type Result } from './typed-client';

function setup() {
  const cluster = createCluster({ seed: 1 });
  const client = new Client('typed', cluster.net, cluster.apiServer, { credentials: { clientCertificate: { commonName: 'typed', organizations: ['system:masters'] } } });
  const cms = typedClient<ConfigMap>(client, 'configmaps', 'default');
  /** Runs the simulation until the callback has been called, and returns what it got. */
  const wait = <T>(call: (done: (r: Result<T>) => void) => void): Result<T> => {
    let result: Result<T> | undefined;
    call((r) => (result = r));
    cluster.runUntil(() => result !== undefined);
    return result!;
  };
  return { cluster, cms, wait };
}

describe('the typed client (client-go clientset shape)', () => {
  it('creates, gets and lists typed objects', () => {
    const { cms, wait } = setup();
    const created = wait<ConfigMap>((d) => cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { app: 'web' } }, data: { k: 'v' } }, d));
    expect(created.kind).toBe('ok');
    const got = wait<ConfigMap>((d) => cms.get('a', d));
    expect(got.kind === 'ok' && got.object.data).toEqual({ k: 'v' });
    const listed = wait<KubeList<ConfigMap>>((d) => cms.list({ labelSelector: 'app=web' }, d));
    expect(listed.kind === 'ok' && listed.object.items.map((c) => c.metadata.name)).toEqual(['a']);
  });

  it('hands back the API server Status on failure: 404 for a missing object, 409 for a stale update', () => {
    const { cms, wait } = setup();
    const missing = wait<ConfigMap>((d) => cms.get('nope', d));
    expect(missing.kind === 'error' && missing.status.code).toBe(404);
    const created = wait<ConfigMap>((d) => cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { n: '1' } }, d));
    if (created.kind !== 'ok') throw new Error('create failed');
    wait<ConfigMap>((d) => cms.patch('b', 'application/merge-patch+json', { data: { n: '2' } }, d));
    const stale = wait<ConfigMap>((d) => cms.update({ ...created.object, data: { n: '3' } }, d));
    expect(stale.kind === 'error' && stale.status.reason).toBe('Conflict');
  });
});
