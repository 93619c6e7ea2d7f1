import { addQuantities, compareQuantities, formatQuantity, milliValue, parseQuantity, ZERO_QUANTITY, type Quantity } from '../../api/quantity';
import type { Container, LimitRange, LimitRangeItem, Pod, ResourceList } from '../../api/types';
import type { AdmissionContext, AdmissionPlugin, AdmissionRequest } from '../pipeline-types';
import { forbiddenByAdmission } from './chain';

/**
 * LimitRanger: the LimitRange objects of a namespace give its pods default requests and
 * limits, and bounds they must stay within. On CREATE of a pod (its containers cannot change
 * afterwards):
 *
 *   mutate: a container that leaves out a request or a limit the namespace has a default for
 *           gets it, and the pod is annotated with what was set:
 *             kubernetes.io/limit-ranger: 'LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web'
 *   validate: every container (type Container) and the sum over the pod's containers (type Pod)
 *           within min, max and maxLimitRequestRatio, else 403:
 *             'pods "web" is forbidden: maximum cpu usage per Container is 1, but limit is 2'
 *           (several violations: '[first, second]', as Kubernetes aggregates errors).
 *
 * The LimitRange's own defaults (default from max, defaultRequest from default or min) and a
 * pod's request-from-limit default are applied when those objects are stored (api/defaults.ts),
 * before admission runs, as in kube-apiserver.
 *
 * Simplified: no init containers or PersistentVolumeClaim limits; Kubernetes walks each
 * LimitRange's min/max maps in Go's random order, the lab in name order.
 */
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

export function limitRangerPlugin(): AdmissionPlugin {
  return {
    name: 'LimitRanger',
    operations: ['CREATE'],
    mayMutate: (req) => podOf(req) !== undefined,
    mutate(req, ctx) {
      const pod = podOf(req);
      if (pod === undefined) return undefined;
      for (const limitRange of limitRangesFor(req, ctx)) applyDefaults(pod, limitRange);
      return undefined;
    },
    validate(req, ctx) {
      const pod = podOf(req);
      if (pod === undefined) return undefined;
      const problems = limitRangesFor(req, ctx).flatMap((limitRange) => violations(pod, limitRange));
      if (problems.length === 0) return undefined;
      return forbiddenByAdmission(req, problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`);
    },
  };
}

/** The pod being created, if this request is about one (not a subresource such as binding). */
function podOf(req: Readonly<AdmissionRequest>): Pod | undefined {
  if (req.subresource !== '' || req.info.kind !== 'Pod' || req.object === undefined) return undefined;
  return req.object as Pod;
}

function limitRangesFor(req: Readonly<AdmissionRequest>, ctx: AdmissionContext): readonly Readonly<LimitRange>[] {
  return ctx.list('limitranges', req.namespace) as readonly Readonly<LimitRange>[];
}

/**
 * Fills each container's missing requests from the Container items' defaultRequest and its
 * missing limits from their default, and records what it set in the annotation (one
 * LimitRange's annotation replaces an earlier one's, as in Kubernetes).
 *   web {} with default { cpu: 1 }, defaultRequest { cpu: 500m }
 *   => web { requests: { cpu: 500m }, limits: { cpu: 1 } },
 *      annotation 'LimitRanger plugin set: cpu request for container web; cpu limit for container web'
 */
function applyDefaults(pod: Pod, limitRange: Readonly<LimitRange>): void {
  const items = (limitRange.spec?.limits ?? []).filter((item) => item.type === 'Container');
  const defaultRequests: ResourceList = Object.assign({}, ...items.map((item) => item.defaultRequest ?? {}));
  const defaultLimits: ResourceList = Object.assign({}, ...items.map((item) => item.default ?? {}));
  const notes: string[] = [];
  for (const c of pod.spec.containers ?? []) {
    const setRequests = missingNames(c.resources?.requests, defaultRequests);
    const setLimits = missingNames(c.resources?.limits, defaultLimits);
    if (setRequests.length === 0 && setLimits.length === 0) continue;
    const resources = (c.resources ??= {});
    for (const name of setRequests) (resources.requests ??= {})[name] = defaultRequests[name];
    for (const name of setLimits) (resources.limits ??= {})[name] = defaultLimits[name];
    if (setRequests.length > 0) notes.push(`${setRequests.join(', ')} request for container ${c.name}`);
    if (setLimits.length > 0) notes.push(`${setLimits.join(', ')} limit for container ${c.name}`);
  }
  if (notes.length > 0) pod.metadata.annotations = Object.assign({}, pod.metadata.annotations, { [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` });
}

/** The names of the defaults `list` lacks, sorted. */
function missingNames(list: Readonly<ResourceList> | undefined, defaults: Readonly<ResourceList>): string[] {
  return Object.keys(defaults)
    .filter((name) => defaults[name] !== undefined && list?.[name] === undefined)
    .sort();
}

/** Every rule of the LimitRange the pod breaks, as Kubernetes words it. */
function violations(pod: Readonly<Pod>, limitRange: Readonly<LimitRange>): string[] {
  const problems: string[] = [];
  const containers: readonly Readonly<Container>[] = pod.spec.containers ?? [];
  for (const item of limitRange.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of containers) problems.push(...checkItem(item, c.resources?.requests ?? {}, c.resources?.limits ?? {}));
    } else if (item.type === 'Pod') {
      const requests = sumOverContainers(containers.map((c) => c.resources?.requests ?? {}));
      const limits = sumOverContainers(containers.map((c) => c.resources?.limits ?? {}));
      problems.push(...checkItem(item, requests, limits));
    }
  }
  return problems;
}

function checkItem(item: Readonly<LimitRangeItem>, requests: Readonly<ResourceList>, limits: Readonly<ResourceList>): string[] {
  const problems: (string | undefined)[] = [];
  for (const [name, bound] of sortedEntries(item.min)) problems.push(minViolation(item.type, name, bound, requests[name], limits[name]));
  for (const [name, bound] of sortedEntries(item.max)) problems.push(maxViolation(item.type, name, bound, requests[name], limits[name]));
  for (const [name, bound] of sortedEntries(item.maxLimitRequestRatio)) problems.push(ratioViolation(item.type, name, bound, requests[name], limits[name]));
  return problems.filter((p): p is string => p !== undefined);
}

/**
 *   minimum memory usage per Container is 100Mi, but request is 50Mi
 *   minimum cpu usage per Container is 100m.  No request is specified
 */
function minViolation(type: string, name: string, bound: string, request: string | undefined, limit: string | undefined): string | undefined {
  const min = parseQuantity(bound);
  const shown = `minimum ${name} usage per ${type} is ${formatQuantity(min)}`;
  if (request === undefined) return `${shown}.  No request is specified`;
  if (compareQuantities(parseQuantity(request), min) < 0) return `${shown}, but request is ${canonical(request)}`;
  if (limit !== undefined && compareQuantities(parseQuantity(limit), min) < 0) return `${shown}, but limit is ${canonical(limit)}`;
  return undefined;
}

/**
 *   maximum cpu usage per Container is 1, but limit is 2
 *   maximum memory usage per Container is 1Gi.  No limit is specified
 */
function maxViolation(type: string, name: string, bound: string, request: string | undefined, limit: string | undefined): string | undefined {
  const max = parseQuantity(bound);
  const shown = `maximum ${name} usage per ${type} is ${formatQuantity(max)}`;
  if (limit === undefined) return `${shown}.  No limit is specified`;
  if (compareQuantities(parseQuantity(limit), max) > 0) return `${shown}, but limit is ${canonical(limit)}`;
  if (request !== undefined && compareQuantities(parseQuantity(request), max) > 0) return `${shown}, but request is ${canonical(request)}`;
  return undefined;
}

/**
 *   cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000
 */
function ratioViolation(type: string, name: string, bound: string, request: string | undefined, limit: string | undefined): string | undefined {
  const maxRatio = parseQuantity(bound);
  const shown = `${name} max limit to request ratio per ${type} is ${formatQuantity(maxRatio)}`;
  const requested = request === undefined ? 0 : milliValue(parseQuantity(request));
  const limited = limit === undefined ? 0 : milliValue(parseQuantity(limit));
  if (requested === 0) return `${shown}, but no request is specified or request is 0`;
  if (limited === 0) return `${shown}, but no limit is specified or limit is 0`;
  const ratio = limited / requested;
  // Go's %f: six decimals.
  if (ratio * 1000 > milliValue(maxRatio)) return `${shown}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

/** The pod-level total, written in DecimalSI: only resources every container names are summed (Kubernetes' sum()). */
function sumOverContainers(lists: readonly Readonly<ResourceList>[]): ResourceList {
  const total: ResourceList = {};
  const names = new Set(lists.flatMap((l) => Object.keys(l)));
  for (const name of names) {
    if (lists.some((l) => l[name] === undefined)) continue;
    let sum: Quantity = ZERO_QUANTITY;
    for (const l of lists) sum = addQuantities(sum, parseQuantity(l[name]!));
    total[name] = formatQuantity({ nanos: sum.nanos, format: 'DecimalSI' });
  }
  return total;
}

function sortedEntries(list: Readonly<ResourceList> | undefined): [string, string][] {
  return Object.entries(list ?? {})
    .filter((e): e is [string, string] => e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function canonical(text: string): string {
  return formatQuantity(parseQuantity(text));
}
