import { compareQuantities, isQuantity, parseQuantity } from '../quantity';
import { forbidden, invalidValue, notSupported, required, type StatusCause } from '../status';
import type { AccessMode, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec } from '../types';
import { invalidAll, dns1123Subdomain, isObject, isString, requiredBecause, sameJson } from './rules';
import { validateLabelSelector } from './selector';

/**
 * PersistentVolume and PersistentVolumeClaim validation (pkg/apis/core/validation): access
 * modes, a positive storage size, and a claim's spec frozen after creation.
 *
 *   validatePersistentVolumeClaim({ spec: { accessModes: [] } })
 *   // => [ spec.accessModes: Required value: at least 1 access mode is required,
 *   //      spec.resources[storage]: Required value ]
 */
const ACCESS_MODES: AccessMode[] = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
export const PVC_UPDATE_FORBIDDEN = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

function validateAccessModes(modes: readonly AccessMode[] | undefined, field: string): StatusCause[] {
  const list = Array.isArray(modes) ? modes : [];
  const causes: StatusCause[] = list.length === 0 ? [requiredBecause(field, 'at least 1 access mode is required')] : [];
  for (const mode of list) if (!ACCESS_MODES.includes(mode)) causes.push(notSupported(field, mode, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) causes.push(forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
  return causes;
}

/** A storage size that is present and greater than zero. */
function validateStorage(value: unknown, field: string): StatusCause[] {
  if (value === undefined) return [required(field)];
  if (!isString(value) || !isQuantity(value)) return []; // the decoder rejects a malformed quantity with 400
  return compareQuantities(parseQuantity(value), parseQuantity('0')) > 0 ? [] : [invalidValue(field, value, 'must be greater than zero')];
}

function validateClassAndMode(spec: Readonly<{ storageClassName?: string; volumeMode?: string }>, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (isString(spec.storageClassName) && spec.storageClassName !== '') {
    causes.push(...invalidAll(`${field}.storageClassName`, spec.storageClassName, dns1123Subdomain(spec.storageClassName)));
  }
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode)) causes.push(notSupported(`${field}.volumeMode`, spec.volumeMode, VOLUME_MODES));
  return causes;
}

export function validatePersistentVolumeClaimSpec(spec: Readonly<PersistentVolumeClaimSpec> | undefined, field: string): StatusCause[] {
  if (!isObject(spec)) return [required(field)];
  const causes = validateAccessModes(spec.accessModes, `${field}.accessModes`);
  if (isObject(spec.selector)) causes.push(...validateLabelSelector(spec.selector, `${field}.selector`));
  causes.push(...validateStorage(spec.resources?.requests?.storage, `${field}.resources[storage]`));
  causes.push(...validateClassAndMode(spec, field));
  return causes;
}

/**
 * A claim's spec is fixed once created, except: volumeName may be set once (binding), a claim
 * created without storageClassName may be given one (the default class, retroactively), and a
 * bound claim may ask for more storage (never less).
 * (kube-apiserver appends a diff of the two specs to the message; the lab does not.)
 */
export function validatePersistentVolumeClaim(pvc: Readonly<PersistentVolumeClaim>, old?: Readonly<PersistentVolumeClaim>): StatusCause[] {
  const causes = validatePersistentVolumeClaimSpec(pvc.spec, 'spec');
  if (old === undefined || !isObject(old.spec) || !isObject(pvc.spec)) return causes;
  const next = structuredClone(pvc.spec) as PersistentVolumeClaimSpec;
  const before = structuredClone(old.spec) as PersistentVolumeClaimSpec;
  if (!before.volumeName) before.volumeName = next.volumeName;
  // RetroactiveDefaultStorageClass (GA in 1.28): a claim without a class may be given one, once.
  if (before.storageClassName === undefined) before.storageClassName = next.storageClassName;
  const bound = (pvc.status?.phase ?? old.status?.phase) === 'Bound';
  if (bound && isObject(next.resources?.requests)) next.resources!.requests!.storage = before.resources?.requests?.storage;
  if (!sameJson(next, before)) causes.push(forbidden('spec', PVC_UPDATE_FORBIDDEN));
  const newSize = pvc.spec.resources?.requests?.storage;
  const oldSize = old.spec.resources?.requests?.storage;
  if (bound && isString(newSize) && isString(oldSize) && isQuantity(newSize) && isQuantity(oldSize) && compareQuantities(parseQuantity(newSize), parseQuantity(oldSize)) < 0) {
    causes.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  }
  return causes;
}

export function validatePersistentVolume(pv: Readonly<PersistentVolume>): StatusCause[] {
  const spec = pv.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes = validateAccessModes(spec.accessModes, 'spec.accessModes');
  const capacity = isObject(spec.capacity) ? spec.capacity : {};
  const keys = Object.keys(capacity);
  if (keys.length === 0) causes.push(required('spec.capacity'));
  else if (keys.length > 1 || keys[0] !== 'storage') causes.push(notSupported('spec.capacity', keys.find((k) => k !== 'storage') ?? keys[0], ['storage']));
  else causes.push(...validateStorage(capacity.storage, 'spec.capacity[storage]'));
  const sources = (['hostPath', 'nfs', 'local', 'csi'] as const).filter((s) => spec[s] !== undefined);
  if (sources.length === 0) causes.push(requiredBecause('spec', 'must specify a volume type'));
  sources.slice(1).forEach((s) => causes.push(forbidden(`spec.${s}`, 'may not specify more than 1 volume type')));
  const policies = ['Delete', 'Recycle', 'Retain'];
  if (spec.persistentVolumeReclaimPolicy !== undefined && !policies.includes(spec.persistentVolumeReclaimPolicy)) {
    causes.push(notSupported('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, policies));
  }
  causes.push(...validateClassAndMode(spec, 'spec'));
  return causes;
}
