import { describe, expect, it } from 'vitest';
import { controllerRef } from './owner-references';
import type { OwnerReference, Pod } from './types';

const podOwnedBy = (...ownerReferences: OwnerReference[]): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', ownerReferences }, spec: { containers: [] } });
const rs: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4', uid: 'u1', controller: true };
const plain: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg', uid: 'u2' };

describe('controllerRef (metav1.GetControllerOf)', () => {
  it('finds the one reference that says controller: true, wherever it is in the list', () => {
    expect(controllerRef(podOwnedBy(plain, rs))).toBe(rs);
  });

  it('finds none when no reference says controller: true, or there are no references', () => {
    expect(controllerRef(podOwnedBy(plain, { ...rs, controller: false }))).toBeUndefined();
    expect(controllerRef({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [] } } as Pod)).toBeUndefined();
  });
});
