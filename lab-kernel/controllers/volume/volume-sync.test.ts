import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/types';
import { syncVolume, unboundVolume, type VolumeIntent } from './volume-sync';

const pv = (spec: Partial<PersistentVolume['spec']> = {}, annotations?: Record<string, string>, phase: 'Available' | 'Bound' | 'Released' | 'Failed' = 'Bound'): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'vol', annotations },
  spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: '/mnt' }, ...spec },
  status: { phase },
});
const ref = { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'uid-data' };
const claim = (volumeName?: string, uid = 'uid-data'): PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default', uid }, spec: { volumeName } });
const summary = (intents: VolumeIntent[]) => intents.map((i) => (i.kind === 'phase' ? `phase ${i.phase}` : i.kind === 'failed' || i.kind === 'event' ? `${i.kind} ${i.event.reason}` : i.kind === 'sync-claim' ? `sync-claim ${i.key}` : i.kind));
const PROVISIONED = { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' };

describe('syncVolume: what the PV controller does about one volume', () => {
  const rows: [string, PersistentVolume, PersistentVolumeClaim | undefined, string[]][] = [
    ['a volume without a claim is Available', pv({}, undefined, 'Bound'), undefined, ['phase Available']],
    ['a volume pre-bound to a claim not yet bound is Available', pv({ claimRef: { namespace: 'default', name: 'data' } }), undefined, ['phase Available']],
    ['a volume whose claim is bound to it is Bound', pv({ claimRef: ref }, undefined, 'Available'), claim('vol'), ['phase Bound']],
    ['a volume whose claim has not finished binding has the claim synced', pv({ claimRef: ref }), claim(), ['sync-claim default/data']],
    ['Retain: a volume whose claim is gone is Released, and kept', pv({ claimRef: ref }), undefined, ['phase Released']],
    ['Retain: a claim of the same name but another uid is not its claim', pv({ claimRef: ref }), claim('vol', 'uid-new'), ['phase Released']],
    ['Delete, provisioned by an external provisioner: Released, the provisioner deletes it', pv({ claimRef: ref, persistentVolumeReclaimPolicy: 'Delete' }, PROVISIONED), undefined, ['phase Released']],
    ['Delete, made by hand: Failed, VolumeFailedDelete (no in-tree deleter in the lab)', pv({ claimRef: ref, persistentVolumeReclaimPolicy: 'Delete' }), undefined, ['phase Released', 'failed VolumeFailedDelete']],
    ['Recycle (deprecated): Failed, VolumeFailedRecycle', pv({ claimRef: ref, persistentVolumeReclaimPolicy: 'Recycle' }, undefined, 'Released'), undefined, ['failed VolumeFailedRecycle']],
    ['a provisioned Delete volume whose claim was bound elsewhere is released and reclaimed', pv({ claimRef: ref, persistentVolumeReclaimPolicy: 'Delete' }, PROVISIONED), claim('other'), ['phase Released']],
    ['a volume the controller bound to a claim bound elsewhere is unbound', pv({ claimRef: ref }, { 'pv.kubernetes.io/bound-by-controller': 'yes' }), claim('other'), ['unbind']],
  ];
  it.each(rows)('%s', (_name, volume, c, expected) => {
    expect(summary(syncVolume(volume, c))).toEqual(expected);
  });

  it('unbinding drops a binding the controller made, but only the uid of one a user pre-bound', () => {
    expect(unboundVolume(pv({ claimRef: ref }, { 'pv.kubernetes.io/bound-by-controller': 'yes' })).spec.claimRef).toBeUndefined();
    expect(unboundVolume(pv({ claimRef: ref }, { 'pv.kubernetes.io/bound-by-controller': 'yes' })).metadata.annotations).toBeUndefined();
    expect(unboundVolume(pv({ claimRef: ref })).spec.claimRef).toEqual({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data' });
  });
});
