import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/types';
import { provisionDecision, shouldDelete } from './provision-plan';

const standard: StorageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' };
const claim = (annotations: Record<string, string>, volumeName?: string): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'www', namespace: 'default', uid: '1234', annotations },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem', volumeName },
});
const FOR_US = { 'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path' };
const ON_NODE = { ...FOR_US, 'volume.kubernetes.io/selected-node': 'node-1' };
const decide = (c: PersistentVolumeClaim, exists = false) => provisionDecision({ claim: c, storageClass: standard, provisioner: 'rancher.io/local-path', exists });

describe('the local-path provisioner decides', () => {
  it('to provision a claim annotated for it once it has a selected node: pvc-<uid>, bound to the claim, pinned to the node', () => {
    const d = decide(claim(ON_NODE));
    expect(d.provision).toBe(true);
    const pv = (d as { volume: PersistentVolume }).volume;
    expect(pv.metadata).toEqual({ name: 'pvc-1234', annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' } });
    expect(pv.spec).toEqual({
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      volumeMode: 'Filesystem',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'www', uid: '1234' },
      hostPath: { path: '/var/local-path-provisioner/pvc-1234_default_www', type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } },
    });
  });

  it('to wait, or leave alone, every other claim', () => {
    expect(decide(claim(FOR_US))).toEqual({ provision: false, why: 'waiting for the scheduler to pick a node' });
    expect(decide(claim({ 'volume.kubernetes.io/selected-node': 'node-1' }))).toEqual({ provision: false, why: 'the claim is not for rancher.io/local-path' });
    expect(decide(claim(ON_NODE, 'pvc-1234'))).toEqual({ provision: false, why: 'the claim is bound already' });
    expect(decide(claim(ON_NODE), true)).toEqual({ provision: false, why: 'its volume exists already' });
  });

  it('to delete only its own Released volumes whose policy is Delete', () => {
    const pv = (phase: 'Bound' | 'Released', policy: 'Delete' | 'Retain', by = 'rancher.io/local-path'): PersistentVolume => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pvc-1234', annotations: { 'pv.kubernetes.io/provisioned-by': by } },
      spec: { persistentVolumeReclaimPolicy: policy },
      status: { phase },
    });
    expect(shouldDelete(pv('Released', 'Delete'), 'rancher.io/local-path')).toBe(true);
    expect(shouldDelete(pv('Bound', 'Delete'), 'rancher.io/local-path')).toBe(false);
    expect(shouldDelete(pv('Released', 'Retain'), 'rancher.io/local-path')).toBe(false);
    expect(shouldDelete(pv('Released', 'Delete', 'ebs.csi.aws.com'), 'rancher.io/local-path')).toBe(false);
  });
});
