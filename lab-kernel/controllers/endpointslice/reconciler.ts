import type { EndpointSlice, Node, Pod, Service, SliceEndpoint } from '../../api/types';
import { sameJson } from '../../api/validation/rules';
import { shouldPodBeInEndpoints } from '../service-pods';
import { endpointKey, newSlice, portsKey, sliceEndpoint, sliceLabels, slicePorts, type SlicePort } from './slice-endpoints';

/**
 * The EndpointSlice controller's reconciler (k8s.io/endpointslice reconciler.go, 1.32), as a
 * plan: from a Service, the pods it selects and the slices it already has, which slices to
 * create, update and delete. Pods are grouped by the ports they offer (a named targetPort
 * can differ from pod to pod); each group fills slices of at most maxEndpointsPerSlice
 * (--max-endpoints-per-slice, 100), changing as few slices as it can:
 *
 *   1. each existing slice keeps its endpoints that are still wanted (updated in place if their
 *      state changed); one left empty is deleted
 *   2. new endpoints fill the slices already being updated, fullest first
 *   3. what is left goes into one unchanged slice it fits in whole (the closest fit), else
 *      into new slices of up to 100
 *   4. a Service with no endpoints at all keeps one empty placeholder slice
 *   5. a slice to create and one to delete become an update of the second (finalize)
 *
 *   planSlices(myService, 250 ready pods, [], nodes, 100)
 *   // => create 3 slices: 100, 100 and 50 endpoints
 *   // then one pod deleted => update 1 slice (99 endpoints), nothing created or deleted
 *
 * A pod on a node the cache does not know is left out, and named in missingNodes (the
 * controller then tries again later), unless the Service publishes not-ready addresses.
 *
 * Simplified: IPv4 only; where upstream takes endpoints and slices in Go's map order, the lab
 * takes them in the order of the informers' caches (pods and slices by name), so a run is
 * repeatable; no topology hints.
 */
export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Nodes named by pods but missing from the cache. */
  missingNodes: string[];
}

export function planSlices(
  svc: Readonly<Service>,
  pods: readonly Readonly<Pod>[],
  existing: readonly Readonly<EndpointSlice>[],
  nodeNamed: (name: string) => Readonly<Node> | undefined,
  maxEndpointsPerSlice: number,
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], missingNodes: [] };
  // Slices of another address type, or not owned by this Service (an old one of the same name), go.
  const mine: Readonly<EndpointSlice>[] = [];
  for (const slice of existing) {
    if (slice.addressType === 'IPv4' && slice.metadata.ownerReferences?.some((r) => r.controller && r.uid === svc.metadata.uid)) mine.push(slice);
    else plan.delete.push(slice);
  }
  const existingByPorts = new Map<string, Readonly<EndpointSlice>[]>();
  for (const slice of mine) push(existingByPorts, portsKey(slice.ports ?? []), slice);

  const desiredByPorts = new Map<string, { ports: SlicePort[]; endpoints: Map<string, SliceEndpoint> }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = slicePorts(svc, pod);
    const key = portsKey(ports);
    let group = desiredByPorts.get(key);
    if (group === undefined) desiredByPorts.set(key, (group = { ports, endpoints: new Map() }));
    const node = nodeNamed(pod.spec.nodeName ?? '');
    if (node === undefined && svc.spec.publishNotReadyAddresses !== true) {
      plan.missingNodes.push(pod.spec.nodeName ?? '');
      continue;
    }
    const endpoint = sliceEndpoint(pod, node, svc);
    group.endpoints.set(endpointKey(endpoint), endpoint);
  }

  for (const [key, { ports, endpoints }] of desiredByPorts) {
    const changes = planPortGroup(svc, existingByPorts.get(key) ?? [], endpoints, ports, maxEndpointsPerSlice);
    plan.create.push(...changes.create);
    plan.update.push(...changes.update);
    plan.delete.push(...changes.delete);
  }
  for (const [key, slices] of existingByPorts) if (!desiredByPorts.has(key)) plan.delete.push(...slices);

  // Every slice would go and none be made: keep (or make) one empty placeholder.
  if (existing.length === plan.delete.length && plan.create.length === 0) {
    const placeholder = newSlice(svc, []);
    const only = plan.delete.length === 1 ? plan.delete[0]! : undefined;
    if (only !== undefined && isPlaceholderOf(only, placeholder)) plan.delete = [];
    else plan.create.push(placeholder);
  }
  return finalize(svc, plan);
}

/** reconcileByPortMapping: steps 1 to 3 for the slices of one set of ports. */
function planPortGroup(svc: Readonly<Service>, existing: readonly Readonly<EndpointSlice>[], desired: Map<string, SliceEndpoint>, ports: SlicePort[], max: number) {
  const byName = new Map<string, EndpointSlice>();
  const unchanged: string[] = [];
  const toUpdate: string[] = [];
  const toDelete: string[] = [];
  const labels = sliceLabels(svc);
  for (const slice of existing) {
    const name = slice.metadata.name!;
    byName.set(name, slice as EndpointSlice);
    const kept: SliceEndpoint[] = [];
    let changed = false;
    for (const endpoint of slice.endpoints ?? []) {
      const key = endpointKey(endpoint);
      const want = desired.get(key);
      if (want === undefined) continue;
      kept.push(want);
      if (!sameBeyondKey(want, endpoint)) changed = true;
      desired.delete(key);
    }
    const labelsChanged = !sameJson(slice.metadata.labels ?? {}, labels);
    if (changed || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) toDelete.push(name);
      else {
        byName.set(name, { ...slice, metadata: { ...slice.metadata, labels }, endpoints: kept });
        toUpdate.push(name);
      }
    } else if (labelsChanged) {
      byName.set(name, { ...slice, metadata: { ...slice.metadata, labels } });
      toUpdate.push(name);
    } else {
      unchanged.push(name);
    }
  }
  const left = [...desired.values()];
  // 2. Fill the slices already being written, fullest first.
  for (const name of [...toUpdate].sort((a, b) => byName.get(b)!.endpoints.length - byName.get(a)!.endpoints.length)) {
    const slice = byName.get(name)!;
    while (left.length > 0 && slice.endpoints.length < max) slice.endpoints = [...slice.endpoints, left.shift()!];
  }
  // 3. An unchanged slice the rest fits in whole, else new slices.
  const create: EndpointSlice[] = [];
  while (left.length > 0) {
    const fit = left.length < max ? closestFit(unchanged.map((n) => byName.get(n)!), left.length, max) : undefined;
    const slice: EndpointSlice = fit === undefined ? newSlice(svc, ports) : { ...fit, endpoints: [...fit.endpoints] };
    while (left.length > 0 && slice.endpoints.length < max) slice.endpoints.push(left.shift()!);
    if (fit === undefined) create.push(slice);
    else {
      byName.set(fit.metadata.name!, slice);
      unchanged.splice(unchanged.indexOf(fit.metadata.name!), 1);
      toUpdate.push(fit.metadata.name!);
    }
  }
  return { create, update: toUpdate.map((n) => byName.get(n)!), delete: toDelete.map((n) => byName.get(n)!) };
}

/** getSliceToFill: the unchanged slice that `count` more endpoints fill most nearly, without going over. */
function closestFit(slices: readonly EndpointSlice[], count: number, max: number): EndpointSlice | undefined {
  let best: EndpointSlice | undefined;
  let bestGap = max;
  for (const slice of slices) {
    const gap = max - (count + slice.endpoints.length);
    if (gap >= 0 && gap < bestGap) {
      bestGap = gap;
      best = slice;
      if (gap === 0) break;
    }
  }
  return best;
}

/** finalize: a slice to create reuses one to delete (owned by this Service, same address type) as an update. */
function finalize(svc: Readonly<Service>, plan: SlicePlan): SlicePlan {
  const kept: EndpointSlice[] = [];
  for (const old of plan.delete) {
    const reusable = old.addressType === 'IPv4' && old.metadata.ownerReferences?.some((r) => r.controller && r.uid === svc.metadata.uid);
    const created = reusable ? plan.create.pop() : undefined;
    if (created === undefined) kept.push(old);
    else plan.update.push({ ...created, metadata: { ...old.metadata, labels: created.metadata.labels } });
  }
  plan.delete = kept;
  return plan;
}

/** EndpointsEqualBeyondHash: the same state (conditions, node, zone, pod uid) for the same endpoint. */
function sameBeyondKey(a: Readonly<SliceEndpoint>, b: Readonly<SliceEndpoint>): boolean {
  const state = (e: Readonly<SliceEndpoint>) => JSON.stringify([e.conditions?.ready, e.conditions?.serving, e.conditions?.terminating, e.nodeName, e.zone, e.targetRef?.uid]);
  return state(a) === state(b);
}

/** Whether a slice is already the placeholder the Service would get: no ports, no endpoints, the same labels and owner. */
function isPlaceholderOf(slice: Readonly<EndpointSlice>, placeholder: EndpointSlice): boolean {
  const view = (s: Readonly<EndpointSlice>) => [s.addressType, s.ports ?? [], s.endpoints ?? [], s.metadata.labels ?? {}, s.metadata.ownerReferences ?? []];
  return sameJson(view(slice), view(placeholder));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
