import type { PodPhase, Protocol, ServicePort, SliceEndpoint } from '../../api/types';

/**
 * The EndpointSlice controller's decision for one Service, as data (reconcileByAddressType
 * and reconcileByPortMapping in k8s.io/endpointslice reconciler.go, podToEndpoint and
 * getEndpointPorts in its utils.go, 1.32): from the Service, the pods it selects and the
 * slices it owns, which pods are endpoints in which state, grouped by the ports they offer,
 * and which slices to create, update and delete. reconciler.ts asks it on every sync; the
 * answer is exercise `endpointslice-reconcile` (solutions/endpointslice/endpointslice-reconcile.ts).
 *
 * The controller keeps the rest: slices of another owner or address type are deleted before
 * this is asked, a slice to create gets its name, labels and owner from the controller, and a
 * create and a delete become one update (finalize).
 *
 *   reconcileSlices({ service: { ports: [{ port: 80, targetPort: 9376 }] }, pods: [web-0 Ready on node-1],
 *                     nodes: [{ name: 'node-1' }], existing: [], maxEndpointsPerSlice: 100 })
 *   // => { create: [{ ports: [{ name: '', port: 9376, protocol: 'TCP' }],
 *   //                 endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false },
 *   //                               targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u0' }, nodeName: 'node-1' }] }],
 *   //      update: [], delete: [], missingNodes: [] }
 */
export interface EndpointSliceInput {
  service: SliceService;
  /** The pods the Service's selector picks, by name. */
  pods: SlicePod[];
  /** The nodes the pods name that the node cache knows (a name missing here is a node not found). */
  nodes: SliceNode[];
  /** The Service's own slices of its address type (IPv4), by name. */
  existing: ExistingSlice[];
  /** --max-endpoints-per-slice (100). */
  maxEndpointsPerSlice: number;
}

/** A node, with its topology.kubernetes.io/zone label if it has one. */
export interface SliceNode {
  name: string;
  zone?: string;
}

export interface SliceService {
  ports: ServicePort[];
  /** spec.publishNotReadyAddresses: every endpoint is ready, and a pod on an unknown node is kept. */
  publishNotReadyAddresses: boolean;
}

/** What of a pod its endpoint is made of. */
export interface SlicePod {
  name: string;
  namespace: string;
  uid: string;
  phase?: PodPhase;
  podIP?: string;
  /** Its Ready condition is True. */
  ready: boolean;
  /** It has a deletionTimestamp (it is terminating). */
  terminating: boolean;
  nodeName?: string;
  /** The endpoint's hostname: set only when the pod's subdomain is this Service's name (ShouldSetHostname). */
  hostname?: string;
  /** Its containers' ports, container by container. */
  containers: { ports: { name?: string; containerPort: number; protocol?: Protocol }[] }[];
}

export type SlicePort = { name: string; port: number; protocol: Protocol };

export interface ExistingSlice {
  name: string;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
  /** Its labels are not the ones the Service's slices should carry: it is written anyway. */
  labelsChanged: boolean;
}

export interface EndpointSlicePlan {
  /** New slices, in the order made; the controller names them <service>-<random>. */
  create: { ports: SlicePort[]; endpoints: SliceEndpoint[] }[];
  /** Existing slices written again, with these endpoints (their ports unchanged). */
  update: { name: string; endpoints: SliceEndpoint[] }[];
  delete: string[];
  /** The node names of pods left out because the node is not known (the controller retries later). */
  missingNodes: string[];
}

export type ReconcileSlicesFn = (input: EndpointSliceInput) => EndpointSlicePlan;

/**
 * Given: which endpoint this is, whatever its state (the key of upstream's EndpointSet:
 * addresses, hostname, pod): the same pod Ready or not => the same key; another pod => another.
 */
export function endpointKey(e: Readonly<SliceEndpoint>): string {
  return JSON.stringify([[...e.addresses].sort(), e.hostname ?? '', e.targetRef?.namespace ?? '', e.targetRef?.name ?? '']);
}

/**
 * Given: a set of ports as one key, whatever their order (NewPortMapKey):
 * [http 9376, https 9377] and [https 9377, http 9376] => the same key.
 */
export function portsKey(ports: readonly SlicePort[]): string {
  return JSON.stringify(ports.map((p) => [p.name, p.port, p.protocol]).sort());
}

/**
 * Given: two endpoints with the same key in the same state (EndpointsEqualBeyondHash:
 * conditions, node, zone, pod uid), so that a slice keeping it need not be written.
 */
export function sameEndpointState(a: Readonly<SliceEndpoint>, b: Readonly<SliceEndpoint>): boolean {
  const state = (e: Readonly<SliceEndpoint>) => JSON.stringify([e.conditions?.ready, e.conditions?.serving, e.conditions?.terminating, e.nodeName, e.zone, e.targetRef?.uid]);
  return state(a) === state(b);
}
