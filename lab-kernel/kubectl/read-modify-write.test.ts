import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { readModifyWrite } from './read-modify-write';

const labelled = (team: string) => (ns: KubeObject): KubeObject => ({ ...ns, metadata: { ...ns.metadata, labels: { team } } });

describe('readModifyWrite', () => {
  it('reads, changes and updates: a GET then an UPDATE from kubectl, answered 200 at a new resourceVersion', () => {
    const cluster = createCluster({ seed: 1 });
    const created = cluster.kubectl.request({ verb: 'create', resource: 'namespaces', body: { metadata: { name: 'demo' } } });
    const since = cluster.now();
    const res = readModifyWrite(cluster.kubectl, 'namespaces', 'demo', labelled('blue'));
    expect(res.code).toBe(200);
    const ns = res.body as KubeObject;
    expect(ns.metadata.labels).toMatchObject({ team: 'blue' });
    expect(Number(ns.metadata.resourceVersion)).toBeGreaterThan(Number((created.body as KubeObject).metadata.resourceVersion));
    const sent = cluster.trace.between(since, Infinity).filter((e) => e.actor === 'kubectl' && e.flow === 'request').map((e) => e.summary);
    expect(sent).toEqual(['get namespaces demo', 'update namespaces demo']);
  });

  it('sends nothing more when the read fails', () => {
    const cluster = createCluster({ seed: 1 });
    const since = cluster.now();
    const res = readModifyWrite(cluster.kubectl, 'configmaps', 'missing', labelled('blue'), 'default');
    expect(res.code).toBe(404);
    expect(cluster.trace.between(since, Infinity).filter((e) => e.actor === 'kubectl' && e.flow === 'request').map((e) => e.summary)).toEqual(['get configmaps default/missing']);
  });
});
