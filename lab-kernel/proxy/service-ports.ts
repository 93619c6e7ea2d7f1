import type { EndpointSlice, Service } from '../api/types';
import { LABEL_SERVICE_NAME } from '../controllers/endpointslice/slice-endpoints';
import type { EndpointInfo, ServicePortInfo } from './iptables-rules-contract';

/**
 * What kube-proxy makes of the API objects before it writes a rule (pkg/proxy: serviceport.go,
 * ServiceChangeTracker; endpointslicecache.go, EndpointSliceCache): one ServicePortInfo per port
 * of every Service it proxies, with that port's endpoints from the Service's EndpointSlices.
 *
 *   servicePorts([web: ClusterIP 10.96.0.20, port http 80], [slice web-x: port http 8080, 10.244.1.2 ready on node-1])
 *   // => [{ name: 'default/web:http', protocol: 'TCP', clusterIP: '10.96.0.20', port: 80, nodePort: 0, ...,
 *   //       endpoints: [{ ip: '10.244.1.2', port: 8080, ready: true, serving: true, terminating: false, nodeName: 'node-1' }] }]
 *
 * - Skipped: a Service without a ClusterIP ('' or 'None': headless) and an ExternalName one.
 * - A port is named 'namespace/name:port-name' ('namespace/name' when the port has no name).
 * - A slice belongs to the Service its kubernetes.io/service-name label names; a slice port
 *   serves the Service port of the same name and protocol; an endpoint without addresses is
 *   skipped; the first address counts; the same ip:port in two slices counts once.
 * - Conditions: ready and serving unset count as true, terminating unset as false.
 * - Endpoints are sorted by 'ip:port' as strings (so 10.0.0.10 comes before 10.0.0.2), and ports
 *   by name, so that the rules come out in a stable order.
 * Not modelled: IPv6 slices (skipped), topology hints, sessionAffinityConfig (the timeout is
 * always 10800 s, the default).
 */
export const DEFAULT_STICKY_MAX_AGE_SECONDS = 10800;

export function servicePorts(services: readonly Readonly<Service>[], slices: readonly Readonly<EndpointSlice>[]): ServicePortInfo[] {
  const out: ServicePortInfo[] = [];
  // Each Service's IPv4 slices, in the order given: one pass over the slices, not one per Service.
  const slicesOf = new Map<string, Readonly<EndpointSlice>[]>();
  for (const s of slices) {
    const name = s.metadata.labels?.[LABEL_SERVICE_NAME];
    if (name === undefined || s.addressType !== 'IPv4') continue;
    const key = `${s.metadata.namespace}/${name}`;
    const list = slicesOf.get(key);
    if (list === undefined) slicesOf.set(key, [s]);
    else list.push(s);
  }
  for (const svc of services) {
    const clusterIP = svc.spec.clusterIP ?? '';
    if (clusterIP === '' || clusterIP === 'None' || svc.spec.type === 'ExternalName') continue;
    const namespace = svc.metadata.namespace ?? 'default';
    const own = slicesOf.get(`${namespace}/${svc.metadata.name}`) ?? [];
    for (const port of svc.spec.ports ?? []) {
      const portName = port.name ?? '';
      const protocol = port.protocol ?? 'TCP';
      out.push({
        name: `${namespace}/${svc.metadata.name}${portName === '' ? '' : `:${portName}`}`,
        protocol,
        clusterIP,
        port: port.port,
        nodePort: port.nodePort ?? 0,
        externalIPs: [...(svc.spec.externalIPs ?? [])],
        loadBalancerIPs: (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])),
        sessionAffinity: svc.spec.sessionAffinity ?? 'None',
        stickyMaxAgeSeconds: DEFAULT_STICKY_MAX_AGE_SECONDS,
        externalTrafficPolicy: svc.spec.externalTrafficPolicy ?? 'Cluster',
        internalTrafficPolicy: svc.spec.internalTrafficPolicy ?? 'Cluster',
        endpoints: endpointsFor(own, portName, protocol),
      });
    }
  }
  return out.sort((a, b) => compare(a.name, b.name));
}

function endpointsFor(slices: readonly Readonly<EndpointSlice>[], portName: string, protocol: string): EndpointInfo[] {
  const byKey = new Map<string, EndpointInfo>();
  for (const slice of slices) {
    for (const p of slice.ports ?? []) {
      if ((p.name ?? '') !== portName || (p.protocol ?? 'TCP') !== protocol || !p.port) continue;
      for (const e of slice.endpoints) {
        if (e.addresses.length === 0) continue;
        const ep: EndpointInfo = {
          ip: e.addresses[0],
          port: p.port,
          ready: e.conditions?.ready ?? true,
          serving: e.conditions?.serving ?? true,
          terminating: e.conditions?.terminating ?? false,
          ...(e.nodeName === undefined ? {} : { nodeName: e.nodeName }),
        };
        const key = `${ep.ip}:${ep.port}`;
        if (!byKey.has(key)) byKey.set(key, ep);
      }
    }
  }
  return [...byKey.entries()].sort((a, b) => compare(a[0], b[0])).map(([, ep]) => ep);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
