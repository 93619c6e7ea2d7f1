import type { AuthorizationResult, Authorizer, RequestAttributes } from '../pipeline-types';
import type { AuthorizeRbac, RbacPolicy } from './rbac-contract';

/**
 * kube-apiserver's RBAC authorization mode (--authorization-mode=...,RBAC): decides each
 * request from the Roles, ClusterRoles and bindings the API server currently has.
 *
 *   const rbac = new RbacAuthorizer(loadSlot('rbac', 'solution'), () => policyFromCache());
 *   rbac.authorize({ user: { username: 'admin', groups: ['system:masters'] }, verb: 'delete', resource: 'nodes', ... })
 *   // => { decision: 'Allow', reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"' }
 *
 * The decision itself is the `rbac` exercise (AuthorizeRbac); this class hands it the policy
 * as it is at the moment of the request, so a new RoleBinding takes effect on the next request.
 * If the decision throws, so does authorize(): kube-apiserver answers an authorizer's error
 * with 500 Internal Error, not 403.
 *
 * The decision is a pure function of the request and the policy, so the same question under
 * the same policy (the cache's lists unchanged, as the same frozen arrays) is decided once and
 * its answer reused: a Lease renewed every 10 s by every node asks the same thing each time.
 * Any change to a Role or binding starts afresh. (kube-apiserver re-evaluates every request;
 * the answers are the same, the simulation just does not pay for them again.)
 */
export class RbacAuthorizer implements Authorizer {
  readonly name = 'RBAC';

  constructor(
    private readonly decide: AuthorizeRbac,
    private readonly policy: () => RbacPolicy,
  ) {}

  private decided = new Map<string, AuthorizationResult>();
  private decidedUnder: RbacPolicy | undefined;

  authorize(attributes: Readonly<RequestAttributes>): AuthorizationResult {
    const policy = this.policy();
    if (!samePolicy(policy, this.decidedUnder)) {
      this.decided = new Map();
      this.decidedUnder = policy;
    }
    const key = questionKey(attributes);
    let result = this.decided.get(key);
    if (result === undefined) {
      result = this.decide(attributes, policy);
      if (typeof result === 'object' && result !== null) this.decided.set(key, result);
    }
    return result;
  }
}

function samePolicy(a: RbacPolicy, b: RbacPolicy | undefined): boolean {
  return b !== undefined && a.roles === b.roles && a.clusterRoles === b.clusterRoles && a.roleBindings === b.roleBindings && a.clusterRoleBindings === b.clusterRoleBindings;
}

/** Every attribute the decision may read, in one string: 'alice\0dev,system:authenticated\0list\0...'. */
function questionKey(a: Readonly<RequestAttributes>): string {
  return [a.user.username, (a.user.groups ?? []).join(','), a.verb, a.resourceRequest, a.apiGroup, a.resource, a.subresource, a.namespace, a.name, a.path].join('\0');
}
