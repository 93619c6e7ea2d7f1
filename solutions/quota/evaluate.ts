/**
 * Exercise `resource-quota` — reference solution. See exercises/quota/evaluate.ts for the
 * full task description; this file mirrors it with the parts filled in.
 */
import { addQuantities, canonicalQuantity, compareQuantities, formatQuantity, parseQuantity } from '../../lab-kernel/api/quantity';
import type { ResourceList } from '../../lab-kernel/api/types';
import type { QuotaDecision, QuotaInput, ResourceQuota } from '../../lab-kernel/apiserver/admission/resource-quota-contract';

export function evaluateQuota(input: QuotaInput): QuotaDecision {
  const unspecified = input.unspecified ?? {};
  // Part 1 and 2: every quota that limits something about this object must allow it to be measured.
  const applying: { quota: Readonly<ResourceQuota>; restricted: string[] }[] = [];
  for (const quota of input.quotas) {
    const restricted = restrictedResources(quota, input);
    if (restricted.length === 0) continue;
    const refusal = checkConstraints(quota, restricted, unspecified);
    if (refusal !== undefined) return { decision: 'deny', message: refusal };
    applying.push({ quota, restricted });
  }
  // Part 4: charge the usage to each quota; the first one it would overflow refuses the object.
  const updated: ResourceQuota[] = [];
  for (const { quota, restricted } of applying) {
    const hard = quota.status!.hard!;
    const used = quota.status!.used!;
    const requested = restricted.filter((name) => input.usage[name] !== undefined && parseQuantity(input.usage[name]!).nanos !== 0n);
    if (requested.length === 0) continue;
    const newUsed: ResourceList = { ...used };
    const exceeded: string[] = [];
    for (const name of requested) {
      const total = addQuantities(parseQuantity(used[name]!), parseQuantity(input.usage[name]!));
      newUsed[name] = formatQuantity(total);
      if (compareQuantities(total, parseQuantity(hard[name]!)) > 0) exceeded.push(name);
    }
    if (exceeded.length > 0) {
      const message = `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(input.usage, exceeded)}, used: ${prettyPrint(used, exceeded)}, limited: ${prettyPrint(hard, exceeded)}`;
      return { decision: 'deny', message };
    }
    updated.push({ ...quota, status: { ...quota.status, used: newUsed } } as ResourceQuota);
  }
  return { decision: 'allow', updated };
}

// Part 1: the quota's status.hard resources this object is charged for, or leaves unspecified.
function restrictedResources(quota: Readonly<ResourceQuota>, input: QuotaInput): string[] {
  const hard = quota.status?.hard ?? {};
  const unspecified = input.unspecified ?? {};
  return Object.keys(hard)
    .filter((name) => input.usage[name] !== undefined || unspecified[name] !== undefined)
    .sort();
}

// Part 2: a quota cannot be checked if the pod leaves a limited resource unspecified, or if
// the controller has not counted the usage yet.
function checkConstraints(quota: Readonly<ResourceQuota>, restricted: readonly string[], unspecified: Readonly<Record<string, readonly string[]>>): string | undefined {
  const missing = restricted.filter((name) => (unspecified[name] ?? []).length > 0);
  if (missing.length > 0) {
    const parts = missing.map((name) => `${name} for: ${unspecified[name].join(',')}`);
    return `failed quota: ${quota.metadata.name}: must specify ${parts.join('; ')}`;
  }
  const uncounted = restricted.filter((name) => quota.status?.used?.[name] === undefined);
  if (uncounted.length > 0) return `status unknown for quota: ${quota.metadata.name}, resources: ${uncounted.join(',')}`;
  return undefined;
}

// Part 3: `name=value` for the given names, sorted, values canonical, joined by commas.
function prettyPrint(list: Readonly<ResourceList>, names: readonly string[]): string {
  return [...names]
    .sort()
    .map((name) => `${name}=${canonicalQuantity(list[name] ?? '0')}`)
    .join(',');
}
