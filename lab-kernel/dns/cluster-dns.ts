import type { EndpointSlice, Service } from '../api/types';
import { addressOfReverse, canonical, emptyResponse, inZone, type DnsQuery, type DnsResponse, type ResourceRecord } from './message';

/**
 * The cluster DNS answer: what CoreDNS's `kubernetes` plugin (CoreDNS 1.11.3, the version
 * kubeadm installs with Kubernetes 1.32; plugin/kubernetes/{kubernetes.go, parse.go,
 * handler.go, reverse.go}, plugin/backend_lookup.go) answers for a name, from the Services,
 * EndpointSlices and Namespaces it watches. Plain data in, a response out; the server around it
 * (core-dns.ts) keeps the data from informers and adds the cache, forwarding and shuffling.
 *
 *   A web.default.svc.cluster.local (ClusterIP 10.96.1.5)          => NOERROR, A 10.96.1.5
 *   A nginx.default.svc.cluster.local (headless, 2 ready pods)     => NOERROR, A 10.244.1.2, A 10.244.2.2
 *   A web-0.nginx.default.svc.cluster.local (hostname web-0)       => NOERROR, A 10.244.1.2
 *   SRV _http._tcp.web.default.svc.cluster.local                   => SRV 0 100 80 web.default.svc.cluster.local (+ its A)
 *   A 10-244-1-2.default.pod.cluster.local                         => A 10.244.1.2 (`pods insecure`: any such name, namespace must exist)
 *   A db.default.svc.cluster.local (ExternalName db.example.com)   => CNAME db.example.com (+ the upstream's answer for it)
 *   A nope.default.svc.cluster.local                               => NXDOMAIN, SOA in authority
 *   AAAA web.default.svc.cluster.local                             => NOERROR, no answer (NODATA), SOA in authority
 *   A default.svc.cluster.local (a namespace)                      => NODATA; nope.svc.cluster.local (none) => NXDOMAIN
 *   PTR 5.1.96.10.in-addr.arpa                                     => PTR web.default.svc.cluster.local
 *   anything else (outside the zone, an unknown reverse name)      => undefined: the next plugin's (forward)
 *
 * Which endpoints: those of the Service's slices (label kubernetes.io/service-name) whose
 * condition ready is true or unset (EndpointSliceToEndpoints). An endpoint without a hostname is
 * named by its address with dashes ('10-244-1-2'). A headless Service without a ready endpoint
 * has no records at all: NXDOMAIN, as CoreDNS answers (kubernetes/kubernetes#92559).
 *
 * Not modelled: IPv6, `pods verified` (pods are not watched: under `pods insecure` CoreDNS
 * does not start a pod informer), the `endpoint_pod_names`, `ignore empty_service` and
 * `namespaces` options, multicluster zones, TXT/NS/MX/SOA queries, zone transfers, and the SRV
 * record of an ExternalName (here NODATA).
 */
export interface ClusterDnsData {
  services: readonly Readonly<Service>[];
  slices: readonly Readonly<EndpointSlice>[];
  /** The namespaces that exist: a name in any other is NXDOMAIN. */
  namespaces: readonly string[];
  /** False until every informer has listed once: a name error is then SERVFAIL, not NXDOMAIN. */
  synced: boolean;
  /** The SOA's serial: the Unix time of the last change CoreDNS saw (APIConn.Modified). */
  serial: number;
}

export interface KubernetesPluginOptions {
  /** The cluster domain (kubelet --cluster-domain; kubeadm's networking.dnsDomain). */
  zone: string;
  /** The records' TTL: the plugin's default is 5 s; kubeadm's Corefile sets `ttl 30`. */
  ttl: number;
  /** How an ExternalName's out-of-zone target is resolved (CoreDNS asks itself, which forwards it). */
  upstream: (query: DnsQuery) => DnsResponse;
}

export const CLUSTER_ZONE = 'cluster.local';
/** The kubernetes plugin's defaultTTL. */
export const PLUGIN_DEFAULT_TTL = 5;

/** What parseRequest makes of a name: _port._protocol.service.namespace.svc, endpoint.service.namespace.svc, ... */
interface RecordRequest {
  port: string;
  protocol: string;
  endpoint: string;
  service: string;
  namespace: string;
  podOrSvc: '' | 'svc' | 'pod';
}

/** One backend record before it becomes RRs (CoreDNS's msg.Service): an address or a name, a port, the name it stands under. */
interface Backend {
  host: string;
  port: number;
  target: string;
}

type Lookup = { backends: Backend[] } | { nameError: true };

/** The plugin's answer, or undefined when it is not the plugin's to give (the next plugin answers). */
export function kubernetesAnswer(query: DnsQuery, data: ClusterDnsData, options: KubernetesPluginOptions): DnsResponse | undefined {
  const qname = canonical(query.name);
  if (addressOfReverse(qname) !== undefined || qname.endsWith('.in-addr.arpa')) return reverseAnswer(query, qname, data, options);
  if (!inZone(qname, options.zone)) return undefined;
  const records = recordsFor(query, qname, data, options);
  if ('nameError' in records) return withSoa(emptyResponse(query, data.synced ? 'NXDOMAIN' : 'SERVFAIL', true), data, options);
  if (records.answers.length === 0) return withSoa(emptyResponse(query, 'NOERROR', true), data, options);
  return Object.assign({}, emptyResponse(query, 'NOERROR', true), { answers: records.answers, additional: records.additional });
}

/** The SOA CoreDNS puts in the authority section: ns.dns.<zone> hostmaster.<zone> serial 7200 1800 86400 ttl. */
export function soaRecord(data: Pick<ClusterDnsData, 'serial'>, options: Pick<KubernetesPluginOptions, 'zone' | 'ttl'>): ResourceRecord {
  const ttl = Math.min(options.ttl, 300);
  return { name: options.zone, ttl, type: 'SOA', data: `ns.dns.${options.zone} hostmaster.${options.zone} ${data.serial} 7200 1800 86400 ${options.ttl}` };
}

function withSoa(response: DnsResponse, data: ClusterDnsData, options: KubernetesPluginOptions): DnsResponse {
  return Object.assign({}, response, { authority: [soaRecord(data, options)] });
}

function recordsFor(query: DnsQuery, qname: string, data: ClusterDnsData, options: KubernetesPluginOptions): { answers: ResourceRecord[]; additional: ResourceRecord[] } | { nameError: true } {
  const found = lookup(qname, data, options);
  if ('nameError' in found) return found;
  const { ttl } = options;
  const answers: ResourceRecord[] = [];
  const additional: ResourceRecord[] = [];
  const seen = new Set<string>();
  const once = (key: string) => !seen.has(key) && seen.add(key) !== undefined;
  switch (query.type) {
    case 'A':
      for (const b of found.backends) {
        if (isIPv4(b.host)) {
          if (once(b.host)) answers.push({ name: qname, ttl, type: 'A', data: b.host });
        } else if (canonical(b.host) !== qname) {
          answers.push(...cnameChain(query, qname, b.host, data, options));
        }
      }
      break;
    case 'CNAME':
      for (const b of found.backends) if (!isIPv4(b.host)) answers.push({ name: qname, ttl, type: 'CNAME', data: canonical(b.host) });
      break;
    case 'SRV': {
      const weight = Math.max(1, Math.floor(100 / Math.max(found.backends.length, 1)));
      for (const b of found.backends) {
        if (b.port === -1 || !isIPv4(b.host)) continue;
        if (once(`srv ${b.target} ${b.port}`)) answers.push({ name: qname, ttl, type: 'SRV', data: `0 ${weight} ${b.port} ${b.target}` });
        if (once(`addr ${b.target} ${b.host}`)) additional.push({ name: b.target, ttl, type: 'A', data: b.host });
      }
      break;
    }
    default:
      // AAAA (the lab is IPv4 only) and PTR in the forward zone: the name exists, no records of the type.
      break;
  }
  return { answers, additional };
}

/** An ExternalName's CNAME and what its target resolves to: in the zone, from the plugin itself; outside, from upstream. */
function cnameChain(query: DnsQuery, qname: string, target: string, data: ClusterDnsData, options: KubernetesPluginOptions): ResourceRecord[] {
  const cname: ResourceRecord = { name: qname, ttl: options.ttl, type: 'CNAME', data: canonical(target) };
  if (inZone(target, options.zone)) {
    const next = recordsFor(Object.assign({}, query, { name: target }), canonical(target), data, options);
    return 'nameError' in next || next.answers.length === 0 ? [] : [cname, ...next.answers];
  }
  return [cname, ...options.upstream(Object.assign({}, query, { name: canonical(target) })).answers];
}

/** parseRequest: the labels left of the zone, read from the right. undefined: not a name the plugin can have (NXDOMAIN). */
export function parseRequest(qname: string, zone: string): RecordRequest | undefined {
  const r: RecordRequest = { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' };
  const base = qname === zone ? '' : qname.slice(0, -(zone.length + 1));
  if (base === '' || base === 'svc' || base === 'pod') return r;
  const segs = base.split('.');
  let last = segs.length - 1;
  const kind = segs[last];
  if (kind !== 'svc' && kind !== 'pod') return undefined;
  r.podOrSvc = kind;
  if (--last < 0) return r;
  r.namespace = segs[last];
  if (--last < 0) return r;
  r.service = segs[last];
  if (--last < 0) return r;
  if (last === 0) r.endpoint = segs[0];
  else if (last === 1) {
    r.protocol = segs[1].replace(/^_/, '');
    r.port = segs[0].replace(/^_/, '');
  } else return undefined;
  return r;
}

function lookup(qname: string, data: ClusterDnsData, options: KubernetesPluginOptions): Lookup {
  const r = parseRequest(qname, options.zone);
  if (r === undefined) return { nameError: true };
  if (r.podOrSvc === '') return { backends: [] };
  if (!data.namespaces.includes(r.namespace)) return { nameError: true };
  if (r.podOrSvc === 'pod') return findPod(r, options);
  return findServices(r, data, options);
}

/** `pods insecure`: 10-244-1-2.<ns>.pod.<zone> is 10.244.1.2 if the namespace exists, whatever pods there are. */
function findPod(r: RecordRequest, options: KubernetesPluginOptions): Lookup {
  if (r.service === '') return { backends: [] };
  const ip = r.service.split('-').join('.');
  if (!isIPv4(ip)) return { nameError: true };
  return { backends: [{ host: ip, port: 0, target: `${r.service}.${r.namespace}.pod.${options.zone}` }] };
}

function findServices(r: RecordRequest, data: ClusterDnsData, options: KubernetesPluginOptions): Lookup {
  if (r.service === '') return { backends: [] };
  const matchPort = (name: string | undefined, protocol: string | undefined) =>
    (r.port === '' || r.port === (name ?? '').toLowerCase()) && (r.protocol === '' || r.protocol === (protocol ?? 'TCP').toLowerCase());
  let nameError = true;
  const backends: Backend[] = [];
  for (const svc of data.services) {
    if (svc.metadata.namespace !== r.namespace || (svc.metadata.name ?? '').toLowerCase() !== r.service) continue;
    const serviceName = `${svc.metadata.name}.${r.namespace}.svc.${options.zone}`;
    if (svc.spec.type === 'ExternalName') {
      if (r.endpoint !== '' || r.port !== '' || r.protocol !== '' || svc.spec.externalName === undefined) continue;
      backends.push({ host: svc.spec.externalName, port: 0, target: serviceName });
      nameError = false;
      continue;
    }
    if (svc.spec.clusterIP === 'None' || r.endpoint !== '') {
      for (const { ip, hostname, ports } of readyEndpoints(svc, data.slices)) {
        if (r.endpoint !== '' && r.endpoint !== hostname.toLowerCase()) continue;
        for (const p of ports) {
          if (!matchPort(p.name, p.protocol)) continue;
          backends.push({ host: ip, port: p.port, target: `${hostname}.${serviceName}` });
          nameError = false;
        }
      }
      continue;
    }
    for (const p of svc.spec.ports ?? []) {
      if (!matchPort(p.name, p.protocol)) continue;
      nameError = false;
      for (const ip of svc.spec.clusterIPs ?? (svc.spec.clusterIP === undefined ? [] : [svc.spec.clusterIP])) backends.push({ host: ip, port: p.port, target: serviceName });
    }
  }
  return nameError ? { nameError: true } : { backends };
}

interface ReadyEndpoint {
  ip: string;
  /** The endpoint's hostname, or its address with dashes (endpointHostname). */
  hostname: string;
  /** The slice's ports; a slice without ports gets CoreDNS's sentinel port -1. */
  ports: { name?: string; port: number; protocol?: string }[];
}

/** The ready addresses of a Service's EndpointSlices, in slice order (EndpointSliceToEndpoints). */
export function readyEndpoints(svc: Readonly<Service>, slices: readonly Readonly<EndpointSlice>[]): ReadyEndpoint[] {
  const out: ReadyEndpoint[] = [];
  for (const slice of slices) {
    if (slice.metadata.namespace !== svc.metadata.namespace || slice.metadata.labels?.['kubernetes.io/service-name'] !== svc.metadata.name) continue;
    if (slice.addressType !== 'IPv4') continue;
    const ports = (slice.ports ?? []).length === 0 ? [{ port: -1 }] : slice.ports!.map((p) => ({ name: p.name, port: p.port ?? -1, protocol: p.protocol }));
    for (const ep of slice.endpoints) {
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses) out.push({ ip, hostname: ep.hostname ?? ip.split('.').join('-'), ports });
    }
  }
  return out;
}

/** reverse.go: a Service's ClusterIP first, else every ready endpoint with that address; else the next plugin's. */
function reverseAnswer(query: DnsQuery, qname: string, data: ClusterDnsData, options: KubernetesPluginOptions): DnsResponse | undefined {
  const ip = addressOfReverse(qname);
  if (ip === undefined || query.type !== 'PTR') return undefined;
  const names: string[] = [];
  const svc = data.services.find((s) => s.spec.clusterIP !== 'None' && (s.spec.clusterIPs ?? [s.spec.clusterIP]).includes(ip));
  if (svc !== undefined) names.push(`${svc.metadata.name}.${svc.metadata.namespace}.svc.${options.zone}`);
  else {
    for (const s of data.services) {
      for (const ep of readyEndpoints(s, data.slices)) if (ep.ip === ip) names.push(`${ep.hostname}.${s.metadata.name}.${s.metadata.namespace}.svc.${options.zone}`);
    }
  }
  if (names.length === 0) return undefined;
  return Object.assign({}, emptyResponse(query, 'NOERROR', true), { answers: names.map((n) => ({ name: qname, ttl: options.ttl, type: 'PTR' as const, data: n })) });
}

function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}
