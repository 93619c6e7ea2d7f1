import type { ResourceInfo } from '../api/resources';
import type { StatusError } from '../api/status';
import type { KubeObject } from '../api/types';

/**
 * The contracts between the API server and the stages every request passes, in order:
 *
 *   authentication  who is asking?            Credentials (api/request.ts) => UserInfo, or 401 Unauthorized
 *   authorization   may they do this?         RequestAttributes => Allow, or 403 Forbidden
 *   admission       mutate, then validate     AdmissionRequest  => a changed object, or a refusal
 *   validation      is the object well formed? (api/validation.ts) => 422 Invalid with causes
 *   persistence     write etcd, answer
 *
 * Each stage is a plain interface so a chapter (or a learner) can swap one in.
 */

/** Who the API server decided the caller is. */
export interface UserInfo {
  /** `alice`, `system:kube-scheduler`, `system:serviceaccount:default:builder`, `system:anonymous` */
  username: string;
  uid?: string;
  /** `system:masters`, `system:authenticated`, `system:serviceaccounts:default`, ... */
  groups: string[];
}

/**
 * What authorization decides on, as kube-apiserver's authorizer.Attributes:
 *
 *   kubectl get pods -n dev      => { user, verb: 'list', apiGroup: '', resource: 'pods', namespace: 'dev', name: '' }
 *   scheduler binds web-1        => { verb: 'create', resource: 'pods', subresource: 'binding', name: 'web-1', ... }
 *   GET /healthz                 => { user, verb: 'get', path: '/healthz' }  (a non-resource request)
 */
export interface RequestAttributes {
  user: UserInfo;
  /** get list watch create update patch delete deletecollection (resource requests); get post ... (non-resource) */
  verb: string;
  /** A resource request names a resource; a non-resource request has a `path` instead. */
  resourceRequest: boolean;
  apiGroup: string;
  resource: string;
  subresource: string;
  /** '' for cluster-scoped resources and for requests across all namespaces. */
  namespace: string;
  /** '' when the request names no single object (list, create without a name, ...). */
  name: string;
  /** For non-resource requests: `/healthz`, `/version`, `/api`, ... */
  path: string;
}

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

export interface AuthorizationResult {
  decision: Decision;
  /** Why: which binding allowed it, or why nothing did. Shown in the trace and appended to a 403. */
  reason: string;
}

export interface Authorizer {
  readonly name: string;
  authorize(attributes: Readonly<RequestAttributes>): AuthorizationResult;
}

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** What an admission plugin sees, as kube-apiserver's admission.Attributes. */
export interface AdmissionRequest {
  operation: AdmissionOperation;
  info: ResourceInfo;
  subresource: string;
  namespace: string;
  name: string;
  /** The object being written. A mutating plugin may change it in place; validating plugins must not. */
  object: KubeObject | undefined;
  /** The stored object, on UPDATE and DELETE. */
  oldObject: Readonly<KubeObject> | undefined;
  user: UserInfo;
  dryRun: boolean;
  /**
   * Other objects a plugin needs written before this request is persisted, each with a
   * compare-and-swap on its resourceVersion (ResourceQuota's updated `status.used`). If one
   * write conflicts, the API server runs admission again on fresh data, as kube-apiserver's
   * quota admission retries.
   */
  pendingWrites?: KubeObject[];
}

/**
 * What admission plugins may read: the API server's own caches (kube-apiserver gives its
 * plugins informers on itself), and the virtual clock.
 */
export interface AdmissionContext {
  /** The current objects of a resource from the API server's cache, optionally in one namespace. */
  list(resource: string, namespace?: string): readonly Readonly<KubeObject>[];
  get(resource: string, namespace: string | undefined, name: string): Readonly<KubeObject> | undefined;
  /** Virtual time, in ms. */
  now(): number;
}

/**
 * One admission plugin. Mutating plugins run first, in order, then validating plugins, in
 * order (a plugin may be both, as ServiceAccount is). Refuse by returning a StatusError
 * (usually 403 Forbidden, see forbiddenByAdmission); return undefined to let the request on.
 *
 *   { name: 'AlwaysPullImages', mutate(req) { for (const c of containers(req.object)) c.imagePullPolicy = 'Always'; } }
 */
export interface AdmissionPlugin {
  readonly name: string;
  /** Which operations it cares about (default: all). */
  readonly operations?: readonly AdmissionOperation[];
  /**
   * Whether mutate() may change this request's object (default: it may). The chain keeps a copy
   * of the object to tell "mutated" from "ok" only before a plugin that may: a pod status update
   * passes the mutating plugins without one, since none of them changes status updates.
   */
  mayMutate?(req: Readonly<AdmissionRequest>): boolean;
  mutate?(req: AdmissionRequest, ctx: AdmissionContext): StatusError | undefined;
  validate?(req: Readonly<AdmissionRequest>, ctx: AdmissionContext): StatusError | undefined;
}
