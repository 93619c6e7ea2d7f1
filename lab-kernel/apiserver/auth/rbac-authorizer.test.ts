import { describe, expect, it } from 'vitest';
import type { RoleBinding } from '../../api/types';
import { loadSlot } from '../../slots/slots';
import type { RequestAttributes } from '../pipeline-types';
import { bootstrapPolicy } from './bootstrap-policy';
import { RbacAuthorizer } from './rbac-authorizer';
import type { RbacPolicy } from './rbac-contract';

const authorizeRbac = loadSlot('rbac', 'solution');

function listPods(username: string, namespace: string): RequestAttributes {
  return { user: { username, groups: ['system:authenticated'] }, verb: 'list', resourceRequest: true, apiGroup: '', resource: 'pods', subresource: '', namespace, name: '', path: '' };
}

const janeViewsDev: RoleBinding = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { namespace: 'dev', name: 'jane-view' },
  subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }],
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
};

describe('RbacAuthorizer', () => {
  it('is named RBAC, as the authorization mode', () => {
    expect(new RbacAuthorizer(authorizeRbac, bootstrapPolicy).name).toBe('RBAC');
  });

  it('decides on the policy as it is at each request: a new RoleBinding takes effect on the next one', () => {
    // As the API server's cache hands them out: a list changes by being replaced.
    let policy: RbacPolicy = bootstrapPolicy();
    const rbac = new RbacAuthorizer(authorizeRbac, () => policy);
    expect(rbac.authorize(listPods('jane', 'dev'))).toEqual({ decision: 'NoOpinion', reason: '' });
    policy = { ...policy, roleBindings: [...policy.roleBindings, janeViewsDev] };
    expect(rbac.authorize(listPods('jane', 'dev'))).toEqual({
      decision: 'Allow',
      reason: 'RBAC: allowed by RoleBinding "jane-view/dev" of ClusterRole "view" to User "jane"',
    });
  });

  it("asks the decision once per question while the policy's lists stay the same", () => {
    const policy: RbacPolicy = bootstrapPolicy();
    const asked: string[] = [];
    const rbac = new RbacAuthorizer((a, p) => (asked.push(`${a.user.username} ${a.verb}`), authorizeRbac(a, p)), () => policy);
    rbac.authorize(listPods('jane', 'dev'));
    rbac.authorize(listPods('jane', 'dev'));
    rbac.authorize(listPods('joe', 'dev'));
    expect(asked).toEqual(['jane list', 'joe list']);
  });
});
