/**
 * Exercise `rbac` — the RBAC authorizer.                                     (chapter 03)
 *
 * Every request reaching the API server has been authenticated: it knows who is asking
 * (alice, in the groups dev and system:authenticated). Authorization decides whether they may:
 * may alice `list` `pods` in the namespace `dev`? Kubernetes' RBAC answers from four kinds of
 * objects: Roles and ClusterRoles hold rules ("get, list, watch pods"), RoleBindings and
 * ClusterRoleBindings grant a role to users, groups and service accounts.
 *
 * RBAC only ever grants. Its answer is 'Allow' — with a reason naming what allowed it, which
 * the API server writes to its audit log — or 'NoOpinion' (reason ''), and the request is
 * forbidden unless another authorizer allows it. There are no deny rules.
 *
 * You write the decision: given the request's attributes and every RBAC object, say whether
 * some rule granted to the user allows it. Run the cluster on your code with
 *   createCluster({ use: { rbac: 'exercise' } })
 * and grade it with
 *   npm run grade -- rbac
 *
 * Input => output, by example. The policy holds the Role dev/pod-reader (get, watch, list pods),
 * bound to the user jane by the RoleBinding dev/read-pods:
 *
 *   jane lists pods in dev      => { decision: 'Allow',
 *                                    reason: 'RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to User "jane"' }
 *   jane lists pods in prod     => { decision: 'NoOpinion', reason: '' }   (the binding lives in dev)
 *   jane deletes a pod in dev   => { decision: 'NoOpinion', reason: '' }   (no rule has the verb delete)
 *
 * The attributes (lab-kernel/apiserver/pipeline-types.ts, RequestAttributes) of a few requests:
 *   kubectl get pods -n dev        { verb: 'list', resourceRequest: true, apiGroup: '', resource: 'pods', subresource: '', namespace: 'dev', name: '' }
 *   kubectl logs web -n dev        { verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace: 'dev', name: 'web' }
 *   kubectl get rs --all-namespaces { verb: 'list', apiGroup: 'apps', resource: 'replicasets', namespace: '', name: '' }
 *   curl /healthz                  { verb: 'get', resourceRequest: false, path: '/healthz' }
 */
import type { AuthorizationResult, RequestAttributes, UserInfo } from '../../lab-kernel/apiserver/pipeline-types';
import type { PolicyRule, RbacPolicy, Subject } from '../../lab-kernel/apiserver/auth/rbac-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/**
 * TODO(4) The decision. Go through grantsFor(attributes.user, attributes.namespace, policy); as
 * soon as one rule of a grant allows the request (ruleAllows), answer
 *   { decision: 'Allow', reason: 'RBAC: allowed by ' + grant.source }
 * If nothing allows it: { decision: 'NoOpinion', reason: '' }. Never 'Deny'.
 */
export function authorizeRbac(attributes: Readonly<RequestAttributes>, policy: Readonly<RbacPolicy>): AuthorizationResult {
  throw notImplemented('rbac');
}

/**
 * TODO(1) Does a binding's subject name this user?
 *   { kind: 'User', name: 'jane' }           => user.username is 'jane'
 *   { kind: 'Group', name: 'dev' }           => user.groups includes 'dev'
 *   { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' }
 *                                            => user.username is 'system:serviceaccount:ci:builder'
 * A ServiceAccount subject without a namespace means one in the binding's own namespace
 * (bindingNamespace); in a ClusterRoleBinding (bindingNamespace '') it then matches nobody.
 * Any other kind matches nobody.
 */
export function subjectMatches(subject: Readonly<Subject>, user: Readonly<UserInfo>, bindingNamespace: string): boolean {
  throw notImplemented('rbac');
}

/**
 * TODO(2) Does one rule allow the request? In every list below, '*' matches anything.
 *
 * A resource request (attributes.resourceRequest) needs all four:
 *   - rule.verbs has the verb;
 *   - rule.apiGroups has the apiGroup ('' is the core group: pods, services, nodes...);
 *   - rule.resources has the resource — with its subresource as 'resource/subresource':
 *     reading a pod's log is resource 'pods', subresource 'log', and needs 'pods/log' (a rule
 *     for 'pods' does not cover it); a rule '*' + '/log' (star, slash, log) covers the log of anything;
 *   - rule.resourceNames, when it is present and not empty, has attributes.name. A request that
 *     names no object (list, watch, create: name '') is then not allowed.
 *       rule { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['my-config'] }
 *       get configmap my-config    => true
 *       get configmap other        => false
 *       list configmaps            => false
 *
 * A non-resource request (resourceRequest false) needs the verb and a rule.nonResourceURLs entry
 * that is '*', equal to attributes.path, or ends in '*' and is a prefix of the path without it:
 *   '/healthz' matches '/healthz' only;  '/api/*' matches '/api/v1' but not '/api';  '/healthz*' matches '/healthz/etcd'.
 * A rule may leave apiGroups, resources or nonResourceURLs out: a missing list matches nothing.
 */
export function ruleAllows(rule: Readonly<PolicyRule>, attributes: Readonly<RequestAttributes>): boolean {
  throw notImplemented('rbac');
}

/** What a binding grants to the user: its role's rules, and the words naming it in a reason. */
export interface Grant {
  source: string;
  rules: readonly PolicyRule[];
}

/**
 * TODO(3) Every grant the user holds for a request in `namespace` ('' for a cluster-scoped
 * request, or one across all namespaces):
 *
 *   - ClusterRoleBindings apply everywhere. Bound to a ClusterRole: that role's rules.
 *   - RoleBindings apply only to requests in their own namespace (metadata.namespace), so a
 *     cluster-scoped request uses none. A RoleBinding's roleRef may name a Role — looked up in the
 *     binding's namespace — or a ClusterRole, whose rules then hold in the binding's namespace only.
 *   - A binding applies when one of its subjects matches the user (subjectMatches, with the
 *     binding's namespace; '' for a ClusterRoleBinding). Name the first subject that matches.
 *   - A binding whose role does not exist grants nothing (skip it); a ClusterRoleBinding never
 *     refers to a Role.
 *   - ClusterRoleBindings first, then RoleBindings, each in the order the policy lists them.
 *
 * source, as kube-apiserver writes it (a RoleBinding is named "name/namespace"; a ServiceAccount
 * subject "name/namespace", its namespace defaulting to the binding's):
 *   ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"
 *   RoleBinding "read-secrets/development" of ClusterRole "secret-reader" to User "dave"
 *   RoleBinding "builder/ci" of Role "deployer" to ServiceAccount "builder/ci"
 */
export function grantsFor(user: Readonly<UserInfo>, namespace: string, policy: Readonly<RbacPolicy>): Grant[] {
  throw notImplemented('rbac');
}
