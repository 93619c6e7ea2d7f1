import type { Mutant } from '../mutants';

/** Realistic wrong RBAC authorizers: each must fail grader/suites/rbac.test.ts (npm run mutants -- rbac). */
const file = 'rbac/authorize.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'forgets resourceNames: a rule for one named object allows them all',
    file,
    find: 'rule.resourceNames === undefined || rule.resourceNames.length === 0 || rule.resourceNames.includes(attributes.name)',
    replace: 'true',
  },
  {
    name: 'a rule for pods also covers pods/log (the subresource is ignored)',
    file,
    find: "const combined = attributes.subresource === '' ? attributes.resource : `${attributes.resource}/${attributes.subresource}`;",
    replace: 'const combined = attributes.resource;',
  },
  {
    name: "a rule '*/log' is compared as plain text, so it covers no log",
    file,
    find: " || (attributes.subresource !== '' && r === `*/${attributes.subresource}`)",
    replace: '',
  },
  {
    name: 'an empty resourceNames list allows nothing (it should not restrict at all)',
    file,
    find: 'rule.resourceNames === undefined || rule.resourceNames.length === 0 ||',
    replace: 'rule.resourceNames === undefined ||',
  },
  {
    name: 'a RoleBinding grants its role in every namespace, not only its own',
    file,
    find:
      'if (binding.metadata.namespace !== namespace) continue;\n    const subject = (binding.subjects ?? []).find((s) => subjectMatches(s, user, namespace));\n    const rules = subject && rulesOf(binding.roleRef, namespace, policy);',
    replace:
      'const bns = binding.metadata.namespace ?? \'\';\n    const subject = (binding.subjects ?? []).find((s) => subjectMatches(s, user, bns));\n    const rules = subject && rulesOf(binding.roleRef, bns, policy);',
  },
  {
    name: 'a RoleBinding that refers to a ClusterRole grants nothing (only ClusterRoleBindings may use one)',
    file,
    find: "if (ref.kind === 'ClusterRole') return",
    replace: "if (ref.kind === 'ClusterRole' && bindingNamespace === '') return",
  },
  {
    name: 'looks a Role up by name in any namespace, not in the binding\'s',
    file,
    find: 'r.metadata.namespace === bindingNamespace && r.metadata.name === ref.name',
    replace: 'r.metadata.name === ref.name',
  },
  {
    name: "a verb '*' in a rule is taken literally, so it allows no verb",
    file,
    find: "rule.verbs.some((v) => v === '*' || v === attributes.verb)",
    replace: 'rule.verbs.some((v) => v === attributes.verb)',
  },
  {
    name: "'/api/*' also matches '/api' (the slash is dropped with the star)",
    file,
    find: 'path.startsWith(ruleUrl.slice(0, -1))',
    replace: 'path.startsWith(ruleUrl.slice(0, -1).replace(/\\/$/, \'\'))',
  },
  {
    name: "a ServiceAccount subject without a namespace in a ClusterRoleBinding means one in 'default'",
    file,
    find: 'const namespace = subject.namespace || bindingNamespace;',
    replace: "const namespace = subject.namespace || bindingNamespace || 'default';",
  },
];
