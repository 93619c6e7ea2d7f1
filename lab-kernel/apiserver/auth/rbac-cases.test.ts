import { describe, expect, it } from 'vitest';
import type { Role, RoleBinding } from '../../api/types';
import { notImplemented } from '../../sim/not-implemented';
import { loadSlot } from '../../slots/slots';
import { bootstrapPolicy } from './bootstrap-policy';
import { compareRbac, RBAC_CASES } from './rbac-cases';
import type { RbacPolicy } from './rbac-contract';

const rbac = (kind: string, namespace: string, name: string, rest: object) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { namespace, name }, ...rest });
const base = bootstrapPolicy();
/** Chapter 03's policy: jane reads pods in dev; the group developers has edit there. */
const policy: RbacPolicy = {
  ...base,
  roles: [rbac('Role', 'dev', 'pod-reader', { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] }) as Role],
  roleBindings: [
    rbac('RoleBinding', 'dev', 'read-pods', { subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }], roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' } }) as RoleBinding,
    rbac('RoleBinding', 'dev', 'developers-edit', { subjects: [{ kind: 'Group', name: 'developers', apiGroup: 'rbac.authorization.k8s.io' }], roleRef: { kind: 'ClusterRole', name: 'edit', apiGroup: 'rbac.authorization.k8s.io' } }) as RoleBinding,
  ],
};
const reference = loadSlot('rbac', 'solution');

describe('compareRbac', () => {
  it('says yes on every row for the reference against itself, with the reasons RBAC gives', () => {
    const rows = compareRbac(reference, reference, policy);
    expect(rows).toHaveLength(RBAC_CASES.length);
    expect(rows.every((r) => r.ok === 'yes')).toBe(true);
    expect(rows.map((r) => `${r.question} => ${r.expected}`)).toEqual([
      'jane: list pods -n dev => Allow: RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to User "jane"',
      'jane: list pods -n default => NoOpinion',
      'sam: create configmaps -n dev => Allow: RBAC: allowed by RoleBinding "developers-edit/dev" of ClusterRole "edit" to Group "developers"',
      'sam: list nodes => NoOpinion',
      'scheduler: create pods/binding => Allow: RBAC: allowed by ClusterRoleBinding "system:kube-scheduler" of ClusterRole "system:kube-scheduler" to User "system:kube-scheduler"',
    ]);
  });

  it('reports an authorizer that throws, or that is not loaded', () => {
    const stub = () => {
      throw notImplemented('rbac');
    };
    expect(compareRbac(reference, stub, policy)[0]).toMatchObject({ 'your authorizeRbac': 'threw: not implemented yet: rbac', ok: '' });
    expect(compareRbac(reference, undefined, policy)[1]).toMatchObject({ expected: 'NoOpinion', 'your authorizeRbac': '(not loaded)', ok: '' });
  });
});
