import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../api/types';
import { claimPods } from './claim-pods';

const web = (deleting = false): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
});

interface PodShape {
  app?: string;
  controller?: string;
  /** An owner reference that is not a controller's. */
  owner?: string;
  deleting?: boolean;
  namespace?: string;
}

function pod(name: string, shape: PodShape): Pod {
  const refs = [
    ...(shape.controller !== undefined ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${shape.controller}`, uid: shape.controller, controller: true }] : []),
    ...(shape.owner !== undefined ? [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: shape.owner }] : []),
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: shape.namespace ?? 'default',
      uid: `pod-${name}`,
      ...(shape.app !== undefined ? { labels: { app: shape.app } } : {}),
      ...(refs.length > 0 ? { ownerReferences: refs } : {}),
      ...(shape.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    spec: { containers: [] },
  };
}

type Verdict = 'owned' | 'adopt' | 'release' | 'left alone';

const CASES: [string, PodShape, boolean, Verdict][] = [
  // what the pod is                                  pod                                         owner deleting   verdict
  ['its own pod, matching', { app: 'web', controller: 'u1' }, false, 'owned'],
  ['its own pod, matching, while the owner is being deleted', { app: 'web', controller: 'u1' }, true, 'owned'],
  ['its own pod, no longer matching', { app: 'db', controller: 'u1' }, false, 'release'],
  ['its own pod, no longer matching, while the owner is being deleted', { app: 'db', controller: 'u1' }, true, 'left alone'],
  ['its own pod without labels', { controller: 'u1' }, false, 'release'],
  ['a matching orphan', { app: 'web' }, false, 'adopt'],
  ['a matching orphan with an owner that is not a controller', { app: 'web', owner: 'cm1' }, false, 'adopt'],
  ['a matching orphan, while the owner is being deleted', { app: 'web' }, true, 'left alone'],
  ['a matching orphan that is being deleted', { app: 'web', deleting: true }, false, 'left alone'],
  ['a matching orphan in another namespace', { app: 'web', namespace: 'other' }, false, 'left alone'],
  ['an orphan that does not match', { app: 'db' }, false, 'left alone'],
  ["another controller's matching pod", { app: 'web', controller: 'u2' }, false, 'left alone'],
  ["another controller's pod that does not match", { app: 'db', controller: 'u2' }, false, 'left alone'],
];

describe('claimPods (ControllerRefManager.ClaimPods)', () => {
  it.each(CASES)('%s', (_what, shape, ownerDeleting, verdict) => {
    const claims = claimPods(web(ownerDeleting), { matchLabels: { app: 'web' } }, [pod('p', shape)]);
    const found: Verdict[] = [];
    if (claims.owned.length > 0) found.push('owned');
    if (claims.adopt.length > 0) found.push('adopt');
    if (claims.release.length > 0) found.push('release');
    expect(found).toEqual(verdict === 'left alone' ? [] : [verdict]);
  });

  it('sorts a mixed list into owned, adopt and release, keeping their order, as its doc example says', () => {
    const claims = claimPods(web(), { matchLabels: { app: 'web' } }, [
      pod('a', { app: 'web', controller: 'u1' }),
      pod('b', { app: 'db', controller: 'u1' }),
      pod('c', { app: 'web' }),
      pod('d', { app: 'web', controller: 'u2' }),
      pod('e', { app: 'web', deleting: true }),
      pod('f', { app: 'web', controller: 'u1' }),
      pod('g', { app: 'web' }),
    ]);
    const names = (list: readonly Readonly<Pod>[]) => list.map((p) => p.metadata.name);
    expect({ owned: names(claims.owned), adopt: names(claims.adopt), release: names(claims.release) }).toEqual({ owned: ['a', 'f'], adopt: ['c', 'g'], release: ['b'] });
  });

  it('matches with set-based selectors too: an orphan outside a NotIn is adopted, one inside is not', () => {
    const selector = { matchExpressions: [{ key: 'app', operator: 'NotIn' as const, values: ['db'] }] };
    const claims = claimPods(web(), selector, [pod('a', { app: 'web' }), pod('b', { app: 'db' })]);
    expect(claims.adopt.map((p) => p.metadata.name)).toEqual(['a']);
  });

  it('with a filter, adopts only the orphans that pass it and releases its own that fail it', () => {
    const named = (p: Readonly<Pod>) => /^web-\d+$/.test(p.metadata.name!);
    const claims = claimPods(web(), { matchLabels: { app: 'web' } }, [pod('web-0', { app: 'web' }), pod('db-0', { app: 'web' }), pod('web-x', { app: 'web', controller: 'u1' }), pod('web-1', { app: 'web', controller: 'u1' })], named);
    const names = (list: readonly Readonly<Pod>[]) => list.map((p) => p.metadata.name);
    expect({ owned: names(claims.owned), adopt: names(claims.adopt), release: names(claims.release) }).toEqual({ owned: ['web-1'], adopt: ['web-0'], release: ['web-x'] });
  });
});
