import type { EndpointSlice, Service } from '../../api/types';
import { withHeadlessLabel } from '../service-pods';
import type { SlicePort } from './endpointslice-contract';

/**
 * What the EndpointSlice controller (k8s.io/endpointslice utils.go, 1.32) writes around the
 * endpoints: a new slice's name, labels and owner. Which endpoints, with which ports, is the
 * decision of endpointslice-contract.ts.
 *
 *   sliceLabels(myService)    // => { 'kubernetes.io/service-name': 'my-service', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }
 *   newSlice(myService, [])   // => an empty slice named by the API server from my-service-
 */

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

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
