import { forbidden, notSupported, required, type StatusCause } from '../status';
import type { StorageClass } from '../types';
import { immutable, isString, qualifiedName, invalidAll, sameJson } from './rules';

/**
 * StorageClass validation (pkg/apis/storage/validation): a provisioner is required, a class
 * reclaims with Delete or Retain only (never Recycle), binds Immediate or WaitForFirstConsumer,
 * and its provisioner, parameters, reclaim policy and binding mode never change.
 *
 *   validateStorageClass({ provisioner: '', reclaimPolicy: 'Recycle', volumeBindingMode: 'Immediate' })
 *   // => [ provisioner: Required value,
 *   //      reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain" ]
 */
const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

export function validateStorageClass(sc: Readonly<StorageClass>, old?: Readonly<StorageClass>): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!isString(sc.provisioner) || sc.provisioner === '') causes.push(required('provisioner'));
  else causes.push(...invalidAll('provisioner', sc.provisioner, qualifiedName(sc.provisioner.toLowerCase())));
  if (sc.reclaimPolicy !== undefined && !RECLAIM_POLICIES.includes(sc.reclaimPolicy)) causes.push(notSupported('reclaimPolicy', sc.reclaimPolicy, RECLAIM_POLICIES));
  if (sc.volumeBindingMode === undefined) causes.push(required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(sc.volumeBindingMode)) causes.push(notSupported('volumeBindingMode', sc.volumeBindingMode, BINDING_MODES));
  if (old === undefined) return causes;
  if (!sameJson(sc.parameters ?? {}, old.parameters ?? {})) causes.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) causes.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) causes.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  causes.push(...immutable('volumeBindingMode', sc.volumeBindingMode, old.volumeBindingMode));
  return causes;
}
