import type { EndpointAddress, EndpointSubset, Pod, Service } from '../../api/types';
import { isPodReady } from '../replicaset-contract';
import { findPort, podReference, shouldPodBeInEndpoints, shouldSetHostname } from '../service-pods';

type EndpointPort = NonNullable<EndpointSubset['ports']>[number];

/**
 * The subsets of a Service's Endpoints, as the Endpoints controller (pkg/controller/endpoint,
 * 1.32) builds them from the pods it selects: one address per pod that has an IP and is not
 * finished or being deleted, under addresses if it is Ready and notReadyAddresses if not (all
 * under addresses with publishNotReadyAddresses), for each Service port the pod has. Then
 * packed (RepackSubsets): the pods that offer the same ports share one subset.
 *
 *   // my-service: port 80 to targetPort 9376; pods: ready 10.244.1.5, ready 10.244.2.3, not ready 10.244.1.6
 *   endpointSubsets(myService, pods)
 *   // => [{ addresses: [10.244.1.5, 10.244.2.3], notReadyAddresses: [10.244.1.6], ports: [{ port: 9376, protocol: 'TCP' }] }]
 *   // a named targetPort the pod does not have leaves that pod out of that port; a pod with
 *   // none of the ports is in no subset. A headless Service without ports lists bare addresses.
 *
 * Simplified: kube-controller-manager orders subsets and ports by a hash of their content;
 * the lab orders them by their addresses and by port name and number (as stable, easier to
 * read). Addresses are in IP order, as upstream.
 */
export function endpointSubsets(svc: Readonly<Service>, pods: readonly Readonly<Pod>[]): EndpointSubset[] {
  const tolerateUnready = svc.spec.publishNotReadyAddresses === true;
  const entries: { address: EndpointAddress; port: EndpointPort | undefined; ready: boolean }[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const address: EndpointAddress = { ip: pod.status!.podIP!, nodeName: pod.spec.nodeName, targetRef: podReference(pod) };
    if (shouldSetHostname(pod, svc)) address.hostname = pod.spec.hostname;
    const ready = tolerateUnready || isPodReady(pod);
    const ports = svc.spec.ports ?? [];
    // A headless Service may have no ports: its addresses then stand alone.
    if (ports.length === 0) {
      if (svc.spec.clusterIP === 'None') entries.push({ address, port: undefined, ready });
      continue;
    }
    for (const p of ports) {
      const port = findPort(pod, p);
      if (port === undefined) continue;
      const epp: EndpointPort = { port, protocol: p.protocol ?? 'TCP' };
      if (p.name) epp.name = p.name;
      entries.push({ address, port: epp, ready });
    }
  }
  return repack(entries);
}

/**
 * RepackSubsets: per port, the addresses that offer it (not ready wins over ready for the
 * same address); then the ports that have the very same addresses go together in one subset.
 */
function repack(entries: readonly { address: EndpointAddress; port: EndpointPort | undefined; ready: boolean }[]): EndpointSubset[] {
  const byPort = new Map<string, { port: EndpointPort | undefined; addresses: Map<string, { address: EndpointAddress; ready: boolean }> }>();
  for (const { address, port, ready } of entries) {
    const portKey = port === undefined ? '' : JSON.stringify([port.name ?? '', port.port, port.protocol]);
    let slot = byPort.get(portKey);
    if (slot === undefined) byPort.set(portKey, (slot = { port, addresses: new Map() }));
    const addressKey = `${address.ip}/${address.targetRef?.uid ?? ''}`;
    const before = slot.addresses.get(addressKey);
    if (before === undefined || before.ready) slot.addresses.set(addressKey, { address, ready });
  }
  const bySet = new Map<string, { addresses: { address: EndpointAddress; ready: boolean }[]; ports: EndpointPort[] }>();
  for (const { port, addresses } of byPort.values()) {
    const sorted = [...addresses.values()].sort((a, b) => compareAddresses(a.address, b.address));
    const setKey = JSON.stringify(sorted.map((a) => [a.address.ip, a.address.targetRef?.uid, a.ready]));
    let group = bySet.get(setKey);
    if (group === undefined) bySet.set(setKey, (group = { addresses: sorted, ports: [] }));
    if (port !== undefined) group.ports.push(port);
  }
  return [...bySet.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { addresses, ports }]) => {
      const subset: EndpointSubset = {};
      const ready = addresses.filter((a) => a.ready).map((a) => a.address);
      const notReady = addresses.filter((a) => !a.ready).map((a) => a.address);
      if (ready.length > 0) subset.addresses = ready;
      if (notReady.length > 0) subset.notReadyAddresses = notReady;
      if (ports.length > 0) subset.ports = ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || (a.protocol ?? '').localeCompare(b.protocol ?? ''));
      return subset;
    });
}

/** LessEndpointAddress: by IP as text, then by the pod's uid. */
function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}
