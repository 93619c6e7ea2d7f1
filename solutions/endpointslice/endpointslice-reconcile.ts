/**
 * Exercise `endpointslice-reconcile` — which pods a Service's EndpointSlices list, and in which
 * slices. (chapter 06)
 *
 * "EndpointSlices contain references to a set of network endpoints. The control plane
 * automatically creates EndpointSlices for any Kubernetes Service that has a selector
 * specified"; "by default, the control plane creates and manages EndpointSlices to have no more
 * than 100 endpoints each"; each endpoint carries three conditions: ready, serving ("the same
 * as ready, except terminating pods") and terminating (the docs, EndpointSlices). Each time a
 * Service, one of its pods or one of its slices changes, kube-controller-manager's EndpointSlice
 * controller (k8s.io/endpointslice reconciler.go and utils.go, 1.32) decides, for that Service:
 *
 *   each pod, running with an IP, on a node it knows   => an endpoint, with its conditions
 *   each Service port, per pod (a named targetPort is    => the pod's ports; pods offering the
 *   looked up in that pod's containers)                     same ports share slices
 *   each set of ports: keep what the slices hold, update => as few writes as it can, at most
 *   only those that changed, put new endpoints first        100 endpoints a slice
 *   into slices being written anyway, then into one that
 *   fits them, else into new slices
 *   no slice left at all                                 => one empty placeholder slice
 *
 *   3 Ready pods, no slices             => create 1 slice of 3 endpoints
 *   250 pods, no slices                 => create 3 slices: 100, 100, 50
 *   then one pod deleted                => update the 1 slice it was in (99); create nothing
 *   a pod terminating                   => its endpoint { ready: false, serving: <its Ready>, terminating: true }
 *   no pods                             => one slice with no ports and no endpoints
 *
 * You write five parts (reconcileSlices, which calls them in turn, is given):
 *   1. podEndpoint: one pod's endpoint and its conditions
 *   2. endpointPorts: a pod's ports, a named targetPort resolved in that pod
 *   3. desiredGroups: which pods are endpoints, grouped by their ports
 *   4. packPortGroup: the slices of one group of ports, changed as little as can be
 *   5. addPlaceholder: the empty slice of a Service without endpoints
 *
 * Run a cluster on your code with
 *   createCluster({ use: { 'endpointslice-reconcile': 'exercise' } })
 * and grade it with
 *   npm run grade -- endpointslice-reconcile
 */
import type { SliceEndpoint } from '../../lab-kernel/api/types';
import {
  endpointKey,
  portsKey,
  sameEndpointState,
  type EndpointSliceInput,
  type EndpointSlicePlan,
  type ExistingSlice,
  type SliceNode,
  type SlicePod,
  type SlicePort,
  type SliceService,
} from '../../lab-kernel/controllers/endpointslice/endpointslice-contract';

/** The endpoints of pods that offer the same ports, by endpointKey. */
export interface PortGroup {
  ports: SlicePort[];
  endpoints: Map<string, SliceEndpoint>;
}

/** What packPortGroup decided for one group of ports. */
export type GroupChanges = Omit<EndpointSlicePlan, 'missingNodes'>;

/** Given: the parts in reconcileByAddressType's order. */
export function reconcileSlices(input: EndpointSliceInput): EndpointSlicePlan {
  const plan: EndpointSlicePlan = { create: [], update: [], delete: [], missingNodes: [] };
  const groups = desiredGroups(input, plan.missingNodes);
  const existingByPorts = new Map<string, ExistingSlice[]>();
  for (const slice of input.existing) existingByPorts.set(portsKey(slice.ports), [...(existingByPorts.get(portsKey(slice.ports)) ?? []), slice]);
  for (const [key, group] of groups) {
    const changes = packPortGroup(existingByPorts.get(key) ?? [], group, input.maxEndpointsPerSlice);
    plan.create.push(...changes.create);
    plan.update.push(...changes.update);
    plan.delete.push(...changes.delete);
  }
  // Slices of ports no pod offers any more go.
  for (const [key, slices] of existingByPorts) if (!groups.has(key)) plan.delete.push(...slices.map((s) => s.name));
  addPlaceholder(input.existing, plan);
  return plan;
}

/**
 * TODO(1) One pod's endpoint (podToEndpoint). serving is the pod's readiness (its Ready
 * condition); terminating is whether it is being deleted; ready is serving and not
 * terminating, or true whatever the pod if the Service publishes not-ready addresses. The
 * endpoint has the pod's IP, a targetRef to the pod, and, when they are set, the pod's
 * hostname, its nodeName and its node's zone. Build it in this order: addresses, conditions,
 * targetRef, hostname, nodeName, zone.
 *
 *   Ready pod web-0 (10.244.1.5) on node-1 in zone a
 *     => { addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false },
 *          targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u0' }, nodeName: 'node-1', zone: 'a' }
 *   the same pod not Ready              => conditions { ready: false, serving: false, terminating: false }
 *   Ready and terminating               => conditions { ready: false, serving: true, terminating: true }
 *   not Ready, publishNotReadyAddresses => conditions { ready: true, serving: false, terminating: false }
 */
export function podEndpoint(pod: SlicePod, node: SliceNode | undefined, service: SliceService): SliceEndpoint {
  // BEGIN SOLUTION
  const serving = pod.ready;
  const terminating = pod.terminating;
  const ready = service.publishNotReadyAddresses || (serving && !terminating);
  const endpoint: SliceEndpoint = {
    addresses: [pod.podIP!],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid },
  };
  if (pod.hostname) endpoint.hostname = pod.hostname;
  if (pod.nodeName) endpoint.nodeName = pod.nodeName;
  if (node?.zone) endpoint.zone = node.zone;
  return endpoint;
  // END SOLUTION
}

/**
 * TODO(2) The ports of one pod's endpoint (getEndpointPorts and FindPort), one per Service
 * port, in the Service's order: { name: the Service port's name or '', port, protocol: the
 * Service port's protocol or 'TCP' }. The port is the targetPort when it is a number (or the
 * Service port when targetPort is not set); a named targetPort is looked up in this pod's
 * containers, every container in order, for a port of that name and the same protocol (a
 * container port's protocol defaults to TCP). A pod without it leaves that Service port out.
 *
 *   { name: 'http', port: 80, targetPort: 9376 }              => [{ name: 'http', port: 9376, protocol: 'TCP' }]
 *   { port: 80 }                                              => [{ name: '', port: 80, protocol: 'TCP' }]
 *   { port: 80, targetPort: 'web' }, container port web 8080 => [{ name: '', port: 8080, protocol: 'TCP' }]
 *   the same, the pod has no port named web                   => []
 *   { port: 53, targetPort: 'dns', protocol: 'UDP' }, dns TCP 53 only => []
 */
export function endpointPorts(service: SliceService, pod: SlicePod): SlicePort[] {
  // BEGIN SOLUTION
  const ports: SlicePort[] = [];
  for (const p of service.ports) {
    const target = p.targetPort ?? p.port;
    const protocol = p.protocol ?? 'TCP';
    const port =
      typeof target === 'number' ? target : pod.containers.flatMap((c) => c.ports).find((cp) => cp.name === target && (cp.protocol ?? 'TCP') === protocol)?.containerPort;
    if (port !== undefined) ports.push({ name: p.name ?? '', port, protocol });
  }
  return ports;
  // END SOLUTION
}

/**
 * TODO(3) Which pods are endpoints, grouped by the ports they offer (portsKey of their
 * endpointPorts), groups and endpoints in the pods' order. A pod is left out when it has
 * finished (phase Succeeded or Failed) or has no IP yet; a terminating pod stays in. Its group
 * is made even if the pod is then left out for its node: a pod whose node is not in
 * input.nodes is left out and its nodeName ('' if none) added to missingNodes, unless the
 * Service publishes not-ready addresses (then it is kept, without a zone). Key each endpoint
 * by endpointKey (the same key twice: the last one stays).
 *
 *   web-0 and web-1 Running with IPs, a Service port 80 -> 9376 => one group [9376]: web-0, web-1
 *   web-2 Succeeded, web-3 Pending without an IP                => left out
 *   targetPort 'http': web-0 names 8080 http, web-1 9090 http   => two groups, [8080]: web-0 and [9090]: web-1
 *   web-4 on node-9, not in input.nodes                        => its group, no endpoint; missingNodes ['node-9']
 */
export function desiredGroups(input: EndpointSliceInput, missingNodes: string[]): Map<string, PortGroup> {
  // BEGIN SOLUTION
  const groups = new Map<string, PortGroup>();
  for (const pod of input.pods) {
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed' || !pod.podIP) continue;
    const ports = endpointPorts(input.service, pod);
    const key = portsKey(ports);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { ports, endpoints: new Map() }));
    const node = input.nodes.find((n) => n.name === (pod.nodeName ?? ''));
    if (node === undefined && !input.service.publishNotReadyAddresses) {
      missingNodes.push(pod.nodeName ?? '');
      continue;
    }
    const endpoint = podEndpoint(pod, node, input.service);
    group.endpoints.set(endpointKey(endpoint), endpoint);
  }
  return groups;
  // END SOLUTION
}

/**
 * TODO(4) The slices of one group of ports (reconcileByPortMapping), `max` endpoints at most each:
 *   a. each existing slice, in order, keeps the endpoints still wanted (the wanted version of
 *      each, found by endpointKey; each is then placed). A slice that lost an endpoint, or one
 *      of whose endpoints changed state (sameEndpointState), is updated with what it keeps, or
 *      deleted if it keeps none; else, if its labelsChanged, it is updated as it is; else it is
 *      unchanged.
 *   b. the endpoints left go into the slices being updated, fullest first (a stable sort by
 *      their endpoint count, before filling), each filled up to max.
 *   c. what is still left: if fewer than max, into the unchanged slice it fills most nearly
 *      without going over (the first such, in order), which is then updated too; else, or if
 *      none fits, into a new slice of these ports; again until none is left.
 *   Updates in the order decided (a's, then c's); creates and deletes likewise.
 *
 *   no slices, 250 endpoints                          => create 100, 100, 50
 *   slices A (100), B (100), C (50); one of B's gone  => update B (99)
 *   the same, and one new endpoint                    => update B (100): it goes where a write goes anyway
 *   A (100), B (100), C (50); 30 new endpoints        => update C (80): the closest fit
 *   A (100) and 100 new endpoints                     => create one of 100
 *   a slice whose endpoints all went                  => delete it
 */
export function packPortGroup(existing: readonly ExistingSlice[], group: PortGroup, max: number): GroupChanges {
  // BEGIN SOLUTION
  const desired = new Map(group.endpoints);
  const endpointsOf = new Map<string, SliceEndpoint[]>();
  const unchanged: string[] = [];
  const toUpdate: string[] = [];
  const toDelete: string[] = [];
  for (const slice of existing) {
    const kept: SliceEndpoint[] = [];
    let changed = false;
    for (const endpoint of slice.endpoints) {
      const key = endpointKey(endpoint);
      const want = desired.get(key);
      if (want === undefined) continue;
      kept.push(want);
      if (!sameEndpointState(want, endpoint)) changed = true;
      desired.delete(key);
    }
    if (changed || kept.length !== slice.endpoints.length) {
      if (kept.length === 0) toDelete.push(slice.name);
      else toUpdate.push(slice.name);
      endpointsOf.set(slice.name, kept);
    } else {
      (slice.labelsChanged ? toUpdate : unchanged).push(slice.name);
      endpointsOf.set(slice.name, [...slice.endpoints]);
    }
  }
  const left = [...desired.values()];
  for (const name of [...toUpdate].sort((a, b) => endpointsOf.get(b)!.length - endpointsOf.get(a)!.length)) {
    const endpoints = endpointsOf.get(name)!;
    while (left.length > 0 && endpoints.length < max) endpoints.push(left.shift()!);
  }
  const create: GroupChanges['create'] = [];
  while (left.length > 0) {
    let fit: string | undefined;
    let bestGap = max;
    if (left.length < max) {
      for (const name of unchanged) {
        const gap = max - (left.length + endpointsOf.get(name)!.length);
        if (gap >= 0 && gap < bestGap) [fit, bestGap] = [name, gap];
        if (gap === 0) break;
      }
    }
    const endpoints = fit === undefined ? [] : endpointsOf.get(fit)!;
    while (left.length > 0 && endpoints.length < max) endpoints.push(left.shift()!);
    if (fit === undefined) create.push({ ports: group.ports, endpoints });
    else {
      unchanged.splice(unchanged.indexOf(fit), 1);
      toUpdate.push(fit);
    }
  }
  return { create, update: toUpdate.map((name) => ({ name, endpoints: endpointsOf.get(name)! })), delete: toDelete };
  // END SOLUTION
}

/**
 * TODO(5) A Service keeps one slice even with no endpoints. When nothing is to be created and
 * every existing slice is to be deleted: if that is exactly one slice and it already is the
 * placeholder (no ports, no endpoints, labels up to date), keep it (take it off plan.delete);
 * else add a placeholder to plan.create: no ports, no endpoints.
 *
 *   no slices, no pods                        => create [{ ports: [], endpoints: [] }]
 *   the placeholder only, no pods             => nothing to do
 *   one slice of web-0, web-0 deleted         => delete it, and create the placeholder
 *   (the controller turns that pair into one update of the same slice)
 */
export function addPlaceholder(existing: readonly ExistingSlice[], plan: EndpointSlicePlan): void {
  // BEGIN SOLUTION
  if (plan.create.length > 0 || plan.delete.length !== existing.length) return;
  const only = plan.delete.length === 1 ? existing.find((s) => s.name === plan.delete[0]) : undefined;
  if (only !== undefined && only.ports.length === 0 && only.endpoints.length === 0 && !only.labelsChanged) plan.delete = [];
  else plan.create.push({ ports: [], endpoints: [] });
  // END SOLUTION
}
