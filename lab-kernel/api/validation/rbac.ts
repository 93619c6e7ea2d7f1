import { invalidValue, notSupported, required, type StatusCause } from '../status';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from '../types';
import { invalidAll, isObject, isString, objects, pathSegmentName, requiredBecause, sameJson } from './rules';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * RBAC validation (pkg/apis/rbac/validation): rules need verbs and a target; bindings need a
 * roleRef, which can never change afterwards (delete and recreate the binding instead).
 *
 *   validateBinding({ kind: 'RoleBinding', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'b' } }, oldPointingAtA)
 *   // => [ roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"b"}: cannot change roleRef ]
 */
export function validateRole(role: Readonly<Role | ClusterRole>): StatusCause[] {
  const namespaced = role.kind === 'Role';
  return objects<PolicyRule>(role.rules).flatMap((rule, i) => validateRule(rule, `rules[${i}]`, namespaced));
}

function validateRule(rule: Readonly<PolicyRule>, at: string, namespaced: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const has = (list: unknown) => Array.isArray(list) && list.length > 0;
  if (!has(rule.verbs)) causes.push(requiredBecause(`${at}.verbs`, 'verbs must contain at least one value'));
  if (has(rule.nonResourceURLs)) {
    if (namespaced) causes.push(invalidValue(`${at}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (has(rule.apiGroups) || has(rule.resources) || has(rule.resourceNames)) {
      causes.push(invalidValue(`${at}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return causes;
  }
  if (!has(rule.apiGroups)) causes.push(requiredBecause(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!has(rule.resources)) causes.push(requiredBecause(`${at}.resources`, 'resource rules must supply at least one resource'));
  return causes;
}

/** RoleBindings may point at a Role or a ClusterRole; ClusterRoleBindings only at a ClusterRole. */
export function validateBinding(binding: Readonly<RoleBinding | ClusterRoleBinding>, old?: Readonly<RoleBinding | ClusterRoleBinding>): StatusCause[] {
  const causes: StatusCause[] = [];
  // roleRef is a struct in Go: a missing one reads as empty, with the defaulted apiGroup.
  const ref: Partial<RoleRef> = isObject(binding.roleRef) ? binding.roleRef : { apiGroup: RBAC_GROUP };
  const kinds = binding.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (ref.apiGroup !== RBAC_GROUP) causes.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  if (!kinds.includes(ref.kind ?? '')) causes.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!isString(ref.name) || ref.name === '') causes.push(required('roleRef.name'));
  else causes.push(...invalidAll('roleRef.name', ref.name, pathSegmentName(ref.name)));
  objects<Subject>(binding.subjects).forEach((s, i) => causes.push(...validateSubject(s, `subjects[${i}]`, binding.kind === 'ClusterRoleBinding')));
  if (old !== undefined && !sameJson(old.roleRef, binding.roleRef)) causes.push(invalidValue('roleRef', binding.roleRef ?? null, 'cannot change roleRef'));
  return causes;
}

function validateSubject(s: Readonly<Subject>, at: string, clusterWide: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!isString(s.name) || s.name === '') causes.push(required(`${at}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.apiGroup) causes.push(notSupported(`${at}.apiGroup`, s.apiGroup, ['']));
      if (clusterWide && !s.namespace) causes.push(required(`${at}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) causes.push(notSupported(`${at}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      causes.push(notSupported(`${at}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return causes;
}
