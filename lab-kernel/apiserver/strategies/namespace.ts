import type { ResourceInfo } from '../../api/resources';
import { defaultStrategy } from './default';
import type { ResourceStrategy } from './strategy';

/**
 * Namespaces: the default strategy, plus their own way of being deleted. A namespace keeps
 * finalizers in spec.finalizers (`kubernetes`): DELETE marks it Terminating, the namespace
 * controller empties it, then removes its finalizer through the finalize subresource, and
 * only then is it gone.
 *
 *   DELETE namespaces/dev                                    // => status.phase Terminating
 *   PUT namespaces/dev/finalize { spec: { finalizers: [] } } // => removed
 */
export function namespaceStrategy(info: ResourceInfo): ResourceStrategy {
  return Object.assign({}, defaultStrategy(info), {
    specFinalizers: (obj) => finalizersOf(obj.spec),
    markForDeletion(obj) {
      obj.status = Object.assign({}, obj.status as object, { phase: 'Terminating' });
    },
    // Through /finalize only spec.finalizers changes.
    finalize: (old, body) => (Object.assign({}, old, { spec: Object.assign({}, old.spec as object, { finalizers: finalizersOf(body.spec) }) })),
  } satisfies Partial<ResourceStrategy>);
}

function finalizersOf(spec: unknown): string[] {
  return (spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
}
