import type { ApiResponse } from '../../api/request';
import type { KubeObject } from '../../api/types';
import type { Call, Server } from '../context';
import type { Steps } from '../steps';

/**
 * An endpoint under an object's URL, beside the object itself: `pods/web/status`,
 * `pods/web/binding`, `pods/web/log`, `namespaces/dev/finalize`. Each serves some verbs; the
 * others act on the object as if no subresource were named, except update and patch, which
 * a subresource without `update` refuses (405).
 *
 *   PUT pods/web/status { status: { phase: 'Running' } }   // => update(call, stored, body): only status changes
 */
export interface SubresourceHandler {
  /** Served for every verb, from somewhere else than etcd (log: the pod's kubelet). */
  connect?(server: Server, call: Call): Steps<ApiResponse>;
  /** POST: an action on the stored object (binding). */
  create?(server: Server, call: Call): Steps<ApiResponse>;
  /** PUT and PATCH: the next version of the stored object, from what was sent. */
  update?(call: Call, old: KubeObject, body: KubeObject): KubeObject;
}
