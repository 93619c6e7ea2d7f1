import type { KubeObject, PersistentVolumeClaim, StorageClass } from './types';

/**
 * What every storage component agrees on: the default-class annotations, the annotations that
 * carry a binding between the PV controller, the scheduler and a provisioner, and which class
 * is the default (pkg/volume/util/storageclass.go, component-helpers/storage/volume).
 *
 *   defaultClass([standard, fast])   // => the newest of those annotated is-default-class: "true"
 *   isDelayBinding(claim, classes)   // => true when the claim's class binds WaitForFirstConsumer
 */
export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const ANN_BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
/** On a claim: the binding went through the controller once (its value does not matter). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** On a PV or a claim: the controller made the binding (absent: the user pre-bound it). */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** On a claim: the node the scheduler picked for its first pod (WaitForFirstConsumer). */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** On a claim: which provisioner is to make its volume (set by the PV controller). */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** On a PV: who provisioned it. */
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';

/** IsDefaultAnnotation: the GA or the beta annotation is exactly "true". */
export function isDefaultClass(sc: Readonly<KubeObject>): boolean {
  const a = sc.metadata.annotations ?? {};
  return a[ANN_DEFAULT_CLASS] === 'true' || a[ANN_BETA_DEFAULT_CLASS] === 'true';
}

/**
 * GetDefaultClass: of the classes marked default, the most recently created; on a tie, the
 * first by name. None marked: undefined.
 *
 *   defaultClass([{ standard, created 10:00 }, { fast, created 10:05 }])  // => fast (both default)
 */
export function defaultClass<T extends Readonly<StorageClass>>(classes: readonly T[]): T | undefined {
  const created = (sc: T) => Date.parse(sc.metadata.creationTimestamp ?? '1970-01-01T00:00:00Z');
  return classes
    .filter(isDefaultClass)
    .sort((a, b) => created(b) - created(a) || (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0))[0];
}

/** GetPersistentVolumeClaimClass: its storageClassName, '' for none (the beta annotation is not modelled). */
export function claimClass(claim: Readonly<PersistentVolumeClaim>): string {
  return claim.spec.storageClassName ?? '';
}

/**
 * IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer. No class, or
 * a class that does not exist (yet), binds at once.
 *
 *   isDelayBinding({ storageClassName: 'standard' }, (name) => standard)   // => true (WaitForFirstConsumer)
 *   isDelayBinding({ storageClassName: '' }, ...)                          // => false
 */
export function isDelayBinding(claim: Readonly<PersistentVolumeClaim>, classOf: (name: string) => Readonly<StorageClass> | undefined): boolean {
  const name = claimClass(claim);
  return name !== '' && classOf(name)?.volumeBindingMode === 'WaitForFirstConsumer';
}
