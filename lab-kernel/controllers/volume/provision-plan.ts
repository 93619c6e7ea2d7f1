import { ANN_BETA_STORAGE_PROVISIONER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimClass } from '../../api/storage-class';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/types';

/**
 * An external provisioner's decisions (sig-storage-lib-external-provisioner's controller, as
 * rancher.io/local-path runs it in kind), pure: whether to make a volume for a claim, the
 * PersistentVolume it makes, and whether to delete a released one.
 *
 *   claim annotated volume.kubernetes.io/storage-provisioner: rancher.io/local-path, class standard
 *   (WaitForFirstConsumer), volume.kubernetes.io/selected-node: node-1
 *   // => provision pvc-<claim uid>: 3Gi RWO Delete, hostPath /var/local-path-provisioner/pvc-<uid>_default_data,
 *   //    node affinity kubernetes.io/hostname In [node-1]
 *   the same claim without selected-node  // => wait: the scheduler has not picked a node yet
 */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
/** Where kind's local-path-provisioner keeps volumes on a node (kind moved it from /opt to /var). */
export const LOCAL_PATH_ROOT = '/var/local-path-provisioner';

export type ProvisionDecision = { provision: true; volume: PersistentVolume } | { provision: false; why: string };

export interface ProvisionInput {
  claim: Readonly<PersistentVolumeClaim>;
  /** The claim's class, if it exists. */
  storageClass: Readonly<StorageClass> | undefined;
  provisioner: string;
  /** Whether a volume named pvc-<claim uid> exists already. */
  exists: boolean;
}

/** shouldProvision, then the volume (ProvisionOptions as the library hands them to the provisioner). */
export function provisionDecision({ claim, storageClass, provisioner, exists }: ProvisionInput): ProvisionDecision {
  if (claim.spec.volumeName) return { provision: false, why: 'the claim is bound already' };
  const annotations = claim.metadata.annotations ?? {};
  const asked = annotations[ANN_STORAGE_PROVISIONER] ?? annotations[ANN_BETA_STORAGE_PROVISIONER];
  if (asked !== provisioner) return { provision: false, why: `the claim is not for ${provisioner}` };
  if (storageClass === undefined || storageClass.provisioner !== provisioner) return { provision: false, why: `its StorageClass "${claimClass(claim)}" is not one of ${provisioner}'s` };
  const node = annotations[ANN_SELECTED_NODE];
  if (storageClass.volumeBindingMode === 'WaitForFirstConsumer' && node === undefined) return { provision: false, why: 'waiting for the scheduler to pick a node' };
  if (exists) return { provision: false, why: 'its volume exists already' };
  return { provision: true, volume: provisionedVolume(claim, storageClass, provisioner, node) };
}

/** The name a provisioned volume gets: pvc-<the claim's uid>. */
export function provisionedVolumeName(claim: Readonly<PersistentVolumeClaim>): string {
  return `pvc-${claim.metadata.uid}`;
}

function provisionedVolume(claim: Readonly<PersistentVolumeClaim>, storageClass: Readonly<StorageClass>, provisioner: string, node: string | undefined): PersistentVolume {
  const name = provisionedVolumeName(claim);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [ANN_PROVISIONED_BY]: provisioner } },
    spec: {
      capacity: { storage: claim.spec.resources?.requests?.storage ?? '0' },
      accessModes: [...(claim.spec.accessModes ?? [])],
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
      storageClassName: storageClass.metadata.name,
      volumeMode: claim.spec.volumeMode ?? 'Filesystem',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid },
      hostPath: { path: `${LOCAL_PATH_ROOT}/${name}_${claim.metadata.namespace}_${claim.metadata.name}`, type: 'DirectoryOrCreate' },
      ...(node !== undefined ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } } : {}),
    },
  };
}

/**
 * shouldDelete: a volume this provisioner made, Released, whose policy is Delete.
 *
 *   pvc-1234 Released, Delete, provisioned-by rancher.io/local-path  // => true
 *   the same with Retain                                             // => false: an administrator's to clean up
 */
export function shouldDelete(volume: Readonly<PersistentVolume>, provisioner: string): boolean {
  return volume.status?.phase === 'Released' && volume.spec.persistentVolumeReclaimPolicy === 'Delete' && volume.metadata.annotations?.[ANN_PROVISIONED_BY] === provisioner && volume.metadata.deletionTimestamp === undefined;
}
