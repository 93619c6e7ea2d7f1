import { addQuantities, formatQuantity, parseQuantity } from '../../api/quantity';
import type { KubeObject, PersistentVolumeClaim, Pod, ResourceList, ResourceQuota, Service } from '../../api/types';

/**
 * The contract of ResourceQuota admission: a pure function that decides whether a new object
 * fits in every quota of its namespace, and if so, what each quota's `status.used` becomes.
 *
 *   // compute-quota: status { hard: { 'requests.cpu': '2' }, used: { 'requests.cpu': '1' } }
 *   evaluateQuota({ quotas: [computeQuota], usage: podUsage(podRequesting2Cpus) })
 *   // => { decision: 'deny',
 *   //      message: 'exceeded quota: compute-quota, requested: requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2' }
 *
 * The admission plugin (resource-quota.ts) measures the object with usageOf(), calls the
 * function, writes the raised quotas before the object is stored, and turns a denial into
 * `403 pods "web" is forbidden: <message>`. The ResourceQuota controller
 * (controllers/resourcequota-controller.ts) uses the same usageOf() to recount what exists.
 *
 * Exercise `resource-quota` (exercises/quota/evaluate.ts) implements it; the reference is in
 * solutions/quota/evaluate.ts.
 */
export type { ResourceQuota };

export interface QuotaInput {
  /** The namespace's ResourceQuotas, as the API server's cache has them. Read-only. */
  readonly quotas: readonly Readonly<ResourceQuota>[];
  /** What the new object would add: usageOf(object), e.g. podUsage(pod). */
  readonly usage: Readonly<ResourceList>;
  /**
   * For a pod: the compute resources some containers leave unspecified, with those
   * containers' names (unspecifiedResources(pod)). A quota that limits one of them refuses the pod.
   */
  readonly unspecified?: Readonly<Record<string, readonly string[]>>;
}

/** Allowed, with the quotas whose status.used went up (to be written), or denied, with Kubernetes' message. */
export type QuotaDecision = { decision: 'allow'; updated: ResourceQuota[] } | { decision: 'deny'; message: string };

export type EvaluateQuota = (input: QuotaInput) => QuotaDecision;

/**
 * The sum of two resource lists, key by key (a key in only one list is kept as it is), as
 * Kubernetes' quota.Add:
 *   addResourceLists({ cpu: '500m', pods: '1' }, { cpu: '1' })  // => { cpu: '1500m', pods: '1' }
 */
export function addResourceLists(a: Readonly<ResourceList>, b: Readonly<ResourceList>): ResourceList {
  const sum: ResourceList = { ...a };
  for (const [name, quantity] of Object.entries(b)) {
    if (quantity === undefined) continue;
    const before = sum[name];
    sum[name] = before === undefined ? quantity : formatQuantity(addQuantities(parseQuantity(before), parseQuantity(quantity)));
  }
  return sum;
}

/** The compute resources whose requests (and limits) a quota on cpu or memory insists on. */
const MUST_BE_SPECIFIED = ['cpu', 'limits.cpu', 'limits.memory', 'memory', 'requests.cpu', 'requests.memory'];

/**
 * What a set of requests and limits is charged for, by quota name, as Kubernetes'
 * podComputeUsageHelper: a request counts under both its bare name and `requests.<name>`.
 *   computeUsage({ cpu: '500m' }, { memory: '1Gi' })
 *   // => { cpu: '500m', 'requests.cpu': '500m', 'limits.memory': '1Gi' }
 */
function computeUsage(requests: Readonly<ResourceList>, limits: Readonly<ResourceList>): ResourceList {
  const usage: ResourceList = {};
  for (const [name, quantity] of Object.entries(requests)) {
    if (quantity === undefined) continue;
    // Standard resources count under their bare name too; extended ones (example.com/gpu) only as requests.<name>.
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) usage[name] = quantity;
    usage[`requests.${name}`] = quantity;
  }
  for (const [name, quantity] of Object.entries(limits)) {
    if (quantity !== undefined && (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage')) usage[`limits.${name}`] = quantity;
  }
  return usage;
}

/**
 * What one pod is charged for, as Kubernetes' PodUsageFunc: `count/pods` always; while it
 * has not finished (phase Succeeded or Failed), also `pods` and its containers' requests and
 * limits, summed (`cpu` and `memory` are the same as `requests.cpu` and `requests.memory`).
 *
 *   podUsage(pod with containers web { requests: { cpu: 500m, memory: 128Mi }, limits: { cpu: 1 } }
 *                              and log { requests: { cpu: 100m } })
 *   // => { 'count/pods': '1', pods: '1', cpu: '600m', 'requests.cpu': '600m', memory: '128Mi',
 *   //      'requests.memory': '128Mi', 'limits.cpu': '1' }
 *
 * Simplified: no init containers or pod overhead, and a terminating pod is charged until it is gone.
 */
export function podUsage(pod: Readonly<Pod>): ResourceList {
  const usage: ResourceList = { 'count/pods': '1' };
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return usage;
  let requests: ResourceList = {};
  let limits: ResourceList = {};
  for (const c of pod.spec.containers ?? []) {
    requests = addResourceLists(requests, c.resources?.requests ?? {});
    limits = addResourceLists(limits, c.resources?.limits ?? {});
  }
  return Object.assign({}, usage, { pods: '1' }, computeUsage(requests, limits));
}

/**
 * Which compute resources each container leaves out, as names => containers. A quota that
 * limits cpu or memory (as `cpu`, `requests.cpu`, `limits.cpu`, ...) makes every container
 * say how much it wants.
 *
 *   unspecifiedResources(pod with web { requests: { cpu: 1 } } and log {})
 *   // => { 'limits.cpu': ['log', 'web'], cpu: ['log'], 'requests.cpu': ['log'], memory: ['log', 'web'], ... }
 */
export function unspecifiedResources(pod: Readonly<Pod>): Record<string, string[]> {
  const missing: Record<string, string[]> = {};
  for (const c of pod.spec.containers ?? []) {
    const has = computeUsage(c.resources?.requests ?? {}, c.resources?.limits ?? {});
    for (const name of MUST_BE_SPECIFIED) if (has[name] === undefined) (missing[name] ??= []).push(c.name);
  }
  for (const names of Object.values(missing)) names.sort();
  return missing;
}

/**
 * The names an object of a resource is counted under: `count/<resource>` (`count/<resource>.<group>`
 * outside the core group), and for a few core kinds also the older bare name.
 *   objectCountNames({ resource: 'configmaps', group: '' })     // => ['count/configmaps', 'configmaps']
 *   objectCountNames({ resource: 'deployments', group: 'apps' }) // => ['count/deployments.apps']
 */
export function objectCountNames(r: { resource: string; group: string }): string[] {
  const count = r.group === '' ? `count/${r.resource}` : `count/${r.resource}.${r.group}`;
  return r.group === '' && LEGACY_OBJECT_COUNTS.includes(r.resource) ? [count, r.resource] : [count];
}

/** Core resources whose object count also goes by its bare name in a quota (`services: "10"`). */
export const LEGACY_OBJECT_COUNTS = ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas'];

/**
 * What any object is charged for: podUsage for a pod; for a Service also its node ports and
 * load balancer; for a PersistentVolumeClaim also its requested storage; for everything else
 * its object count.
 *   usageOf(aConfigMap, { resource: 'configmaps', group: '' })  // => { 'count/configmaps': '1', configmaps: '1' }
 *   usageOf(aLoadBalancerWith2Ports, { resource: 'services', group: '' })
 *   // => { 'count/services': '1', services: '1', 'services.loadbalancers': '1', 'services.nodeports': '2' }
 */
export function usageOf(obj: Readonly<KubeObject>, r: { resource: string; group: string }): ResourceList {
  if (r.group === '' && r.resource === 'pods') return podUsage(obj as Readonly<Pod>);
  const usage: ResourceList = {};
  for (const name of objectCountNames(r)) usage[name] = '1';
  if (r.group === '' && r.resource === 'services') {
    const spec = (obj as Readonly<Service>).spec ?? {};
    const ports = String(spec.ports?.length ?? 0);
    if (spec.type === 'NodePort') usage['services.nodeports'] = ports;
    if (spec.type === 'LoadBalancer') Object.assign(usage, { 'services.nodeports': ports, 'services.loadbalancers': '1' });
  }
  if (r.group === '' && r.resource === 'persistentvolumeclaims') {
    const storage = (obj as Readonly<PersistentVolumeClaim>).spec?.resources?.requests?.storage;
    if (storage !== undefined) usage['requests.storage'] = storage;
  }
  return usage;
}
