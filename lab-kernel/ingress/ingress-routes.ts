import type { EndpointSlice, Ingress, IngressBackend, Service } from '../api/types';

/**
 * What ingress-nginx (controller v1.11.3) makes of the Ingresses it serves: nginx servers (one
 * per host) holding locations (one per path) that proxy to upstreams (a Service port's ready
 * endpoints), and which of them a request takes. Plain data in, a table out; `route` is nginx's
 * choice of server and location for one request. Modelled on internal/ingress/controller/
 * {controller.go (createUpstreams, createServers, getBackendServers), location.go
 * (updateServerLocations), endpointslices.go (getEndpointsFromSlices)}, store/store.go
 * (sortIngressSlice) and template/template.go (buildLocation, buildServerName).
 *
 *   Ingress a (older): host shop.example, Prefix /api -> api:80;  Ingress b: host shop.example, Prefix /api -> other:80
 *   route(table, 'shop.example', '/api/v1')   // => proxy to api's ready pod IP:targetPort (a is older: its location stays)
 *   route(table, 'shop.example', '/apix')     // => default backend: 404 (Prefix matches whole path elements)
 *   route(table, 'shop.example:8080', '/api') // => proxy to api (the port in Host is not part of the server name)
 *   route(table, 'other.example', '/')        // => default backend: 404 (no server for the host, none without host)
 *
 * How paths become nginx locations (updateServerLocations, buildLocation): Exact /foo is
 * `location = /foo`; Prefix /foo is `location /foo/` plus `location = /foo`, which together are
 * the element-wise match the Ingress API defines (Prefix /foo/ gets `location /foo/` and
 * `location = /foo/`, and a request for /foo is then answered with nginx's 301 to /foo/, whose
 * target the same location serves); ImplementationSpecific /foo is `location /foo`, a plain
 * string prefix, so it takes /foobar too. nginx takes an exact location first, else the longest
 * prefix: so the longest path wins and Exact beats Prefix for the same path. Every host's
 * server has a root location `/` to the default backend until a rule claims `/`.
 *
 * Several Ingresses merge per host, taken oldest first (creationTimestamp; equal times: the
 * namespace/name later in the alphabet first): the first to claim a host and path with a given
 * pathType keeps it, later ones are ignored for it ("Location ... already configured").
 * A host's default backend is the spec.defaultBackend of the Ingress that first named the host;
 * the catch-all server's (requests for any other host) is that of the oldest Ingress with a
 * defaultBackend and no rules; otherwise ingress-nginx's own, which answers 404.
 *
 * Left out: annotations (use-regex, rewrite-target, canary, affinity, ...), TLS, ExternalName
 * Services, topology hints, the Location header of the 301 (the lab's HTTP answers carry only a
 * code and a body).
 */

/** A pod's address and port, as nginx's upstream server: sent to directly, not through the ClusterIP. */
export interface UpstreamEndpoint {
  ip: string;
  port: number;
}

/** An upstream: a Service's port and its ready endpoints (empty: nginx answers 503). */
export interface Upstream {
  /** ingress-nginx's upstream name: namespace-service-port. */
  name: string;
  /** namespace/name of the Service. */
  service: string;
  endpoints: UpstreamEndpoint[];
  /** Why it has no endpoints, as ingress-nginx logs it. */
  problem?: string;
}

/** Where a location sends requests: an upstream, or ingress-nginx's own default backend (404). */
export type LocationBackend = { upstream: Upstream } | { defaultBackend: true };

export interface Location {
  /** `= /foo` (exact) or `/foo/` (prefix), as nginx matches it. */
  match: 'exact' | 'prefix';
  path: string;
  backend: LocationBackend;
  /** namespace/name of the Ingress whose rule made it; undefined for a root location to the default backend. */
  ingress?: string;
  /** The rule's path and pathType it came from. */
  rule?: { path: string; pathType: string };
}

export interface Server {
  /** The rule's host ('_': the catch-all server, for any host). */
  host: string;
  locations: Location[];
}

export interface RoutingTable {
  /** Every server by its host, the catch-all '_' included, sorted by host as ingress-nginx writes them. */
  servers: Server[];
  /** Every upstream by name. */
  upstreams: ReadonlyMap<string, Upstream>;
}

export interface RoutingInput {
  /** The Ingresses the controller serves (its class already checked: ingress-class.ts). */
  ingresses: readonly Readonly<Ingress>[];
  services: readonly Readonly<Service>[];
  slices: readonly Readonly<EndpointSlice>[];
}

/** What `route` decided for one request. */
export type RouteDecision =
  | { kind: 'proxy'; upstream: Upstream; server: string; location: Location }
  | { kind: 'unavailable'; upstream: Upstream; server: string; location: Location }
  | { kind: 'default-backend'; server: string; location: Location }
  | { kind: 'redirect'; to: string; server: string; location: Location };

const CATCH_ALL = '_';
const ROOT = '/';

/** The servers and upstreams ingress-nginx builds from the Ingresses, Services and EndpointSlices. */
export function routingTable(input: RoutingInput): RoutingTable {
  const ingresses = sortIngresses(input.ingresses);
  const upstreams = new Map<string, Upstream>();
  const upstreamOf = (ns: string, backend: IngressBackend | undefined): Upstream | undefined => {
    if (backend?.service === undefined) return undefined;
    const name = upstreamName(ns, backend);
    let up = upstreams.get(name);
    if (up === undefined) {
      up = serviceUpstream(name, ns, backend.service.name, backendPort(backend), input);
      upstreams.set(name, up);
    }
    return up;
  };

  const servers = new Map<string, Server>();
  const rootTo = (backend: LocationBackend, ingress?: string): Location => ({ match: 'prefix', path: ROOT, backend, ingress });
  servers.set(CATCH_ALL, { host: CATCH_ALL, locations: [rootTo({ defaultBackend: true })] });
  const isDefault = (l: Location) => l.rule === undefined;

  // createServers: the catch-all's backend, then one server per host, its root location to the Ingress's defaultBackend.
  for (const ing of ingresses) {
    const ns = ing.metadata.namespace ?? 'default';
    const defUp = upstreamOf(ns, ing.spec.defaultBackend);
    const un: LocationBackend = defUp !== undefined ? { upstream: defUp } : { defaultBackend: true };
    const catchAllRoot = servers.get(CATCH_ALL)!.locations[0];
    if (defUp !== undefined && 'defaultBackend' in catchAllRoot.backend && (ing.spec.rules ?? []).length === 0) {
      catchAllRoot.backend = un;
      catchAllRoot.ingress = keyOf(ing);
    }
    for (const rule of ing.spec.rules ?? []) {
      const host = hostOf(rule.host);
      if (!servers.has(host)) servers.set(host, { host, locations: [rootTo(un, keyOf(ing))] });
    }
  }

  // getBackendServers: each path a location; the first to claim a path with a pathType keeps it.
  for (const ing of ingresses) {
    const ns = ing.metadata.namespace ?? 'default';
    for (const rule of ing.spec.rules ?? []) {
      const server = servers.get(hostOf(rule.host))!;
      for (const p of rule.http?.paths ?? []) {
        const upstream = upstreamOf(ns, p.backend);
        if (upstream === undefined) continue;
        const path = p.path || ROOT;
        const located: Location = { match: p.pathType === 'Exact' ? 'exact' : 'prefix', path, backend: { upstream }, ingress: keyOf(ing), rule: { path, pathType: p.pathType } };
        const same = server.locations.find((l) => l.path === path);
        const sameType = same !== undefined && (same.rule?.pathType ?? 'Prefix') === p.pathType;
        if (!sameType) server.locations.push(located);
        else if (isDefault(same)) Object.assign(same, located);
      }
    }
  }

  for (const server of servers.values()) server.locations = nginxLocations(server.locations);
  return { servers: [...servers.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)), upstreams };
}

/** nginx's choice for a request: the server for its Host, then the location for its path. */
export function route(table: RoutingTable, host: string, path: string): RouteDecision {
  const server = serverFor(table, host);
  const uri = path.split('?')[0] || ROOT;
  const location = locationFor(server, uri);
  const at = { server: server.host, location };
  if (location.match === 'prefix' && location.path === `${uri}/` && location.rule !== undefined) return { kind: 'redirect', to: location.path, ...at };
  if ('defaultBackend' in location.backend) return { kind: 'default-backend', ...at };
  const upstream = location.backend.upstream;
  return upstream.endpoints.length === 0 ? { kind: 'unavailable', upstream, ...at } : { kind: 'proxy', upstream, ...at };
}

/** updateServerLocations and buildLocation: Prefix /foo becomes `/foo/` and `= /foo` (unless an Exact /foo exists); root `/` stays. */
function nginxLocations(locations: Location[]): Location[] {
  const exact = new Set(locations.filter((l) => l.rule?.pathType === 'Exact').map((l) => l.path));
  const out: Location[] = [];
  for (const l of locations) {
    if (l.path === ROOT || l.rule?.pathType !== 'Prefix') {
      out.push(l);
      continue;
    }
    const normalized = l.path.endsWith('/') ? l.path : `${l.path}/`;
    out.push(Object.assign({}, l, { path: normalized }));
    if (!exact.has(l.path)) out.push(Object.assign({}, l, { match: 'exact' }));
  }
  return out;
}

/** nginx's server_name choice: an exact name, else a wildcard `*.foo.com` (one label: buildServerName's regex), else the catch-all. */
function serverFor(table: RoutingTable, hostHeader: string): Server {
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  const exact = table.servers.find((s) => s.host !== CATCH_ALL && s.host === host);
  if (exact !== undefined) return exact;
  const wildcard = table.servers.find((s) => s.host.startsWith('*.') && /^[\w-]+$/.test(host.slice(0, host.length - s.host.length + 1)) && host.endsWith(s.host.slice(1)));
  return wildcard ?? table.servers.find((s) => s.host === CATCH_ALL)!;
}

/** nginx's location choice: an exact match first; a prefix location equal to the path plus '/' (its 301); else the longest prefix. */
function locationFor(server: Server, uri: string): Location {
  const exact = server.locations.find((l) => l.match === 'exact' && l.path === uri);
  if (exact !== undefined) return exact;
  const redirect = server.locations.find((l) => l.match === 'prefix' && l.path === `${uri}/`);
  if (redirect !== undefined) return redirect;
  let best: Location | undefined;
  for (const l of server.locations) if (l.match === 'prefix' && uri.startsWith(l.path) && (best === undefined || l.path.length > best.path.length)) best = l;
  return best!;
}

/** store.go's sortIngressSlice: oldest first; equal creation times, namespace/name in descending order. */
function sortIngresses(ingresses: readonly Readonly<Ingress>[]): Readonly<Ingress>[] {
  return [...ingresses].sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    if (ta !== tb) return ta - tb;
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka > kb ? -1 : ka < kb ? 1 : 0;
  });
}

const keyOf = (ing: Readonly<Ingress>) => `${ing.metadata.namespace ?? 'default'}/${ing.metadata.name}`;
const hostOf = (host: string | undefined) => (host === undefined || host === '' ? CATCH_ALL : host.toLowerCase());
/** upstreamServiceNameAndPort: the port's name if given, else its number. */
const backendPort = (b: IngressBackend) => b.service!.port.name || String(b.service!.port.number ?? 0);
const upstreamName = (ns: string, b: IngressBackend) => `${ns}-${b.service!.name}-${backendPort(b)}`;

/** serviceEndpoints and getEndpointsFromSlices: the Service port that backendPort names, its ready endpoints at the slice's target port. */
function serviceUpstream(name: string, ns: string, svcName: string, port: string, input: RoutingInput): Upstream {
  const service = `${ns}/${svcName}`;
  const svc = input.services.find((s) => s.metadata.namespace === ns && s.metadata.name === svcName);
  if (svc === undefined) return { name, service, endpoints: [], problem: `Error obtaining Endpoints for Service "${service}": no object matching key "${service}" in local store` };
  const sp = (svc.spec.ports ?? []).find((p) => String(p.port) === port || String(p.targetPort ?? p.port) === port || p.name === port);
  const endpoints: UpstreamEndpoint[] = [];
  if (sp === undefined) return { name, service, endpoints, problem: `Service "${service}" has no port ${port}` };
  const numericTarget = typeof (sp.targetPort ?? sp.port) === 'number' ? Number(sp.targetPort ?? sp.port) : 0;
  const seen = new Set<string>();
  for (const slice of input.slices) {
    if (slice.metadata.namespace !== ns || slice.metadata.labels?.['kubernetes.io/service-name'] !== svcName || slice.addressType !== 'IPv4') continue;
    const ports: number[] = [];
    if ((slice.ports ?? []).length === 0 && numericTarget !== 0) ports.push(numericTarget);
    for (const ep of slice.ports ?? []) {
      if ((ep.protocol ?? 'TCP') !== 'TCP') continue;
      let target = sp.name === undefined || sp.name === '' || sp.name === ep.name ? (ep.port ?? 0) : 0;
      if (target === 0) target = numericTarget;
      if (target !== 0) ports.push(target);
    }
    for (const e of slice.endpoints) {
      if (e.conditions?.ready === false) continue;
      for (const p of ports) {
        for (const ip of e.addresses) {
          if (seen.has(`${ip}:${p}`)) continue;
          seen.add(`${ip}:${p}`);
          endpoints.push({ ip, port: p });
        }
      }
    }
  }
  return endpoints.length === 0 ? { name, service, endpoints, problem: `Service "${service}" does not have any active Endpoint.` } : { name, service, endpoints };
}
