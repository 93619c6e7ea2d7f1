import { forbiddenRequest, StatusError } from '../../api/status';
import type { RequestAttributes } from '../pipeline-types';

/**
 * The 403 a request gets when no authorizer allows it, worded exactly as kube-apiserver's
 * responsewriters.Forbidden words it:
 *
 *   forbiddenReason(bob lists pods in dev)
 *   // => 'User "bob" cannot list resource "pods" in API group "" in the namespace "dev"'
 *   forbiddenReason(bob gets node-1)
 *   // => 'User "bob" cannot get resource "nodes" in API group "" at the cluster scope'
 *   forbiddenReason(the scheduler binds web-1, with the authorizers' reason 'no RBAC policy matched')
 *   // => 'User "system:kube-scheduler" cannot create resource "pods/binding" in API group "" in the namespace "default": no RBAC policy matched'
 *   forbiddenReason(anonymous GET /healthz)
 *   // => 'User "system:anonymous" cannot get path "/healthz"'
 *
 * A request across all namespaces (namespace '') is "at the cluster scope" too.
 */
export function forbiddenReason(attributes: Readonly<RequestAttributes>, authorizerReason = ''): string {
  const message = forbiddenMessage(attributes);
  return authorizerReason === '' ? message : `${message}: ${authorizerReason}`;
}

function forbiddenMessage(a: Readonly<RequestAttributes>): string {
  const user = a.user.username;
  if (!a.resourceRequest) return `User "${user}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource === '' ? a.resource : `${a.resource}/${a.subresource}`;
  const scope = a.namespace === '' ? 'at the cluster scope' : `in the namespace "${a.namespace}"`;
  return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
}

/**
 * The whole 403 Status. The message names the resource (without its subresource) and the
 * object, as apierrors.NewForbidden does:
 *   'pods "web-1" is forbidden: User "system:kube-scheduler" cannot create resource "pods/binding" in API group "" in the namespace "default"'
 *   'replicasets.apps is forbidden: User "bob" cannot list resource "replicasets" in API group "apps" in the namespace "dev"'
 * A non-resource request names no resource, so its message starts with "forbidden:":
 *   'forbidden: User "system:anonymous" cannot get path "/healthz"'
 */
export function forbiddenByAuthorization(attributes: Readonly<RequestAttributes>, authorizerReason = ''): StatusError {
  const reason = forbiddenReason(attributes, authorizerReason);
  if (attributes.resourceRequest) return forbiddenRequest({ group: attributes.apiGroup, resource: attributes.resource, name: attributes.name }, reason);
  // apierrors.NewForbidden with an empty GroupResource: no "<resource> is", and no details.
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `forbidden: ${reason}`, reason: 'Forbidden', details: {}, code: 403 });
}
