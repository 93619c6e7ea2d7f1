import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../api/types';
import { kubernetesAnswer, parseRequest, type ClusterDnsData, type KubernetesPluginOptions } from './cluster-dns';
import type { QueryType } from './message';
import { PUBLIC_NAMES, upstreamAnswer } from './upstream';

const svc = (name: string, spec: Service['spec'], namespace = 'default'): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec });
const slice = (service: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'] = [{ name: 'web', port: 80, protocol: 'TCP' }]): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${service}-abcde`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints,
  ports,
});
const ep = (ip: string, more: Partial<EndpointSlice['endpoints'][number]> = {}) => ({ addresses: [ip], conditions: { ready: true }, ...more });

const DATA: ClusterDnsData = {
  services: [
    svc('web', { clusterIP: '10.96.1.5', clusterIPs: ['10.96.1.5'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }] }),
    svc('nginx', { clusterIP: 'None', ports: [{ name: 'web', port: 80 }] }),
    svc('empty', { clusterIP: 'None', ports: [{ port: 80 }] }),
    svc('db', { type: 'ExternalName', externalName: 'example.com' }),
  ],
  slices: [
    slice('nginx', [ep('10.244.1.2', { hostname: 'web-0' }), ep('10.244.2.2', { hostname: 'web-1' }), ep('10.244.1.9', { conditions: { ready: false }, hostname: 'web-2' })]),
    slice('empty', [ep('10.244.1.7', { conditions: { ready: false } })]),
  ],
  namespaces: ['default', 'kube-system'],
  synced: true,
  serial: 1735689612,
};
const OPTIONS: KubernetesPluginOptions = { zone: 'cluster.local', ttl: 30, upstream: (q) => upstreamAnswer(PUBLIC_NAMES, q) };
const ask = (name: string, type: QueryType = 'A', data = DATA) => kubernetesAnswer({ id: 1, name, type }, data, OPTIONS);
const datas = (name: string, type: QueryType = 'A') => ask(name, type)?.answers.map((rr) => rr.data);

describe("CoreDNS's kubernetes plugin answer", () => {
  it("answers a ClusterIP Service's name with its ClusterIP, authoritatively, with the Corefile's TTL", () => {
    expect(ask('web.default.svc.cluster.local')).toMatchObject({ rcode: 'NOERROR', authoritative: true, answers: [{ name: 'web.default.svc.cluster.local', ttl: 30, type: 'A', data: '10.96.1.5' }], authority: [] });
  });

  it("answers a headless Service's name with its ready endpoints' addresses only", () => {
    expect(datas('nginx.default.svc.cluster.local')).toEqual(['10.244.1.2', '10.244.2.2']);
  });

  it("answers a StatefulSet pod's name <hostname>.<service>.<namespace>.svc.cluster.local with that pod's address", () => {
    expect(datas('web-1.nginx.default.svc.cluster.local')).toEqual(['10.244.2.2']);
    expect(ask('web-2.nginx.default.svc.cluster.local')?.rcode).toBe('NXDOMAIN');
  });

  it("answers SRV _<port>._<proto> with priority 0, weight 100/n, the port and the target, and the targets' addresses as additional records", () => {
    expect(ask('_http._tcp.web.default.svc.cluster.local', 'SRV')).toMatchObject({
      answers: [{ type: 'SRV', data: '0 100 80 web.default.svc.cluster.local' }],
      additional: [{ name: 'web.default.svc.cluster.local', type: 'A', data: '10.96.1.5' }],
    });
    expect(datas('_web._tcp.nginx.default.svc.cluster.local', 'SRV')).toEqual(['0 50 80 web-0.nginx.default.svc.cluster.local', '0 50 80 web-1.nginx.default.svc.cluster.local']);
    expect(datas('web.default.svc.cluster.local', 'SRV')).toEqual(['0 50 80 web.default.svc.cluster.local', '0 50 9090 web.default.svc.cluster.local']);
  });

  it('answers a-b-c-d.<namespace>.pod.cluster.local with a.b.c.d for any address (pods insecure), if the namespace exists', () => {
    expect(datas('10-244-9-9.default.pod.cluster.local')).toEqual(['10.244.9.9']);
    expect(ask('10-244-9-9.nope.pod.cluster.local')?.rcode).toBe('NXDOMAIN');
    expect(ask('not-an-ip.default.pod.cluster.local')?.rcode).toBe('NXDOMAIN');
  });

  it("answers an ExternalName Service's name with a CNAME to its external name, followed by the upstream's answer for it", () => {
    expect(ask('db.default.svc.cluster.local')?.answers.map((rr) => `${rr.type} ${rr.data}`)).toEqual(['CNAME example.com', 'A 93.184.215.14']);
    expect(datas('db.default.svc.cluster.local', 'CNAME')).toEqual(['example.com']);
  });

  it("answers NXDOMAIN with the zone's SOA in authority for a name that does not exist", () => {
    expect(ask('nope.default.svc.cluster.local')).toMatchObject({
      rcode: 'NXDOMAIN',
      answers: [],
      authority: [{ name: 'cluster.local', ttl: 30, type: 'SOA', data: 'ns.dns.cluster.local hostmaster.cluster.local 1735689612 7200 1800 86400 30' }],
    });
  });

  it("answers NODATA (NOERROR, no answer, the SOA) for a type the name does not have, and for a namespace's own name", () => {
    for (const [name, type] of [['web.default.svc.cluster.local', 'AAAA'], ['default.svc.cluster.local', 'A'], ['svc.cluster.local', 'A']] as const) {
      expect(ask(name, type), `${type} ${name}`).toMatchObject({ rcode: 'NOERROR', answers: [], authority: [{ type: 'SOA' }] });
    }
    expect(ask('nope.svc.cluster.local')?.rcode).toBe('NXDOMAIN');
  });

  it('answers NXDOMAIN for a headless Service with no ready endpoint, and for a name with too many labels', () => {
    expect(ask('empty.default.svc.cluster.local')?.rcode).toBe('NXDOMAIN');
    expect(ask('a.b._http._tcp.web.default.svc.cluster.local')?.rcode).toBe('NXDOMAIN');
    expect(ask('web.default.foo.cluster.local')?.rcode).toBe('NXDOMAIN');
  });

  it('answers SERVFAIL instead of NXDOMAIN until its informers have synced', () => {
    expect(ask('nope.default.svc.cluster.local', 'A', { ...DATA, synced: false })?.rcode).toBe('SERVFAIL');
  });

  it('answers PTR for a ClusterIP and a ready endpoint, and leaves other reverse names and names outside its zone to the next plugin', () => {
    expect(datas('5.1.96.10.in-addr.arpa', 'PTR')).toEqual(['web.default.svc.cluster.local']);
    expect(datas('2.2.244.10.in-addr.arpa', 'PTR')).toEqual(['web-1.nginx.default.svc.cluster.local']);
    expect(ask('9.9.9.9.in-addr.arpa', 'PTR')).toBeUndefined();
    expect(ask('example.com')).toBeUndefined();
  });

  it('matches names case-insensitively', () => {
    expect(datas('WEB.Default.svc.cluster.local')).toEqual(['10.96.1.5']);
  });

  it('parses _port._protocol.service.namespace.svc and endpoint.service.namespace.svc as parse.go does', () => {
    expect(parseRequest('_http._tcp.web.default.svc.cluster.local', 'cluster.local')).toEqual({ port: 'http', protocol: 'tcp', endpoint: '', service: 'web', namespace: 'default', podOrSvc: 'svc' });
    expect(parseRequest('web-0.nginx.default.svc.cluster.local', 'cluster.local')).toMatchObject({ endpoint: 'web-0', service: 'nginx' });
  });
});
