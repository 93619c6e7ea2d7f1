import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { servedVsStored } from './served-vs-stored';

describe('servedVsStored', () => {
  it('puts the answer’s resourceVersion beside the key’s modRevision: the same number, never stored', () => {
    const cluster = createCluster({ seed: 1 });
    const KEY = '/registry/namespaces/demo';
    const created = cluster.kubectl.request({ verb: 'create', resource: 'namespaces', body: { metadata: { name: 'demo' } } });
    const first = servedVsStored(created, cluster.etcd.get(KEY));
    expect(first).toEqual({
      'HTTP code': 201,
      'API: resourceVersion': String(cluster.etcd.get(KEY)!.modRevision),
      'etcd: modRevision': cluster.etcd.get(KEY)!.modRevision,
      'etcd: version': 1,
      'stored JSON mentions resourceVersion': false,
    });
    const ns = created.body as KubeObject;
    const updated = cluster.kubectl.request({ verb: 'update', resource: 'namespaces', name: 'demo', body: { ...ns, metadata: { ...ns.metadata, labels: { team: 'blue' } } } });
    const second = servedVsStored(updated, cluster.etcd.get(KEY));
    expect(second['etcd: version']).toBe(2);
    expect(second['API: resourceVersion']).toBe(String(second['etcd: modRevision']));
  });

  it('leaves the etcd side blank for a key that is not there', () => {
    expect(servedVsStored({ code: 404, body: { kind: 'Status' } }, undefined)).toEqual({
      'HTTP code': 404,
      'API: resourceVersion': undefined,
      'etcd: modRevision': undefined,
      'etcd: version': undefined,
      'stored JSON mentions resourceVersion': undefined,
    });
  });
});
