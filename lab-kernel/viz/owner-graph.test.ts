import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { ownerGraph } from './owner-graph';

const obj = (kind: string, name: string, owner?: string, extra: object = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, uid: `uid-${name}`, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: owner, uid: `uid-${owner}`, controller: true }] } : {}) },
  ...extra,
});

describe('ownerGraph', () => {
  it('draws an arrow from each owner to what it owns, boxes in the order given', () => {
    expect(ownerGraph([obj('Deployment', 'web'), obj('ReplicaSet', 'web-1a', 'web'), obj('Pod', 'web-1a-x', 'web-1a', { spec: { containers: [] } }), obj('Pod', 'web-1a-y', 'web-1a', { spec: { containers: [] } })])).toBe(
      [
        'flowchart LR',
        '  o0["Deployment<br/>web"]',
        '  o1["ReplicaSet<br/>web-1a"]',
        '  o2["Pod<br/>web-1a-x"]',
        '  o3["Pod<br/>web-1a-y"]',
        '  o0 --> o1',
        '  o1 --> o2',
        '  o1 --> o3',
      ].join('\n'),
    );
  });

  it('leaves out owners missing from the list, and links a pod to the claims it mounts with a dotted arrow', () => {
    const pod = obj('Pod', 'web-0', 'web', { spec: { containers: [], volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }, { name: 'x', emptyDir: {} }] } });
    expect(ownerGraph([pod, obj('PersistentVolumeClaim', 'www-web-0'), obj('PersistentVolumeClaim', 'www-web-1')]).split('\n').slice(4)).toEqual(['  o0 -.-> o1']);
  });
});
