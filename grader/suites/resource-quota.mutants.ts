import type { Mutant } from '../mutants';

/** Realistic wrong quota admissions: each must fail grader/suites/resource-quota.test.ts (npm run mutants -- resource-quota). */
const file = 'quota/evaluate.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'refuses a request that fills the quota exactly (>= instead of >)',
    file,
    find: 'if (compareQuantities(total, parseQuantity(hard[name]!)) > 0) exceeded.push(name);',
    replace: 'if (compareQuantities(total, parseQuantity(hard[name]!)) >= 0) exceeded.push(name);',
  },
  {
    name: 'reads the limits from spec.hard, so a quota the controller has not processed already limits',
    file,
    find: 'const hard = quota.status?.hard ?? {};',
    replace: 'const hard = quota.status?.hard ?? quota.spec?.hard ?? {};',
  },
  {
    name: 'ignores unspecified resources: a pod without limits.cpu slips past a limits.cpu quota',
    file,
    find: 'input.usage[name] !== undefined || unspecified[name] !== undefined',
    replace: 'input.usage[name] !== undefined',
  },
  {
    name: 'charges a quota for resources the object uses none of (a zero usage)',
    file,
    find: ' && parseQuantity(input.usage[name]!).nanos !== 0n',
    replace: '',
  },
  {
    name: 'the message lists every requested resource, not only the exceeded ones',
    file,
    find: 'requested: ${prettyPrint(input.usage, exceeded)}, used: ${prettyPrint(used, exceeded)}, limited: ${prettyPrint(hard, exceeded)}',
    replace: 'requested: ${prettyPrint(input.usage, requested)}, used: ${prettyPrint(used, requested)}, limited: ${prettyPrint(hard, requested)}',
  },
  {
    name: 'the message shows the used amount after the request instead of before',
    file,
    find: 'used: ${prettyPrint(used, exceeded)}',
    replace: 'used: ${prettyPrint(newUsed, exceeded)}',
  },
  {
    name: 'writes back only the charged resources, dropping the other used values',
    file,
    find: 'const newUsed: ResourceList = { ...used };',
    replace: 'const newUsed: ResourceList = {};',
  },
  {
    name: 'prints the quantities as written instead of canonically (0.5 stays 0.5, not 500m)',
    file,
    find: 'canonicalQuantity(list[name] ?? \'0\')',
    replace: "(list[name] ?? '0')",
  },
  {
    name: 'changes the quota it was given instead of a copy',
    file,
    find: 'updated.push({ ...quota, status: { ...quota.status, used: newUsed } } as ResourceQuota);',
    replace: '(quota.status as { used?: ResourceList }).used = newUsed;\n    updated.push(quota as ResourceQuota);',
  },
];
