import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Ingress, Service } from '../api/types';
import { route, routingTable, type RoutingInput } from './ingress-routes';

type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

const ingress = (name: string, spec: Ingress['spec'], created = '2025-01-01T00:00:00Z', namespace = 'default'): Ingress => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace, creationTimestamp: created },
  spec,
});
const to = (service: string, port: number | string = 80) => ({ service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } });
const paths = (...ps: [string, PathType, string][]) => ({ http: { paths: ps.map(([path, pathType, svc]) => ({ path, pathType, backend: to(svc) })) } });

const service = (name: string, ports: Service['spec']['ports'] = [{ name: 'http', port: 80, targetPort: 8080 }]): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { ports },
});
const slice = (svc: string, ips: [string, boolean][], ports: EndpointSlice['ports'] = [{ name: 'http', port: 8080, protocol: 'TCP' }]): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${svc}-abcde`, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  endpoints: ips.map(([ip, ready]) => ({ addresses: [ip], conditions: { ready } })),
  ports,
});

/** Which Service a request reaches ('default backend' when none; 'redirect' for nginx's 301). */
function reached(input: RoutingInput, host: string, path: string): string {
  const d = route(routingTable(input), host, path);
  if (d.kind === 'default-backend') return 'default backend';
  if (d.kind === 'redirect') return `301 to ${d.to}`;
  return d.upstream.service.split('/')[1];
}

/** One Service per rule path, each path of the list its own Service named after its index. */
function pathTable(rules: [string, PathType][]): RoutingInput {
  return { ingresses: [ingress('docs', { rules: [paths(...rules.map(([p, t], i) => [p, t, `s${i}`] as [string, PathType, string]))] })], services: [], slices: [] };
}

describe('ingress-nginx path matching: the Ingress docs’ examples (concepts/services-networking/ingress, "Examples")', () => {
  // [pathType(s) and path(s) of the rules, request path, the rule matched (index) or 'default backend']
  const docsTable: [string, [string, PathType][], string, string][] = [
    ['Prefix / matches all paths', [['/', 'Prefix']], '/anything/at/all', 's0'],
    ['Exact /foo matches /foo', [['/foo', 'Exact']], '/foo', 's0'],
    ['Exact /foo does not match /bar', [['/foo', 'Exact']], '/bar', 'default backend'],
    ['Exact /foo does not match /foo/', [['/foo', 'Exact']], '/foo/', 'default backend'],
    ['Exact /foo/ does not match /foo', [['/foo/', 'Exact']], '/foo', 'default backend'],
    ['Prefix /foo matches /foo', [['/foo', 'Prefix']], '/foo', 's0'],
    ['Prefix /foo matches /foo/', [['/foo', 'Prefix']], '/foo/', 's0'],
    ['Prefix /foo/ matches /foo/', [['/foo/', 'Prefix']], '/foo/', 's0'],
    ['Prefix /aaa/bb does not match /aaa/bbb', [['/aaa/bb', 'Prefix']], '/aaa/bbb', 'default backend'],
    ['Prefix /aaa/bbb matches /aaa/bbb', [['/aaa/bbb', 'Prefix']], '/aaa/bbb', 's0'],
    ['Prefix /aaa/bbb matches /aaa/bbb/ (matches trailing slash)', [['/aaa/bbb', 'Prefix']], '/aaa/bbb/', 's0'],
    ['Prefix /aaa/bbb matches /aaa/bbb/ccc (matches subpath)', [['/aaa/bbb', 'Prefix']], '/aaa/bbb/ccc', 's0'],
    ['Prefix /aaa/bbb does not match /aaa/bbbxyz (not a string prefix)', [['/aaa/bbb', 'Prefix']], '/aaa/bbbxyz', 'default backend'],
    ['Prefix /, /aaa: /aaa/ccc matches /aaa', [['/', 'Prefix'], ['/aaa', 'Prefix']], '/aaa/ccc', 's1'],
    ['Prefix /, /aaa, /aaa/bbb: /aaa/bbb matches /aaa/bbb', [['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/aaa/bbb', 's2'],
    ['Prefix /, /aaa, /aaa/bbb: /ccc matches /', [['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/ccc', 's0'],
    ['Prefix /aaa: /ccc uses the default backend', [['/aaa', 'Prefix']], '/ccc', 'default backend'],
    ['Mixed: /foo (Prefix) and /foo (Exact): /foo prefers Exact', [['/foo', 'Prefix'], ['/foo', 'Exact']], '/foo', 's1'],
  ];
  it.each(docsTable)('%s', (_name, rules, request, expected) => {
    expect(reached(pathTable(rules), 'example.com', request)).toBe(expected);
  });

  it('answers a request for /foo to a Prefix /foo/ rule with nginx’s 301 to /foo/ (the docs’ "Prefix /foo/ matches /foo", reached after the redirect)', () => {
    expect(reached(pathTable([['/foo/', 'Prefix']]), 'example.com', '/foo')).toBe('301 to /foo/');
    expect(reached(pathTable([['/aaa/bbb/', 'Prefix']]), 'example.com', '/aaa/bbb')).toBe('301 to /aaa/bbb/');
  });

  it('treats ImplementationSpecific as an nginx prefix location: a string prefix, /foo takes /foobar', () => {
    expect(reached(pathTable([['/foo', 'ImplementationSpecific']]), 'example.com', '/foobar')).toBe('s0');
    expect(reached(pathTable([['/foo', 'Prefix']]), 'example.com', '/foobar')).toBe('default backend');
  });

  it('takes the longest matching path, and ignores the query string', () => {
    expect(reached(pathTable([['/a', 'Prefix'], ['/a/b/c', 'Prefix'], ['/a/b', 'Prefix']]), 'x', '/a/b/c/d?x=/a')).toBe('s1');
  });
});

describe('ingress-nginx host matching', () => {
  const hosts: RoutingInput = {
    ingresses: [ingress('hosts', { rules: [{ host: 'foo.bar.com', ...paths(['/', 'Prefix', 'exact-host']) }, { host: '*.foo.com', ...paths(['/', 'Prefix', 'wildcard']) }] })],
    services: [],
    slices: [],
  };
  // The docs' table of hostname wildcards.
  it.each([
    ['*.foo.com matches bar.foo.com (shared suffix)', 'bar.foo.com', 'wildcard'],
    ['*.foo.com does not match baz.bar.foo.com (a wildcard covers one DNS label)', 'baz.bar.foo.com', 'default backend'],
    ['*.foo.com does not match foo.com (a wildcard covers one DNS label)', 'foo.com', 'default backend'],
    ['foo.bar.com matches foo.bar.com, any case, with a port in Host', 'Foo.Bar.com:8080', 'exact-host'],
  ])('%s', (_name, host, expected) => {
    expect(reached(hosts, host, '/')).toBe(expected);
  });

  it('matches any host with a rule that has none', () => {
    const any: RoutingInput = { ingresses: [ingress('any', { rules: [paths(['/', 'Prefix', 'web'])] })], services: [], slices: [] };
    expect(reached(any, 'whatever.example', '/x')).toBe('web');
  });
});

describe('ingress-nginx merging several Ingresses', () => {
  it('keeps the oldest Ingress’s backend when two claim the same host, path and pathType', () => {
    const newer = ingress('newer', { rules: [{ host: 'shop.example', ...paths(['/api', 'Prefix', 'new-api']) }] }, '2025-01-02T00:00:00Z');
    const older = ingress('older', { rules: [{ host: 'shop.example', ...paths(['/api', 'Prefix', 'old-api'], ['/', 'Prefix', 'front']) }] }, '2025-01-01T00:00:00Z');
    const input = { ingresses: [newer, older], services: [], slices: [] };
    expect(reached(input, 'shop.example', '/api/v1')).toBe('old-api');
    expect(reached(input, 'shop.example', '/')).toBe('front');
  });

  it('merges the paths of Ingresses for the same host', () => {
    const a = ingress('a', { rules: [{ host: 'shop.example', ...paths(['/cart', 'Prefix', 'cart']) }] });
    const b = ingress('b', { rules: [{ host: 'shop.example', ...paths(['/pay', 'Exact', 'pay']) }] });
    const input = { ingresses: [a, b], services: [], slices: [] };
    expect([reached(input, 'shop.example', '/cart/1'), reached(input, 'shop.example', '/pay'), reached(input, 'shop.example', '/pay/x')]).toEqual(['cart', 'pay', 'default backend']);
  });
});

describe('ingress-nginx default backends', () => {
  it('sends a host’s unmatched paths to the spec.defaultBackend of the Ingress that named the host', () => {
    const ing = ingress('site', { defaultBackend: to('fallback'), rules: [{ host: 'site.example', ...paths(['/app', 'Prefix', 'app']) }] });
    expect(reached({ ingresses: [ing], services: [], slices: [] }, 'site.example', '/other')).toBe('fallback');
    expect(reached({ ingresses: [ing], services: [], slices: [] }, 'elsewhere.example', '/other')).toBe('default backend');
  });

  it('makes an Ingress with only a defaultBackend the catch-all for every other host', () => {
    const ing = ingress('catch-all', { defaultBackend: to('fallback') });
    expect(reached({ ingresses: [ing], services: [], slices: [] }, 'anything.example', '/x')).toBe('fallback');
  });
});

describe('ingress-nginx upstreams: a Service port’s ready endpoints', () => {
  const web = ingress('web', { rules: [paths(['/', 'Prefix', 'web'])] });

  it('sends to the ready pods’ IPs at the slice’s target port, not to the ClusterIP', () => {
    const d = route(routingTable({ ingresses: [web], services: [service('web')], slices: [slice('web', [['10.244.1.2', true], ['10.244.2.3', false], ['10.244.2.4', true]])] }), 'x', '/');
    expect(d.kind === 'proxy' && d.upstream.endpoints).toEqual([
      { ip: '10.244.1.2', port: 8080 },
      { ip: '10.244.2.4', port: 8080 },
    ]);
  });

  it('finds the Service port by its name as well as by its number', () => {
    const byName = ingress('web', { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: to('web', 'http') }] } }] });
    const d = route(routingTable({ ingresses: [byName], services: [service('web')], slices: [slice('web', [['10.244.1.2', true]])] }), 'x', '/');
    expect(d.kind === 'proxy' && d.upstream.endpoints).toEqual([{ ip: '10.244.1.2', port: 8080 }]);
  });

  it('is unavailable (503) when no endpoint is ready, and when the Service does not exist', () => {
    const none = route(routingTable({ ingresses: [web], services: [service('web')], slices: [slice('web', [['10.244.1.2', false]])] }), 'x', '/');
    expect(none.kind).toBe('unavailable');
    const missing = route(routingTable({ ingresses: [web], services: [], slices: [] }), 'x', '/');
    expect(missing.kind === 'unavailable' && missing.upstream.problem).toBe('Error obtaining Endpoints for Service "default/web": no object matching key "default/web" in local store');
  });
});
