import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/types';
import { syncClaim, type ClaimIntent } from './claim-sync';

const claim = (spec: Partial<PersistentVolumeClaim['spec']> = {}, annotations?: Record<string, string>, phase?: 'Pending' | 'Bound' | 'Lost'): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default', uid: 'uid-data', annotations },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } }, volumeMode: 'Filesystem', ...spec },
  status: { phase: phase ?? 'Pending' },
});
const pv = (name: string, size: string, spec: Partial<PersistentVolume['spec']> = {}): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', hostPath: { path: '/mnt' }, ...spec },
  status: { phase: 'Available' },
});
const sc = (name: string, mode: 'Immediate' | 'WaitForFirstConsumer', isDefault = false): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, creationTimestamp: '2025-01-01T00:00:00Z', ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  provisioner: 'rancher.io/local-path',
  volumeBindingMode: mode,
});
const standard = sc('standard', 'WaitForFirstConsumer', true);
const BOUND = { 'pv.kubernetes.io/bind-completed': 'yes' };
const summary = (intents: ClaimIntent[]) =>
  intents.map((i) =>
    i.kind === 'bind' ? `bind ${i.volume.metadata.name}` : i.kind === 'event' || i.kind === 'lost' ? `${i.kind} ${i.event.reason}: ${i.event.message}` : i.kind === 'assign-class' ? `assign-class ${i.className}` : i.kind === 'provision' ? `provision ${i.provisioner}` : i.kind === 'phase' ? `phase ${i.phase}` : `error ${i.message}`,
  );

describe('syncClaim: what the PV controller does about one claim', () => {
  const rows: [string, PersistentVolumeClaim, PersistentVolume[], StorageClass[], string[], string[]?][] = [
    ['binds an unbound claim to the best matching volume', claim({ storageClassName: 'manual' }), [pv('a', '5Gi', { storageClassName: 'manual' })], [], ['bind a']],
    ['says FailedBinding and stays Pending with no volume and no class', claim({ storageClassName: '' }), [], [standard], ['event FailedBinding: no persistent volumes available for this claim and no storage class is set', 'phase Pending']],
    ['gives a claim without a class the default class first (retroactively)', claim(), [], [standard], ['assign-class standard']],
    ['binds a claim without a class to a class-less volume before giving it a class', claim(), [pv('plain', '5Gi')], [standard], ['bind plain']],
    ['waits for the first consumer of a WaitForFirstConsumer claim', claim({ storageClassName: 'standard' }), [], [standard], ['event WaitForFirstConsumer: waiting for first consumer to be created before binding', 'phase Pending']],
    ['names the pods it waits for, when some use the claim unscheduled', claim({ storageClassName: 'standard' }), [], [standard], ['event WaitForPodScheduled: waiting for pod web to be scheduled', 'phase Pending'], ['web']],
    ['asks the provisioner once the scheduler picked a node', claim({ storageClassName: 'standard' }, { 'volume.kubernetes.io/selected-node': 'node-1' }), [], [standard], ['provision rancher.io/local-path']],
    ['asks the provisioner at once for an Immediate class', claim({ storageClassName: 'fast' }), [], [sc('fast', 'Immediate')], ['provision rancher.io/local-path']],
    ['reports a class that does not exist', claim({ storageClassName: 'gone' }), [], [], ['event ProvisioningFailed: storageclass.storage.k8s.io "gone" not found']],
    ['binds a claim pre-bound by volumeName to that free volume', claim({ volumeName: 'mine', storageClassName: '' }), [pv('mine', '5Gi')], [], ['bind mine']],
    ['refuses a named volume that is too small: VolumeMismatch', claim({ volumeName: 'tiny', storageClassName: '' }), [pv('tiny', '1Gi')], [], ['event VolumeMismatch: Cannot bind to requested volume "tiny": requested PV is too small', 'phase Pending']],
    ['waits while the named volume does not exist', claim({ volumeName: 'later' }), [], [], ['phase Pending']],
    ['waits while the named volume is another claim\'s', claim({ volumeName: 'taken', storageClassName: '' }), [pv('taken', '5Gi', { claimRef: { namespace: 'default', name: 'other', uid: 'u2' } })], [], ['event FailedBinding: volume "taken" already bound to a different claim.', 'phase Pending']],
    ['keeps a bound claim bound (bind again: writes only what is missing)', claim({ volumeName: 'a' }, BOUND, 'Bound'), [pv('a', '5Gi', { claimRef: { namespace: 'default', name: 'data', uid: 'uid-data' } })], [], ['bind a']],
    ['marks a bound claim whose volume is gone Lost', claim({ volumeName: 'a' }, BOUND, 'Bound'), [], [], ['lost ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost!']],
    ['marks a bound claim whose volume went to another claim Lost (ClaimMisbound)', claim({ volumeName: 'a' }, BOUND, 'Bound'), [pv('a', '5Gi', { claimRef: { namespace: 'default', name: 'other', uid: 'u2' } })], [], ['lost ClaimMisbound: Two claims are bound to the same volume, this one is bound incorrectly']],
  ];
  it.each(rows)('%s', (_name, c, volumes, classes, expected, unscheduledPods = []) => {
    expect(summary(syncClaim({ claim: c, volumes, classes, unscheduledPods }))).toEqual(expected);
  });
});
