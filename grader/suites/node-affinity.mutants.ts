import type { Mutant } from '../mutants';

/** Realistic wrong node-affinity checks: each must fail grader/suites/node-affinity.test.ts (npm run mutants -- node-affinity). */
const file = 'scheduler/node-affinity.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'ANDs the nodeSelectorTerms (every term must match) instead of ORing them',
    file,
    find: 'required.nodeSelectorTerms.some((term) => termMatches(term, node))',
    replace: 'required.nodeSelectorTerms.every((term) => termMatches(term, node))',
  },
  {
    name: "ORs a term's matchExpressions (any one is enough) instead of ANDing them",
    file,
    find: 'expressions.every((r) => requirementMatches(r, labels))',
    replace: '(expressions.length === 0 || expressions.some((r) => requirementMatches(r, labels)))',
  },
  {
    name: 'NotIn fails on a node that does not have the label at all',
    file,
    find: 'return !present || !values.includes(value);',
    replace: 'return present && !values.includes(value);',
  },
  {
    name: "Gt/Lt parse with parseInt, so '8.5' reads as 8",
    file,
    find: 'return /^[+-]?[0-9]+$/.test(text) ? Number(text) : undefined;',
    replace: 'return Number.isNaN(parseInt(text, 10)) ? undefined : parseInt(text, 10);',
  },
  {
    name: "Gt/Lt compare the values as text, so '10' is less than '9'",
    file,
    find: "return req.operator === 'Gt' ? have > bound : have < bound;",
    replace: "return req.operator === 'Gt' ? value > values[0] : value < values[0];",
  },
  {
    name: 'DoesNotExist treats a label with an empty value as missing',
    file,
    find: 'return !present;',
    replace: 'return !value;',
  },
  {
    name: 'a term with no requirements at all matches every node',
    file,
    find: 'if (expressions.length === 0 && fields.length === 0) return false;',
    replace: '',
  },
  {
    name: 'nodeSelector is ignored when the pod also has required node affinity',
    file,
    find: 'for (const [key, value] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[key] !== value) return false;',
    replace:
      'if (pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution === undefined)\n    for (const [key, value] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[key] !== value) return false;',
  },
  {
    name: 'matchFields accepts any field key, not only metadata.name',
    file,
    find: 'r.key === NODE_FIELD_NAME && requirementMatches(',
    replace: 'requirementMatches(',
  },
];
