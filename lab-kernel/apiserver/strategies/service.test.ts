import { describe, expect, it } from 'vitest';
import type { Status } from '../../api/status';
import type { Service, ServiceSpec } from '../../api/types';
import { createInDefault, startApiServer } from '../api-server.fixture';

const service = (name: string, spec: Partial<ServiceSpec> = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { 'app.kubernetes.io/name': 'MyApp' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 9376 }], ...spec },
});

function setup() {
  const { api, call } = startApiServer();
  const create = (svc: Service) => createInDefault(call, svc, 'services');
  const spec = (svc: Service) => (create(svc).body as Service).spec;
  const message = (svc: Service) => (create(svc).body as Status).message;
  const remove = (name: string) => call({ verb: 'delete', resource: 'services', namespace: 'default', name });
  const get = (name: string) => call({ verb: 'get', resource: 'services', namespace: 'default', name }).body as Service;
  const update = (svc: Service) => call({ verb: 'update', resource: 'services', namespace: 'default', name: svc.metadata.name, body: svc });
  return { api, call, create, spec, message, remove, get, update };
}

describe('Services: the cluster IP and node ports the API server hands out', () => {
  it('gives the kubernetes Service in default the first address, 10.96.0.1', () => {
    const { get } = setup();
    expect(get('kubernetes').spec).toMatchObject({ clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, targetPort: 6443 }] });
  });

  it('gives a Service without a clusterIP one from 10.96.0.0/12, with clusterIPs, ipFamilies [IPv4] and ipFamilyPolicy SingleStack', () => {
    const { spec } = setup();
    const s = spec(service('my-service'));
    expect(s.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    expect(s.clusterIP).not.toBe('10.96.0.1');
    expect(s).toMatchObject({ clusterIPs: [s.clusterIP], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', type: 'ClusterIP' });
  });

  it('honours a requested clusterIP that is free, and refuses a taken one or one outside the range as kube-apiserver words it', () => {
    const { spec, message } = setup();
    expect(spec(service('dns', { clusterIP: '10.96.0.10' })).clusterIPs).toEqual(['10.96.0.10']);
    expect(message(service('dns-2', { clusterIP: '10.96.0.10' }))).toBe(
      'Service "dns-2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    expect(message(service('far', { clusterIP: '192.168.0.10' }))).toBe(
      'Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.0.10"}: failed to allocate IP 192.168.0.10: the provided IP (192.168.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    expect(message(service('bad', { clusterIP: '10.96.0' }))).toBe('Service "bad" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
  });

  it('makes clusterIP None a headless Service, with no address taken', () => {
    const { api, spec } = setup();
    const free = api['serviceAllocators'].ips.free();
    expect(spec(service('headless', { clusterIP: 'None' }))).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    expect(api['serviceAllocators'].ips.free()).toBe(free);
  });

  it('gives the address back when the Service is deleted, and when its create fails validation', () => {
    const { api, spec, create, remove } = setup();
    const ips = api['serviceAllocators'].ips;
    spec(service('dns', { clusterIP: '10.96.0.10' }));
    expect(ips.has('10.96.0.10')).toBe(true);
    expect(remove('dns').code).toBe(200);
    expect(ips.has('10.96.0.10')).toBe(false);
    expect(create(service('broken', { clusterIP: '10.96.0.10', ports: [{ port: 0 }] })).code).toBe(422);
    expect(ips.has('10.96.0.10')).toBe(false);
  });

  it('keeps the allocated clusterIP when the same manifest is applied again, and refuses a change: may not change once set', () => {
    const { spec, get, update } = setup();
    const allocated = spec(service('my-service')).clusterIP!;
    const stored = get('my-service');
    expect(update({ ...service('my-service'), metadata: { name: 'my-service', resourceVersion: stored.metadata.resourceVersion } }).code).toBe(200);
    expect(get('my-service').spec.clusterIP).toBe(allocated);
    const changed = update({ ...service('my-service', { clusterIP: '10.96.0.20' }), metadata: { name: 'my-service' } });
    expect((changed.body as Status).message).toBe('Service "my-service" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.20"}: may not change once set');
  });

  it('gives each port of a NodePort Service a node port from 30000-32767, honours a free requested one, refuses a taken or out-of-range one, and frees them on delete', () => {
    const { api, spec, message, remove } = setup();
    const ports = api['serviceAllocators'].nodePorts;
    const picked = spec(service('np', { type: 'NodePort' })).ports![0]!.nodePort!;
    expect(picked).toBeGreaterThanOrEqual(30086);
    expect(picked).toBeLessThanOrEqual(32767);
    expect(spec(service('np-fixed', { type: 'NodePort', ports: [{ port: 80, targetPort: 9376, nodePort: 30080 }] })).ports![0]!.nodePort).toBe(30080);
    expect(message(service('np-taken', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))).toBe(
      'Service "np-taken" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    expect(message(service('np-out', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] }))).toBe(
      'Service "np-out" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    remove('np-fixed');
    remove('np');
    expect([ports.has(30080), ports.has(picked)]).toEqual([false, false]);
  });

  it('gives a Service that changes from ClusterIP to NodePort its node ports, and keeps them when the manifest leaves them out', () => {
    const { spec, get, update } = setup();
    spec(service('web'));
    expect(update({ ...service('web', { type: 'NodePort' }), metadata: { name: 'web' } }).code).toBe(200);
    const nodePort = get('web').spec.ports![0]!.nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(update({ ...service('web', { type: 'NodePort' }), metadata: { name: 'web' } }).code).toBe(200);
    expect(get('web').spec.ports![0]!.nodePort).toBe(nodePort);
  });
});
