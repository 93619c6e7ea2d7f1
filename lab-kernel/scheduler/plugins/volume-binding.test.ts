import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim } from '../../api/types';
import { claimsStatus, ERR_REASON_BIND_CONFLICT } from './volume-binding';
import { testPod } from './testing';

const claim = (name: string, spec: PersistentVolumeClaim['spec'], deleting = false): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
  spec,
});
const claims = [claim('bound', { volumeName: 'pv-1' }), claim('pending', {}), claim('leaving', { volumeName: 'pv-2' }, true), claim('solo', { volumeName: 'pv-3', accessModes: ['ReadWriteOncePod'] })];
const lister = (namespace: string, name: string) => claims.find((c) => c.metadata.namespace === namespace && c.metadata.name === name);
const using = (name: string, claimName: string) => testPod(name, {}, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] });

describe('VolumeBinding (simplified)', () => {
  const cases: [string, string, string | undefined][] = [
    ['a pod whose claim is bound can be scheduled', 'bound', undefined],
    ['a pod whose claim is not bound yet waits: "pod has unbound immediate PersistentVolumeClaims"', 'pending', ERR_REASON_BIND_CONFLICT],
    ['a pod whose claim does not exist waits: persistentvolumeclaim "x" not found', 'missing', 'persistentvolumeclaim "missing" not found'],
    ['a pod whose claim is being deleted waits', 'leaving', 'persistentvolumeclaim "leaving" is being deleted'],
  ];
  for (const [name, claimName, reason] of cases) {
    it(name, () => {
      const status = claimsStatus(using('p', claimName), lister);
      expect(status).toEqual(reason === undefined ? { code: 'Success', reasons: [] } : { code: 'UnschedulableAndUnresolvable', reasons: [reason] });
    });
  }
});
