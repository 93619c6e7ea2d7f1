import { addQuantities, compareQuantities, parseQuantity, type Quantity } from '../api/quantity';
import type { Container, Pod, ResourceList } from '../api/types';

/**
 * A pod's QoS class and its cgroup, as the kubelet decides them (1.32: ComputePodQOS in
 * pkg/apis/core/v1/helper/qos/qos.go, which GetPodQOS calls when status.qosClass is empty;
 * the cgroupfs names of pkg/kubelet/cm).
 *
 *   qosClass(pod with no requests or limits)                               // => 'BestEffort'
 *   qosClass(pod, every container cpu and memory requests == limits)       // => 'Guaranteed'
 *   qosClass(pod with anything else)                                       // => 'Burstable'
 *   podCgroupParent(guaranteedPod)   // => '/kubepods/pod<uid>'
 *   podCgroupParent(burstablePod)    // => '/kubepods/burstable/pod<uid>'
 *
 * Only cpu and memory count. Requests and limits are summed over the containers and init
 * containers: Guaranteed needs a cpu and a memory limit on every one, and the sums of the
 * requests equal to the sums of the limits. The pod is read as stored: the API server has
 * already copied a limit without a request into the request (defaults.ts), as the kubelet sees it.
 */
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'] as const;

export function qosClass(pod: Pick<Pod, 'spec'>): QosClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const containers: Container[] = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  for (const c of containers) {
    addPositive(requests, c.resources?.requests);
    const found = addPositive(limits, c.resources?.limits);
    if (!QOS_RESOURCES.every((r) => found.includes(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (limit === undefined || compareQuantities(limit, request) !== 0) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** The pod's cgroup under the kubelet's /kubepods (cgroupfs driver): Guaranteed pods sit right under it. */
export function podCgroupParent(pod: Pick<Pod, 'spec' | 'metadata'>): string {
  const qos = qosClass(pod);
  const tier = qos === 'Guaranteed' ? '' : `/${qos.toLowerCase()}`;
  return `/kubepods${tier}/pod${pod.metadata.uid ?? ''}`;
}

/** Adds the list's positive cpu and memory quantities into `sums`; returns the names it added. */
function addPositive(sums: Map<string, Quantity>, list: ResourceList | undefined): string[] {
  const found: string[] = [];
  for (const name of QOS_RESOURCES) {
    const text = list?.[name];
    if (text === undefined) continue;
    const q = parseQuantity(text);
    if (q.nanos <= 0n) continue;
    found.push(name);
    const sum = sums.get(name);
    sums.set(name, sum === undefined ? q : addQuantities(sum, q));
  }
  return found;
}
