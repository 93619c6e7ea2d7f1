import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { ownerGraph } from './owner-graph';

const obj = (kind: string, name: string, owners: { kind: string; name: string; controller?: boolean }[] = [], extra: object = {}): KubeObject =>
  ({
    apiVersion: 'v1',
    kind,
    metadata: { name, uid: `uid-${name}`, ownerReferences: owners.map((o) => ({ apiVersion: 'v1', kind: o.kind, name: o.name, uid: `uid-${o.name}`, controller: o.controller })) },
    ...(kind === 'Pod' ? { spec: { containers: [] } } : {}),
    ...extra,
  }) as KubeObject;
const body = (text: string) => text.split('\n').slice(text.split('\n').indexOf('flowchart LR') + 1);

describe('ownerGraph', () => {
  it('draws an arrow from each owner to what it owns, boxes in the order given', () => {
    const rs = { kind: 'ReplicaSet', name: 'web-1a', controller: true };
    expect(body(ownerGraph([obj('Deployment', 'web'), obj('ReplicaSet', 'web-1a', [{ kind: 'Deployment', name: 'web', controller: true }]), obj('Pod', 'web-1a-x', [rs]), obj('Pod', 'web-1a-y', [rs])]))).toEqual([
      '  o0["Deployment<br/>web"]',
      '  o1["ReplicaSet<br/>web-1a"]',
      '  o2["Pod<br/>web-1a-x"]',
      '  o3["Pod<br/>web-1a-y"]',
      '  o0 --> o1',
      '  o1 --> o2',
      '  o1 --> o3',
    ]);
  });

  it('labels the managing controller\'s arrows with controllerLabels, and not another owner\'s', () => {
    const text = ownerGraph([obj('ReplicaSet', 'web'), obj('Pod', 'web-a', [{ kind: 'ReplicaSet', name: 'web', controller: true }]), obj('ConfigMap', 'notes', [{ kind: 'ReplicaSet', name: 'web' }])], { controllerLabels: true });
    expect(body(text).slice(3)).toEqual(['  o0 -->|controller| o1', '  o0 --> o2']);
  });

  it('draws an owner that is not among the objects dashed, and an orphan alone', () => {
    const text = ownerGraph([obj('Pod', 'web-a', [{ kind: 'ReplicaSet', name: 'gone', controller: true }]), obj('Pod', 'stray')], { controllerLabels: true });
    expect(text).toContain('o2["ReplicaSet<br/>gone (not found)"]');
    expect(text).toContain('style o2 stroke-dasharray: 4 3');
    expect(text).toContain('o2 -->|controller| o0');
    expect(text.split('\n').filter((l) => l.includes('o1'))).toEqual(['  o1["Pod<br/>stray"]']);
  });

  it('links a pod to the claims of the list it mounts with a dotted arrow', () => {
    const pod = obj('Pod', 'web-0', [], { spec: { containers: [], volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }, { name: 'x', emptyDir: {} }] } });
    expect(body(ownerGraph([pod, obj('PersistentVolumeClaim', 'www-web-0'), obj('PersistentVolumeClaim', 'www-web-1')])).slice(3)).toEqual(['  o0 -.-> o1']);
  });
});
