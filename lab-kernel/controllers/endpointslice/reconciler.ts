import type { EndpointSlice, Node, Pod, Service } from '../../api/types';
import { sameJson } from '../../api/validation/rules';
import { isPodReady } from '../replicaset-contract';
import { shouldSetHostname } from '../service-pods';
import type { EndpointSliceInput, ExistingSlice, ReconcileSlicesFn, SliceNode, SlicePod } from './endpointslice-contract';
import { newSlice, sliceLabels } from './slice-endpoints';

/**
 * The EndpointSlice controller's reconciler (k8s.io/endpointslice reconciler.go, 1.32), as a
 * plan: from a Service, the pods it selects and the slices it already has, which slices to
 * create, update and delete. Which pods are endpoints, in which slices, is the decision
 * `reconcile` (endpointslice-contract.ts; exercise endpointslice-reconcile): pods grouped by
 * the ports they offer, each group in slices of at most maxEndpointsPerSlice
 * (--max-endpoints-per-slice, 100), as few slices changed as can be, and one empty
 * placeholder slice for a Service without endpoints. Around it, this module:
 *
 *   1. deletes slices of another address type, or not owned by this Service (an old one of the same name)
 *   2. hands the decision the pods, the nodes they name and the Service's own slices, as data
 *   3. makes its answer slices: a new one named by the API server from `<service>-`, labelled
 *      and owned by the Service; an update with the Service's labels
 *   4. turns a slice to create and one to delete into an update of the second (finalize)
 *
 *   planSlices(myService, 250 ready pods, [], nodes, 100, reconcileSlices)
 *   // => create 3 slices: 100, 100 and 50 endpoints
 *   // then one pod deleted => update 1 slice (99 endpoints), nothing created or deleted
 *
 * A pod on a node the cache does not know is left out, and named in missingNodes (the
 * controller then tries again later), unless the Service publishes not-ready addresses.
 *
 * Simplified: IPv4 only; where upstream takes endpoints and slices in Go's map order, the lab
 * takes them in the order of the informers' caches (pods and slices by name), so a run is
 * repeatable; no topology hints. The placeholder is kept or made among the Service's own
 * slices (upstream counts an old owner's slices of the same name too).
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
  reconcile: ReconcileSlicesFn,
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], missingNodes: [] };
  const mine = new Map<string, Readonly<EndpointSlice>>();
  for (const slice of existing) {
    if (slice.addressType === 'IPv4' && slice.metadata.ownerReferences?.some((r) => r.controller && r.uid === svc.metadata.uid)) mine.set(slice.metadata.name!, slice);
    else plan.delete.push(slice);
  }
  const decision = reconcile(reconcileInput(svc, pods, [...mine.values()], nodeNamed, maxEndpointsPerSlice));
  const labels = sliceLabels(svc);
  const slice = (name: string) => {
    const found = mine.get(name);
    if (found === undefined) throw new Error(`reconcile named a slice ${name} that ${svc.metadata.name} does not have`);
    return found;
  };
  for (const c of decision.create) plan.create.push(Object.assign({}, newSlice(svc, c.ports), { endpoints: c.endpoints }));
  for (const u of decision.update) plan.update.push(Object.assign({}, slice(u.name), { metadata: Object.assign({}, slice(u.name).metadata, { labels }), endpoints: u.endpoints }));
  for (const name of decision.delete) plan.delete.push(slice(name));
  plan.missingNodes = decision.missingNodes;
  return finalize(svc, plan);
}

/** The decision's input: the Service, its pods and nodes, its own slices, as plain data. */
export function reconcileInput(
  svc: Readonly<Service>,
  pods: readonly Readonly<Pod>[],
  mine: readonly Readonly<EndpointSlice>[],
  nodeNamed: (name: string) => Readonly<Node> | undefined,
  maxEndpointsPerSlice: number,
): EndpointSliceInput {
  const nodes = new Map<string, SliceNode>();
  for (const pod of pods) {
    const name = pod.spec.nodeName ?? '';
    const node = nodes.has(name) ? undefined : nodeNamed(name);
    if (node === undefined) continue;
    const zone = node.metadata.labels?.['topology.kubernetes.io/zone'];
    nodes.set(name, zone ? { name, zone } : { name });
  }
  const labels = sliceLabels(svc);
  return {
    service: { ports: svc.spec.ports ?? [], publishNotReadyAddresses: svc.spec.publishNotReadyAddresses === true },
    pods: pods.map((pod) => slicePod(pod, svc)),
    nodes: [...nodes.values()],
    existing: mine.map(
      (s): ExistingSlice => ({
        name: s.metadata.name!,
        ports: (s.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? 0, protocol: p.protocol ?? 'TCP' })),
        endpoints: s.endpoints ?? [],
        labelsChanged: !sameJson(s.metadata.labels ?? {}, labels),
      }),
    ),
    maxEndpointsPerSlice,
  };
}

/** What of a pod its endpoint is made of: web-0 Ready on node-1 => { name: 'web-0', ready: true, terminating: false, nodeName: 'node-1', ... }. */
function slicePod(pod: Readonly<Pod>, svc: Readonly<Service>): SlicePod {
  const out: SlicePod = {
    name: pod.metadata.name!,
    namespace: pod.metadata.namespace!,
    uid: pod.metadata.uid!,
    ready: isPodReady(pod),
    terminating: pod.metadata.deletionTimestamp !== undefined,
    containers: pod.spec.containers.map((c) => ({ ports: c.ports ?? [] })),
  };
  if (pod.status?.phase !== undefined) out.phase = pod.status.phase;
  if (pod.status?.podIP) out.podIP = pod.status.podIP;
  if (pod.spec.nodeName) out.nodeName = pod.spec.nodeName;
  if (shouldSetHostname(pod, svc)) out.hostname = pod.spec.hostname;
  return out;
}

/** finalize: a slice to create reuses one to delete (owned by this Service, same address type) as an update. */
function finalize(svc: Readonly<Service>, plan: SlicePlan): SlicePlan {
  const kept: EndpointSlice[] = [];
  for (const old of plan.delete) {
    const reusable = old.addressType === 'IPv4' && old.metadata.ownerReferences?.some((r) => r.controller && r.uid === svc.metadata.uid);
    const created = reusable ? plan.create.pop() : undefined;
    if (created === undefined) kept.push(old);
    else plan.update.push(Object.assign({}, created, { metadata: Object.assign({}, old.metadata, { labels: created.metadata.labels }) }));
  }
  plan.delete = kept;
  return plan;
}
