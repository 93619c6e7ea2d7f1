import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { Client } from './client';
import { Informer } from './informer';
import { REFERENCE_REFLECTOR_STEP, REFERENCE_RELIST_DIFF } from './reference-reflector.fixture';

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: { v: "1" }\n`;

describe('an informer behind a short partition', () => {
  it('loses no change: the broken watch is reopened from its last resourceVersion once the network heals', () => {
    const cluster = createCluster({ seed: 2 });
    for (const n of ['a', 'b', 'd']) cluster.apply(configMap(n));
    const client = new Client('watcher', cluster.net, cluster.apiServer, { credentials: { clientCertificate: { commonName: 'watcher', organizations: ['system:masters'] } }, reflectorStep: REFERENCE_REFLECTOR_STEP, relistDiff: REFERENCE_RELIST_DIFF });
    const informer = new Informer<KubeObject>(cluster.sim, client, { resource: 'configmaps', namespace: 'default' });
    informer.start();
    cluster.runUntil(() => informer.hasSynced());
    const names = () => informer.lister.list().map((o) => o.metadata.name).sort();
    expect(names()).toContain('a');

    cluster.net.isolate('watcher');
    cluster.kubectl.delete('configmap', 'a');
    cluster.apply(configMap('c'));
    cluster.runFor(10_000);
    cluster.net.reconnect('watcher');
    cluster.runFor(40_000);

    const truth = cluster.kubectl.getObjects('configmaps').map((o) => o.metadata.name).sort();
    expect(names()).toEqual(truth);
    expect(truth).toEqual(expect.arrayContaining(['b', 'c', 'd']));
    expect(truth).not.toContain('a');
  });
});
