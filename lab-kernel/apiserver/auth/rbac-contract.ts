import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../../api/types';
import type { AuthorizationResult, RequestAttributes } from '../pipeline-types';

/**
 * Role-based access control (the rbac.authorization.k8s.io/v1 API) and the contract of its
 * authorizer.
 *
 * A Role (in one namespace) or a ClusterRole (cluster-wide) is a list of rules, each saying
 * "these verbs on these resources". A binding grants a role to subjects: users, groups or
 * service accounts. Permissions only ever add up: there are no deny rules.
 *
 *   kind: Role                                   kind: RoleBinding
 *   metadata: { namespace: dev, name: pod-reader }  metadata: { namespace: dev, name: read-pods }
 *   rules:                                       subjects: [{ kind: User, name: jane }]
 *   - apiGroups: [""]                            roleRef: { kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io }
 *     resources: [pods]
 *     verbs: [get, watch, list]
 *
 *   authorizeRbac({ user: jane, verb: 'list', resource: 'pods', namespace: 'dev', ... }, policy)
 *   // => { decision: 'Allow', reason: 'RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to User "jane"' }
 *   authorizeRbac({ user: jane, verb: 'list', resource: 'pods', namespace: 'prod', ... }, policy)
 *   // => { decision: 'NoOpinion', reason: '' }
 *
 * Exercise `rbac` (exercises/rbac/authorize.ts) implements it; the reference is in
 * solutions/rbac/authorize.ts. The API server runs it through RbacAuthorizer (rbac-authorizer.ts).
 */

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * The RBAC objects themselves are typed with every other kind, in api/types.ts:
 *
 *   PolicyRule  { verbs, apiGroups?, resources?, resourceNames?, nonResourceURLs? }
 *               '' is the core group; `pods/log` names a subresource; `*` matches anything;
 *               a nonResourceURL ending in `*` matches every path that starts with what precedes it;
 *               resourceNames narrows to those objects (and then a request naming none is not allowed)
 *   Subject     { kind: 'User' | 'Group' | 'ServiceAccount', name, namespace? }
 *               a ServiceAccount subject's namespace defaults, in a RoleBinding, to the binding's
 *   RoleRef     { apiGroup, kind: 'Role' | 'ClusterRole', name }
 *   Role, ClusterRole                 { metadata, rules? }
 *   RoleBinding, ClusterRoleBinding   { metadata, subjects?, roleRef }
 *
 * Kubernetes' aggregated ClusterRoles (aggregationRule: a controller collects their rules from
 * other ClusterRoles by label) are not evaluated by the lab: only `rules` count.
 */
export type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from '../../api/types';

/** Every RBAC object the API server has: what the RBAC authorizer decides on. */
export interface RbacPolicy {
  roles: readonly Readonly<Role>[];
  clusterRoles: readonly Readonly<ClusterRole>[];
  roleBindings: readonly Readonly<RoleBinding>[];
  clusterRoleBindings: readonly Readonly<ClusterRoleBinding>[];
}

/**
 * RBAC's decision on one request: 'Allow' with the reason naming the binding, role and subject
 * that allowed it, or 'NoOpinion' with reason '' (RBAC never says 'Deny': another authorizer
 * may still allow, and if none does the request is forbidden).
 */
export type AuthorizeRbac = (attributes: Readonly<RequestAttributes>, policy: Readonly<RbacPolicy>) => AuthorizationResult;
