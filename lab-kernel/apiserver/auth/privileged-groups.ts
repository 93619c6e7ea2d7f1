import type { Authorizer } from '../pipeline-types';

/**
 * kube-apiserver always asks this authorizer first, whatever --authorization-mode says: a
 * member of `system:masters` may do anything, RBAC or not. That is how the API server's own
 * loopback client can create the RBAC bootstrap policy before any policy exists, and why a
 * system:masters certificate (kubeadm's super-admin.conf) cannot be locked out by deleting a
 * ClusterRoleBinding.
 *
 *   authorize({ user: { username: 'system:apiserver', groups: ['system:masters'] }, ... })  // => Allow
 *   authorize({ user: { username: 'bob', groups: ['dev'] }, ... })                          // => NoOpinion: RBAC decides
 */
export const PRIVILEGED_GROUP = 'system:masters';

export const privilegedGroupsAuthorizer: Authorizer = {
  name: 'privileged group',
  authorize: (a) => (a.user.groups.includes(PRIVILEGED_GROUP) ? { decision: 'Allow', reason: `member of ${PRIVILEGED_GROUP}` } : { decision: 'NoOpinion', reason: '' }),
};
