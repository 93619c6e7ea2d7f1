import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { ownerGraph } from './owner-graph';

const obj = (kind: string, name: string, owners: { kind: string; name: string; controller?: boolean }[] = []): KubeObject =>
  ({
    apiVersion: 'v1',
    kind,
    metadata: { name, uid: `uid-${name}`, ownerReferences: owners.map((o) => ({ apiVersion: 'v1', kind: o.kind, name: o.name, uid: `uid-${o.name}`, controller: o.controller })) },
  }) as KubeObject;

describe('ownerGraph', () => {
  it('draws an arrow from each owner to its dependent, labelled controller for the managing owner', () => {
    const text = ownerGraph([obj('ReplicaSet', 'web'), obj('Pod', 'web-a', [{ kind: 'ReplicaSet', name: 'web', controller: true }]), obj('ConfigMap', 'notes', [{ kind: 'ReplicaSet', name: 'web' }])]);
    const body = text.split('\n').slice(text.split('\n').indexOf('flowchart LR') + 1);
    expect(body).toEqual(['  o0["ReplicaSet/web"]', '  o1["Pod/web-a"]', '  o2["ConfigMap/notes"]', '  o0 -->|controller| o1', '  o0 --> o2']);
  });

  it('draws an owner that is not among the objects dashed, and an orphan alone', () => {
    const text = ownerGraph([obj('Pod', 'web-a', [{ kind: 'ReplicaSet', name: 'gone', controller: true }]), obj('Pod', 'stray')]);
    expect(text).toContain('o2["ReplicaSet/gone (not found)"]');
    expect(text).toContain('style o2 stroke-dasharray: 4 3');
    expect(text).toContain('o2 -->|controller| o0');
    expect(text.split('\n').filter((l) => l.includes('o1'))).toEqual(['  o1["Pod/stray"]']);
  });
});
