import type { ResourceInfo } from '../../api/resources';
import { validate, validateCreateMeta } from '../../api/validation';
import { sameJson } from '../codec';
import type { ResourceStrategy } from './strategy';

/**
 * The strategy of every kind that needs nothing special (strategy.ts says what each part does):
 *
 *   create   status dropped (for kinds that have one), validated by api/validation.ts
 *   update   status kept from storage (for kinds that have one); metadata.generation +1 when
 *            the spec changed:  generation 3, spec.replicas 2 => 5   // => generation 4
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
    afterUid() {},
    prepareForUpdate(next, old) {
      if (info.hasStatus) next.status = old.status;
      next.metadata.generation = (old.metadata.generation ?? 1) + (sameJson(next.spec, old.spec) ? 0 : 1);
    },
    validate: (obj) => [...validateCreateMeta(obj), ...validate(info, obj)],
    validateUpdate: (obj, old) => validate(info, obj, old),
    ttlSeconds: undefined,
    gracePeriodSeconds: () => 0,
    specFinalizers: () => [],
    markForDeletion() {},
    bind: undefined,
    finalize: undefined,
  };
}
