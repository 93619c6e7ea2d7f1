import { selectorString } from '../../api/labels';
import type { Endpoints, KubeEvent, Service } from '../../api/types';
import { describeEvents } from './events-section';
import { annotationsMultiline, labelsMultiline, PrefixWriter } from './writer';

/**
 * ServiceDescriber (describe.go, 1.32): type, IP families, cluster IPs, each port with its
 * target and node port and the first three endpoints serving it (from the Service's
 * Endpoints object, as 1.32 reads them), session affinity, traffic policies and the Events.
 *
 *   describeService(myService, endpoints, events, now)
 *   // Port:              <unset>  80/TCP
 *   // TargetPort:        9376/TCP
 *   // Endpoints:         10.244.1.2:9376,10.244.1.3:9376,10.244.2.2:9376
 *   // Session Affinity:  None
 *
 * Left out, as kubectl leaves them out when unset: load balancer fields (the lab allocates no
 * external addresses), health check node port, traffic distribution.
 */
export function describeService(svc: Readonly<Service>, endpoints: Readonly<Endpoints> | undefined, events: readonly KubeEvent[], now: number): string {
  const w = new PrefixWriter();
  const spec = svc.spec;
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
  w.write(0, labelsMultiline('Labels', svc.metadata.labels));
  w.write(0, annotationsMultiline('Annotations', svc.metadata.annotations));
  w.write(0, `Selector:\t${selectorString({ matchLabels: spec.selector })}\n`);
  w.write(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy !== undefined) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${(spec.ipFamilies ?? []).join(',') || '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${(spec.clusterIPs ?? []).join(',') || '<none>'}\n`);
  if ((spec.externalIPs ?? []).length > 0) w.write(0, `External IPs:\t${spec.externalIPs!.join(',')}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => i.ip || i.hostname || '').join(', ')}\n`);
  for (const port of spec.ports ?? []) {
    const name = port.name || '<unset>';
    const protocol = port.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${port.port}/${protocol}\n`);
    w.write(0, `TargetPort:\t${port.targetPort ?? port.port}/${protocol}\n`);
    if (port.appProtocol !== undefined) w.write(0, `AppProtocol:\t${port.appProtocol}\n`);
    if (port.nodePort) w.write(0, `NodePort:\t${name}\t${port.nodePort}/${protocol}\n`);
    w.write(0, `Endpoints:\t${formatEndpoints(endpoints, port.name ?? '')}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy !== undefined) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  w.write(0, describeEvents(events, now));
  return w.toString();
}

const MAX_ENDPOINTS = 3;

/**
 * formatEndpoints: `ip:port` of the addresses serving the port of that name, at most three,
 * then ` + N more...`; `<none>` when the Endpoints have no subsets (or do not exist).
 *   formatEndpoints(eps with 5 ready pods, '')   // => '10.244.1.2:9376,10.244.1.3:9376,10.244.1.4:9376 + 2 more...'
 */
function formatEndpoints(endpoints: Readonly<Endpoints> | undefined, portName: string): string {
  const subsets = endpoints?.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = (ss.ports ?? []).length === 0 ? [undefined] : ss.ports!.filter((p) => (p.name ?? '') === portName);
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) if (list.length < MAX_ENDPOINTS) list.push(port === undefined ? a.ip : `${a.ip.includes(':') ? `[${a.ip}]` : a.ip}:${port.port}`);
    }
  }
  return count > MAX_ENDPOINTS ? `${list.join(',')} + ${count - MAX_ENDPOINTS} more...` : list.join(',');
}
