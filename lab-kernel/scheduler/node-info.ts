import { milliValue, parseQuantity, value } from '../api/quantity';
import type { Container, Node, Pod, ResourceList } from '../api/types';
import type { NodeInfo, PodInfo, Resource } from './framework-types';

/**
 * The scheduler's arithmetic of resources, after kube-scheduler's framework/types.go:
 * what a pod asks for, what a node offers, and the running sums per node.
 *
 *   podRequests(pod with containers [cpu 250m, memory 64Mi] and [cpu 250m])
 *   // => { milliCPU: 500, memory: 67108864, ephemeralStorage: 0, allowedPodNumber: 1, scalar: {} }
 *   nodeInfoFor(node with allocatable cpu 4, memory 8Gi, pods 110, [that pod])
 *   // => requested.milliCPU 500, allocatable.milliCPU 4000, pods.length 1
 *
 * Units: CPU in millicores, memory and ephemeral storage in bytes, extended resources
 * (nvidia.com/gpu, hugepages-2Mi, ...) in whole units under `scalar`. The pod count rides in
 * allowedPodNumber: a node's allocatable `pods`, and in a pod's requests 1 (one pod slot), so
 * `requested.allowedPodNumber` is the number of pods on the node. (Kubernetes counts
 * len(nodeInfo.Pods) instead; the sum is the same.)
 */

/** kube-scheduler's defaults for a container that requests nothing, used for scoring only (util/pod_resources.go). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** Resource names that have their own field in Resource; every other name is a scalar resource. */
const CPU = 'cpu';
const MEMORY = 'memory';
const EPHEMERAL_STORAGE = 'ephemeral-storage';
const PODS = 'pods';

/** A Resource of all zeros: emptyResource() => { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} }. */
export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

/** Parsed quantities, memoised: the same few strings ('100m', '1Gi') recur across thousands of pods. */
const parsed = new Map<string, { milli: number; whole: number }>();
function amounts(text: string): { milli: number; whole: number } {
  let hit = parsed.get(text);
  if (hit === undefined) {
    const q = parseQuantity(text);
    hit = { milli: milliValue(q), whole: value(q) };
    parsed.set(text, hit);
  }
  return hit;
}

/**
 * A ResourceList as a Resource: resourceOf({ cpu: '1500m', memory: '1Gi', 'nvidia.com/gpu': '2' })
 * => { milliCPU: 1500, memory: 1073741824, ephemeralStorage: 0, allowedPodNumber: 0, scalar: { 'nvidia.com/gpu': 2 } }.
 */
export function resourceOf(list: Readonly<ResourceList> | undefined): Resource {
  const r = emptyResource();
  for (const [name, text] of Object.entries(list ?? {})) {
    if (text === undefined) continue;
    const q = amounts(text);
    if (name === CPU) r.milliCPU = q.milli;
    else if (name === MEMORY) r.memory = q.whole;
    else if (name === EPHEMERAL_STORAGE) r.ephemeralStorage = q.whole;
    else if (name === PODS) r.allowedPodNumber = q.whole;
    else r.scalar[name] = q.whole;
  }
  return r;
}

/** a += b, in place. */
function add(a: Resource, b: Readonly<Resource>): void {
  a.milliCPU += b.milliCPU;
  a.memory += b.memory;
  a.ephemeralStorage += b.ephemeralStorage;
  a.allowedPodNumber += b.allowedPodNumber;
  for (const [name, n] of Object.entries(b.scalar)) a.scalar[name] = (a.scalar[name] ?? 0) + n;
}

/** a -= b, in place. */
function subtract(a: Resource, b: Readonly<Resource>): void {
  a.milliCPU -= b.milliCPU;
  a.memory -= b.memory;
  a.ephemeralStorage -= b.ephemeralStorage;
  a.allowedPodNumber -= b.allowedPodNumber;
  for (const [name, n] of Object.entries(b.scalar)) a.scalar[name] = (a.scalar[name] ?? 0) - n;
}

/** a = max(a, b) per resource, in place: what an init container, which runs alone, can raise the request to. */
function setMax(a: Resource, b: Readonly<Resource>): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  for (const [name, n] of Object.entries(b.scalar)) a.scalar[name] = Math.max(a.scalar[name] ?? 0, n);
}

/** A pod's spec.overhead (RuntimeClass overhead, set by admission); not in the lab's PodSpec type, so read loosely. */
function overheadOf(pod: Readonly<Pod>): ResourceList | undefined {
  return (pod.spec as { overhead?: ResourceList }).overhead;
}

/**
 * The generic shape of a pod's request: containers run together (their requests add up), each
 * init container runs alone before them (the pod needs at least the largest), and the pod's
 * overhead comes on top. `each` turns one container into its Resource.
 */
function sumPod(pod: Readonly<Pod>, each: (c: Container) => Resource): Resource {
  const total = emptyResource();
  for (const c of pod.spec.containers) add(total, each(c));
  for (const c of pod.spec.initContainers ?? []) setMax(total, each(c));
  add(total, resourceOf(overheadOf(pod)));
  total.allowedPodNumber = 1;
  return total;
}

/**
 * What a pod requests, as the NodeResourcesFit filter sees it (resource.PodRequests):
 * sum(containers) max each init container, plus overhead.
 *
 *   containers [cpu 100m], [cpu 200m]; init container [cpu 500m]   => milliCPU 500
 *   containers [cpu 100m], [cpu 200m]; init container [cpu 250m]   => milliCPU 300
 *   containers with no requests                                    => milliCPU 0, memory 0
 * (Restartable "sidecar" init containers, which keep running, are not modelled.)
 */
export function podRequests(pod: Readonly<Pod>): Resource {
  return sumPod(pod, (c) => resourceOf(c.resources?.requests));
}

/**
 * Like podRequests, but a container that requests no CPU counts as 100m and one that requests
 * no memory as 200 MiB (GetNonzeroRequests), so that scoring does not pile best-effort pods
 * onto one node. Only cpu and memory are filled in.
 *
 *   nonZeroRequests(pod with one container, no requests)  // => milliCPU 100, memory 209715200
 *   nonZeroRequests(pod with one container, cpu 0)        // => milliCPU 0 (an explicit zero stays zero)
 */
export function nonZeroRequests(pod: Readonly<Pod>): Resource {
  const r = sumPod(pod, (c) => {
    const asked = resourceOf(c.resources?.requests);
    const requests = c.resources?.requests ?? {};
    const out = emptyResource();
    out.milliCPU = requests.cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : asked.milliCPU;
    out.memory = requests.memory === undefined ? DEFAULT_MEMORY_REQUEST : asked.memory;
    return out;
  });
  return Object.assign({}, r, { ephemeralStorage: 0, scalar: {} });
}

/**
 * What a node offers pods: status.allocatable (capacity minus what the kubelet reserves for
 * the system), as kube-scheduler reads it.
 *
 *   allocatableOf(node with allocatable { cpu: '4', memory: '8Gi', pods: '110' })
 *   // => { milliCPU: 4000, memory: 8589934592, ephemeralStorage: 0, allowedPodNumber: 110, scalar: {} }
 */
export function allocatableOf(node: Readonly<Node>): Resource {
  return resourceOf(node.status?.allocatable);
}

/** node.status.images, which the lab's NodeStatus type does not declare (the ImageLocality plugin reads it). */
export interface ContainerImage {
  names: string[];
  sizeBytes: number;
}

function imagesOf(node: Readonly<Node>): ContainerImage[] {
  return (node.status as { images?: ContainerImage[] } | undefined)?.images ?? [];
}

/** The host ports a pod takes: `${protocol}/${hostIP}/${port}` for every container port with a hostPort. */
export function hostPortsOf(pod: Readonly<Pod>): string[] {
  const ports: string[] = [];
  const collect = (containers: readonly Container[] | undefined) => {
    for (const c of containers ?? []) {
      for (const p of c.ports ?? []) {
        if (!p.hostPort) continue;
        const hostIP = (p as { hostIP?: string }).hostIP || '0.0.0.0';
        ports.push(`${p.protocol ?? 'TCP'}/${hostIP}/${p.hostPort}`);
      }
    }
  };
  collect(pod.spec.initContainers);
  collect(pod.spec.containers);
  return ports;
}

/** A pod with its requests summed once: podInfoFor(pod) => { pod, requests: podRequests(pod) }. */
export function podInfoFor(pod: Readonly<Pod>): PodInfo {
  return { pod, requests: podRequests(pod) };
}

/**
 * The scheduler's view of one node with the given pods on it.
 *
 *   nodeInfoFor(node-1 (cpu 4), [pod cpu 500m, pod with no requests])
 *   // => requested.milliCPU 500, nonZeroRequested.milliCPU 600, requested.allowedPodNumber 2
 */
export function nodeInfoFor(node: Readonly<Node>, pods: readonly Readonly<Pod>[] = []): NodeInfo {
  const imageSizes: Record<string, number> = {};
  for (const image of imagesOf(node)) for (const name of image.names) imageSizes[name] = image.sizeBytes;
  const info: NodeInfo = {
    node,
    pods: [],
    podsWithRequiredAntiAffinity: [],
    requested: emptyResource(),
    nonZeroRequested: emptyResource(),
    allocatable: allocatableOf(node),
    usedPorts: new Set(),
    imageSizes,
  };
  for (const pod of pods) addPod(info, pod);
  return info;
}

/** Puts a pod on the node, in place: adds its requests, non-zero requests and host ports. */
export function addPod(info: NodeInfo, pod: Readonly<Pod>): void {
  const podInfo = podInfoFor(pod);
  info.pods.push(podInfo);
  if (hasRequiredAntiAffinity(pod)) info.podsWithRequiredAntiAffinity.push(podInfo);
  add(info.requested, podInfo.requests);
  add(info.nonZeroRequested, nonZeroRequests(pod));
  for (const port of hostPortsOf(pod)) info.usedPorts.add(port);
}

/** Whether the pod has a required (hard) anti-affinity term. */
export function hasRequiredAntiAffinity(pod: Readonly<Pod>): boolean {
  return (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}

/** Whether two pod objects are the same pod: same uid, or (without uids) same namespace and name. */
function samePod(a: Readonly<Pod>, b: Readonly<Pod>): boolean {
  if (a.metadata.uid && b.metadata.uid) return a.metadata.uid === b.metadata.uid;
  return a.metadata.namespace === b.metadata.namespace && a.metadata.name === b.metadata.name;
}

/**
 * Takes a pod off the node, in place, undoing addPod; returns whether it was there.
 * The pod's requests are those it had when added (a pod's requests do not change once it is created).
 */
export function removePod(info: NodeInfo, pod: Readonly<Pod>): boolean {
  const index = info.pods.findIndex((p) => samePod(p.pod, pod));
  if (index < 0) return false;
  const [gone] = info.pods.splice(index, 1);
  const anti = info.podsWithRequiredAntiAffinity.indexOf(gone);
  if (anti >= 0) info.podsWithRequiredAntiAffinity.splice(anti, 1);
  subtract(info.requested, gone.requests);
  subtract(info.nonZeroRequested, nonZeroRequests(gone.pod));
  // Most pods hold no host port: then no other pod's ports need looking at.
  const freed = hostPortsOf(gone.pod);
  if (freed.length === 0) return true;
  const stillUsed = new Set(info.pods.flatMap((p) => hostPortsOf(p.pod)));
  for (const port of freed) if (!stillUsed.has(port)) info.usedPorts.delete(port);
  return true;
}
