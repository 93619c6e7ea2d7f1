import type { ApiResponse, Verb } from '../../api/request';
import type { ResourceInfo } from '../../api/resources';
import type { KubeObject } from '../../api/types';
import type { Call, Server } from '../context';
import type { Steps } from '../steps';
import type { ResourceStrategy } from '../strategies/strategy';

/**
 * An endpoint under an object's URL, beside the object itself: `pods/web/status`,
 * `pods/web/binding`, `pods/web/log`, `namespaces/dev/finalize`. Only the kinds that have one
 * serve it (404 elsewhere: configmaps/c/status, services/s/log), and only for its verbs (405:
 * POST pods/web/status, PUT pods/web/binding). A GET of pods/web/status reads the object.
 *
 *   PUT pods/web/status { status: { phase: 'Running' } }   // => update(call, stored, body): only status changes
 */
export interface SubresourceHandler {
  /** Whether the kind has this subresource at all (kube-apiserver installs a route only for those); else 404. */
  servedFor(strategy: ResourceStrategy): boolean;
  /** The verbs its route takes; another is 405. */
  readonly verbs: readonly Verb[];
  /** Served for every verb, from somewhere else than etcd (log: the pod's kubelet). */
  connect?(server: Server, call: Call): Steps<ApiResponse>;
  /** POST: an action on the stored object (binding). */
  create?(server: Server, call: Call): Steps<ApiResponse>;
  /** PUT and PATCH: the next version of the stored object, from what was sent. */
  update?(call: Call, old: KubeObject, body: KubeObject): KubeObject;
  /** The kind its body is, when not the parent's (scale: a Scale); else decoding answers 400. */
  readonly body?: ResourceInfo;
  /** What GET, PUT and PATCH answer with and a PATCH applies to, when not the stored object itself (scale: its Scale). */
  view?(stored: Readonly<KubeObject>): KubeObject;
  /** Its change goes through the kind's own update, spec and generation included (scale); else the generation is kept. */
  readonly changesSpec?: boolean;
}
