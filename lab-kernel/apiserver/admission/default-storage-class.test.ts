import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim, StorageClass } from '../../api/types';
import { admissionRequestFor, fixedAdmissionContext, runAdmission } from './chain';
import { defaultStorageClassPlugin } from './default-storage-class';

const sc = (name: string, created: string, isDefault: boolean): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, creationTimestamp: created, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  provisioner: 'rancher.io/local-path',
});

function admitted(storageClassName: string | undefined, classes: StorageClass[], operation: 'CREATE' | 'UPDATE' = 'CREATE'): string | undefined {
  const claim: PersistentVolumeClaim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName } };
  const req = admissionRequestFor(operation, claim);
  runAdmission([defaultStorageClassPlugin()], req, fixedAdmissionContext(classes), 'mutating');
  return (req.object as PersistentVolumeClaim).spec.storageClassName;
}

describe('DefaultStorageClass admission', () => {
  const standard = sc('standard', '2025-01-01T00:00:00Z', true);
  it('gives a claim created without a class the default class', () => {
    expect(admitted(undefined, [sc('slow', '2025-01-01T00:00:00Z', false), standard])).toBe('standard');
  });

  it('leaves a claim that names a class, even the empty one, as it is', () => {
    expect(admitted('slow', [standard])).toBe('slow');
    expect(admitted('', [standard])).toBe('');
  });

  it('leaves the class out when no class is the default', () => {
    expect(admitted(undefined, [sc('slow', '2025-01-01T00:00:00Z', false)])).toBeUndefined();
  });

  it('picks the newest default when several are marked, the first by name on a tie', () => {
    expect(admitted(undefined, [standard, sc('fast', '2025-02-01T00:00:00Z', true)])).toBe('fast');
    expect(admitted(undefined, [sc('b', '2025-01-01T00:00:00Z', true), sc('a', '2025-01-01T00:00:00Z', true)])).toBe('a');
  });
});
