import { defaultClass } from '../../api/storage-class';
import type { PersistentVolumeClaim, StorageClass } from '../../api/types';
import type { AdmissionPlugin, AdmissionRequest } from '../pipeline-types';

/**
 * DefaultStorageClass: a PersistentVolumeClaim created without spec.storageClassName gets the
 * default StorageClass's name (plugin/pkg/admission/storage/storageclass/setdefault). Only
 * on CREATE; a claim that names a class, even the empty one (storageClassName: "", "no class
 * at all"), keeps it; with no default class the claim is left without one, and the PV
 * controller gives it the default later, once there is one (retroactive assignment).
 *
 *   claim without storageClassName, class `standard` annotated is-default-class: "true"
 *   // => spec.storageClassName: standard
 *   claim with storageClassName: ""   // => unchanged ('' asks for a PV without a class)
 *
 * Several defaults: the newest wins (defaultClass in api/storage-class.ts).
 */
export const DEFAULT_STORAGE_CLASS = 'DefaultStorageClass';

/** A claim created through the main endpoint: the only request the plugin changes. */
function createsClaim(req: Readonly<AdmissionRequest>): boolean {
  return req.info.kind === 'PersistentVolumeClaim' && req.subresource === '';
}

export function defaultStorageClassPlugin(): AdmissionPlugin {
  return {
    name: DEFAULT_STORAGE_CLASS,
    operations: ['CREATE'],
    mayMutate: createsClaim,
    mutate(req, ctx) {
      if (!createsClaim(req)) return undefined;
      const claim = req.object as PersistentVolumeClaim;
      if (claim.spec === undefined || claim.spec === null || claim.spec.storageClassName !== undefined) return undefined;
      const chosen = defaultClass(ctx.list('storageclasses') as readonly Readonly<StorageClass>[]);
      if (chosen !== undefined) claim.spec.storageClassName = chosen.metadata.name;
      return undefined;
    },
  };
}
