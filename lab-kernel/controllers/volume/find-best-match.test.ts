import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/types';
import { findBestMatch } from './find-best-match';

type PvSpec = PersistentVolume['spec'];
const pv = (name: string, size: string, spec: Partial<PvSpec> = {}, extra: { labels?: Record<string, string>; phase?: 'Available' | 'Bound' | 'Released'; deleting?: boolean } = {}): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, labels: extra.labels, ...(extra.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', volumeMode: 'Filesystem', hostPath: { path: `/mnt/${name}` }, ...spec },
  status: { phase: extra.phase ?? 'Available' },
});
const claim = (spec: Partial<PersistentVolumeClaim['spec']> = {}): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default', uid: 'uid-data' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } }, storageClassName: 'manual', volumeMode: 'Filesystem', ...spec },
});

describe('findBestMatch: the volume the PV controller binds a claim to', () => {
  const rows: [string, PersistentVolumeClaim, PersistentVolume[], string | undefined, boolean?][] = [
    ['the smallest volume that is big enough', claim(), [pv('big', '10Gi'), pv('fit', '5Gi'), pv('small', '1Gi')], 'fit'],
    ['a volume exactly the size asked for', claim(), [pv('exact', '3Gi'), pv('big', '10Gi')], 'exact'],
    ['nothing when every volume is too small', claim(), [pv('small', '2Gi')], undefined],
    ['sizes compared as quantities (3000Mi is smaller than 3Gi)', claim(), [pv('mi', '3000Mi'), pv('gi', '4Gi')], 'gi'],
    ['only a volume offering every mode asked for', claim({ accessModes: ['ReadWriteMany'] }), [pv('rwo', '5Gi'), pv('rwx', '10Gi', { accessModes: ['ReadWriteOnce', 'ReadWriteMany'] })], 'rwx'],
    ['the group with the fewest modes first, even if its volume is bigger', claim(), [pv('multi', '5Gi', { accessModes: ['ReadWriteOnce', 'ReadWriteMany'] }), pv('rwo', '100Gi')], 'rwo'],
    ['only a volume of the same class', claim({ storageClassName: 'fast' }), [pv('manual', '5Gi'), pv('fast', '10Gi', { storageClassName: 'fast' })], 'fast'],
    ['a claim without a class only a volume without one', claim({ storageClassName: '' }), [pv('manual', '5Gi'), pv('none', '10Gi', { storageClassName: undefined })], 'none'],
    ['only a volume whose labels match the selector', claim({ selector: { matchLabels: { type: 'local' } } }), [pv('plain', '5Gi'), pv('local', '10Gi', {}, { labels: { type: 'local' } })], 'local'],
    ['only a volume of the same volumeMode', claim({ volumeMode: 'Block' }), [pv('fs', '5Gi'), pv('block', '10Gi', { volumeMode: 'Block' })], 'block'],
    ['not a volume claimed by another claim', claim(), [pv('taken', '5Gi', { claimRef: { namespace: 'default', name: 'other', uid: 'u2' } })], undefined],
    ['not a volume that is not Available yet (or Released)', claim(), [pv('new', '5Gi', {}, { phase: 'Bound' }), pv('old', '6Gi', {}, { phase: 'Released' })], undefined],
    ['not a volume being deleted', claim(), [pv('leaving', '5Gi', {}, { deleting: true })], undefined],
    ['a volume pre-bound to the claim by claimRef, though not the smallest', claim(), [pv('fit', '5Gi'), pv('mine', '10Gi', { claimRef: { namespace: 'default', name: 'data' } })], 'mine'],
    ['not a volume pre-bound to an earlier claim of the same name (another uid)', claim(), [pv('old', '5Gi', { claimRef: { namespace: 'default', name: 'data', uid: 'uid-gone' } })], undefined],
    ['a pre-bound volume even of another class (the user chose it)', claim(), [pv('mine', '5Gi', { storageClassName: 'other', claimRef: { namespace: 'default', name: 'data' } })], 'mine'],
    ['with WaitForFirstConsumer, no unbound volume (the scheduler picks those)', claim(), [pv('fit', '5Gi')], undefined, true],
    ['with WaitForFirstConsumer, still a pre-bound volume', claim(), [pv('mine', '5Gi', { claimRef: { namespace: 'default', name: 'data' } })], 'mine', true],
  ];
  it.each(rows)('%s', (_name, c, volumes, expected, delayBinding = false) => {
    expect(findBestMatch({ claim: c, volumes, delayBinding })?.metadata.name).toBe(expected);
  });
});
