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
 */
export class RbacAuthorizer implements Authorizer {
  readonly name = 'RBAC';

  constructor(
    private readonly decide: AuthorizeRbac,
    private readonly policy: () => RbacPolicy,
  ) {}

  authorize(attributes: Readonly<RequestAttributes>): AuthorizationResult {
    return this.decide(attributes, this.policy());
  }
}
