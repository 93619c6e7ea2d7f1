import type { EndpointSlice, Node, Pod, Service, SliceEndpoint } from '../../api/types';
import { findPort, isPodReady, podReference, shouldSetHostname, withHeadlessLabel } from '../service-pods';

/**
 * What goes into an EndpointSlice, as the EndpointSlice controller (k8s.io/endpointslice
 * utils.go, 1.32) makes it from a Service and its pods.
 *
 *   sliceEndpoint(readyPod, node1, myService)
 *   // => { addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false },
 *   //      nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-7bqzx', uid } }
 *   sliceEndpoint(terminatingReadyPod, ...)  // => conditions { ready: false, serving: true, terminating: true }
 *   slicePorts(myService, pod)                // => [{ name: '', port: 9376, protocol: 'TCP' }]
 */
export type SlicePort = NonNullable<EndpointSlice['ports']>[number];

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

/**
 * podToEndpoint: serving is the pod's readiness; ready is serving and not terminating (or
 * true whatever the pod with publishNotReadyAddresses); the node's zone when it has one.
 */
export function sliceEndpoint(pod: Readonly<Pod>, node: Readonly<Node> | undefined, svc: Readonly<Service>): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const ready = svc.spec.publishNotReadyAddresses === true || (serving && !terminating);
  const endpoint: SliceEndpoint = { addresses: [pod.status!.podIP!], conditions: { ready, serving, terminating }, targetRef: podReference(pod) };
  if (shouldSetHostname(pod, svc)) endpoint.hostname = pod.spec.hostname;
  if (pod.spec.nodeName) endpoint.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.['topology.kubernetes.io/zone'];
  if (zone) endpoint.zone = zone;
  return endpoint;
}

/**
 * getEndpointPorts: each Service port the pod has, by the pod's own port number (a named
 * targetPort the pod lacks is left out); none for a headless Service without ports.
 */
export function slicePorts(svc: Readonly<Service>, pod: Readonly<Pod>): SlicePort[] {
  const ports: SlicePort[] = [];
  for (const p of svc.spec.ports ?? []) {
    const port = findPort(pod, p);
    if (port !== undefined) ports.push({ name: p.name ?? '', port, protocol: p.protocol ?? 'TCP' });
  }
  return ports;
}

/**
 * Which endpoint this is, whatever its state (the key of upstream's EndpointSet: addresses,
 * hostname, pod): the same pod Ready or not => the same key; another pod => another.
 */
export function endpointKey(e: Readonly<SliceEndpoint>): string {
  return JSON.stringify([[...e.addresses].sort(), e.hostname ?? '', e.targetRef?.namespace ?? '', e.targetRef?.name ?? '']);
}

/** A set of ports as one key, whatever their order (endpointutil.NewPortMapKey): [http 9376, https 9377] and [https 9377, http 9376] => the same key. */
export function portsKey(ports: readonly SlicePort[]): string {
  return JSON.stringify(ports.map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP']).sort());
}

/**
 * setEndpointSliceLabels: the Service's labels (but the two the controller owns), the
 * headless label for a Service without a cluster IP, the Service's name and the manager.
 *   sliceLabels(my-service labelled app=web)
 *   // => { app: 'web', 'kubernetes.io/service-name': 'my-service', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }
 */
export function sliceLabels(svc: Readonly<Service>): Record<string, string> {
  const labels = withHeadlessLabel(svc.metadata.labels ?? {}, svc);
  labels[LABEL_SERVICE_NAME] = svc.metadata.name!;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return labels;
}

/**
 * newEndpointSlice: an empty slice for the Service, named by the API server from `<service>-`, owned by the Service.
 *   newSlice(myService, ports)  // => { metadata: { generateName: 'my-service-', labels, ownerReferences: [Service my-service] }, addressType: 'IPv4', endpoints: [], ports }
 */
export function newSlice(svc: Readonly<Service>, ports: SlicePort[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabels(svc),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints: [],
    ports,
  };
}
