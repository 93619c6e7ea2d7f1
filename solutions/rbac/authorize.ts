/**
 * Exercise `rbac` — reference solution. See exercises/rbac/authorize.ts for the full task
 * description; this file mirrors it with the parts filled in.
 */
import type { AuthorizationResult, RequestAttributes, UserInfo } from '../../lab-kernel/apiserver/pipeline-types';
import type { PolicyRule, RbacPolicy, RoleRef, Subject } from '../../lab-kernel/apiserver/auth/rbac-contract';

export function authorizeRbac(attributes: Readonly<RequestAttributes>, policy: Readonly<RbacPolicy>): AuthorizationResult {
  for (const grant of grantsFor(attributes.user, attributes.namespace, policy)) {
    if (grant.rules.some((rule) => ruleAllows(rule, attributes))) return { decision: 'Allow', reason: `RBAC: allowed by ${grant.source}` };
  }
  return { decision: 'NoOpinion', reason: '' };
}

// Part 1: does a binding's subject name this user?
function subjectMatches(subject: Readonly<Subject>, user: Readonly<UserInfo>, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== '' && user.username === `system:serviceaccount:${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

// Part 2: does one rule allow the request?
function ruleAllows(rule: Readonly<PolicyRule>, a: Readonly<RequestAttributes>): boolean {
  const verbOk = rule.verbs.some((v) => v === '*' || v === a.verb);
  if (!a.resourceRequest) return verbOk && (rule.nonResourceURLs ?? []).some((url) => urlMatches(url, a.path));
  const combined = a.subresource === '' ? a.resource : `${a.resource}/${a.subresource}`;
  return (
    verbOk &&
    (rule.apiGroups ?? []).some((g) => g === '*' || g === a.apiGroup) &&
    (rule.resources ?? []).some((r) => r === '*' || r === combined || (a.subresource !== '' && r === `*/${a.subresource}`)) &&
    (rule.resourceNames === undefined || rule.resourceNames.length === 0 || rule.resourceNames.includes(a.name))
  );
}

function urlMatches(ruleUrl: string, path: string): boolean {
  if (ruleUrl === '*' || ruleUrl === path) return true;
  return ruleUrl.endsWith('*') && path.startsWith(ruleUrl.slice(0, -1));
}

// Part 3: the rules granted to the user for a request in `namespace`, each with its source.
interface Grant {
  source: string;
  rules: readonly PolicyRule[];
}

function grantsFor(user: Readonly<UserInfo>, namespace: string, policy: Readonly<RbacPolicy>): Grant[] {
  const grants: Grant[] = [];
  for (const binding of policy.clusterRoleBindings) {
    const subject = (binding.subjects ?? []).find((s) => subjectMatches(s, user, ''));
    const rules = subject && rulesOf(binding.roleRef, '', policy);
    if (subject && rules) grants.push({ source: `ClusterRoleBinding "${binding.metadata.name}" of ${describeRole(binding.roleRef)} to ${describeSubject(subject, '')}`, rules });
  }
  for (const binding of policy.roleBindings) {
    if (binding.metadata.namespace !== namespace) continue;
    const subject = (binding.subjects ?? []).find((s) => subjectMatches(s, user, namespace));
    const rules = subject && rulesOf(binding.roleRef, namespace, policy);
    if (subject && rules) {
      grants.push({ source: `RoleBinding "${binding.metadata.name}/${namespace}" of ${describeRole(binding.roleRef)} to ${describeSubject(subject, namespace)}`, rules });
    }
  }
  return grants;
}

/** The rules of the role a binding refers to; a Role is looked up in the binding's namespace. */
function rulesOf(ref: Readonly<RoleRef>, bindingNamespace: string, policy: Readonly<RbacPolicy>): readonly PolicyRule[] | undefined {
  if (ref.kind === 'ClusterRole') return policy.clusterRoles.find((r) => r.metadata.name === ref.name)?.rules;
  if (ref.kind === 'Role' && bindingNamespace !== '') {
    return policy.roles.find((r) => r.metadata.namespace === bindingNamespace && r.metadata.name === ref.name)?.rules;
  }
  return undefined;
}

// Part 4: how the reason names what allowed the request.
function describeRole(ref: Readonly<RoleRef>): string {
  return `${ref.kind} "${ref.name}"`;
}

function describeSubject(subject: Readonly<Subject>, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') return `ServiceAccount "${subject.name}/${subject.namespace || bindingNamespace}"`;
  return `${subject.kind} "${subject.name}"`;
}
