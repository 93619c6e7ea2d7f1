import type { SubresourceHandler } from './subresource';

/**
 * The finalize subresource: where the kind's strategy allows it (namespaces), the way to
 * change the finalizers it keeps in its spec, and only them.
 *
 *   PUT namespaces/dev/finalize { spec: { finalizers: [] } }   // => the namespace, finalizers emptied
 *   PUT pods/web/finalize                                      // => 404: pods have no finalize subresource
 */
export const finalizeSubresource: SubresourceHandler = {
  servedFor: (strategy) => strategy.finalize !== undefined,
  verbs: ['update'],
  update: ({ strategy }, old, body) => strategy.finalize!(old, body),
};
