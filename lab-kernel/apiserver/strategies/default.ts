import type { ResourceInfo } from '../../api/resources';
import { validate, validateCreateMeta } from '../../api/validation';
import type { ResourceStrategy } from './strategy';

/**
 * The strategy of every kind that needs nothing special (strategy.ts says what each part does):
 *
 *   create   status dropped (for kinds that have one), validated by api/validation.ts
 *   update   status kept from storage (for kinds that have one)
 *   generation  none of its own: kinds that keep one add it (generation.ts)
 *   delete   at once, no grace period, no finalizers of its own
 *   list     a field selector may name metadata.name and metadata.namespace
 */
export function defaultStrategy(info: ResourceInfo): ResourceStrategy {
  return {
    info,
    namespaced: info.namespaced,
    selectableFields: ['metadata.name', 'metadata.namespace'],
    watchTrigger: undefined,
    prepareForCreate(obj) {
      // What a client sends as status is not kept: a new object's status is the controllers' to write.
      if (info.hasStatus) delete obj.status;
    },
    prepareForUpdate(next, old) {
      if (info.hasStatus) next.status = old.status;
    },
    validate: (obj) => [...validateCreateMeta(obj), ...validate(info, obj)],
    validateUpdate: (obj, old) => validate(info, obj, old),
    ttlSeconds: undefined,
    gracePeriodSeconds: () => 0,
    specFinalizers: () => [],
    markForDeletion() {},
    beginCreate: undefined,
    beginUpdate: undefined,
    afterDelete: undefined,
    bind: undefined,
    statusUpdate: undefined,
    finalize: undefined,
  };
}
