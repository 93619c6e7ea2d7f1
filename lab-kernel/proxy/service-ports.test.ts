import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../api/types';
import { servicePorts } from './service-ports';

const service = (name: string, spec: Partial<Service['spec']>, status?: Service['status']): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }], ...spec },
  ...(status ? { status } : {}),
});
const slice = (name: string, service: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'] = [{ name: 'http', port: 8080, protocol: 'TCP' }]): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints,
  ports,
});

describe("kube-proxy's view of Services and EndpointSlices", () => {
  it('names a port ns/name:port, takes the target port from the slice, and counts unset ready and serving as true', () => {
    const [port] = servicePorts([service('web', {})], [slice('web-a', 'web', [{ addresses: ['10.244.1.2'], nodeName: 'node-1' }])]);
    expect(port).toMatchObject({ name: 'default/web:http', protocol: 'TCP', clusterIP: '10.96.0.20', port: 80, nodePort: 0, sessionAffinity: 'None', stickyMaxAgeSeconds: 10800 });
    expect(port.endpoints).toEqual([{ ip: '10.244.1.2', port: 8080, ready: true, serving: true, terminating: false, nodeName: 'node-1' }]);
  });

  it('skips headless and ExternalName Services, and names an unnamed port ns/name', () => {
    const ports = servicePorts([service('headless', { clusterIP: 'None' }), service('ext', { type: 'ExternalName', clusterIP: '' }), service('plain', { ports: [{ port: 53, protocol: 'UDP' }] })], []);
    expect(ports.map((p) => [p.name, p.protocol])).toEqual([['default/plain', 'UDP']]);
  });

  it('merges slices, counts an ip:port once, ignores other ports and sorts endpoints as strings (10.0.0.10 before 10.0.0.2)', () => {
    const ports = servicePorts(
      [service('web', {}, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'lb.example' }] } })],
      [
        slice('web-a', 'web', [{ addresses: ['10.0.0.2'] }, { addresses: ['10.0.0.10'], conditions: { ready: false, serving: true, terminating: true } }]),
        slice('web-b', 'web', [{ addresses: ['10.0.0.2'] }, { addresses: [] }]),
        slice('web-c', 'web', [{ addresses: ['10.0.0.3'] }], [{ name: 'metrics', port: 9090, protocol: 'TCP' }]),
        slice('other', 'other', [{ addresses: ['10.0.0.4'] }]),
      ],
    );
    expect(ports[0].endpoints.map((e) => `${e.ip}:${e.port} ${e.ready}/${e.serving}/${e.terminating}`)).toEqual(['10.0.0.10:8080 false/true/true', '10.0.0.2:8080 true/true/false']);
    expect(ports[0].loadBalancerIPs).toEqual(['1.2.3.4']);
  });
});
