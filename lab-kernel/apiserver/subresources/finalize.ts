import { methodNotAllowed } from '../../api/status';
import type { SubresourceHandler } from './subresource';

/**
 * The finalize subresource: where the kind's strategy allows it (namespaces), the way to
 * change the finalizers it keeps in its spec, and only them.
 *
 *   PUT namespaces/dev/finalize { spec: { finalizers: [] } }   // => the namespace, finalizers emptied
 *   PUT pods/web/finalize                                      // => 405 Method Not Allowed
 */
export const finalizeSubresource: SubresourceHandler = {
  update({ strategy }, old, body) {
    if (strategy.finalize === undefined) throw methodNotAllowed(`the server does not allow this method on the requested resource (finalize)`);
    return strategy.finalize(old, body);
  },
};
