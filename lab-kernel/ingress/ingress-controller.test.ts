import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Ingress, KubeObject, Service } from '../api/types';
import type { Client } from '../client/client';
import { FakeClient } from '../client/fake-client.fixture';
import { SharedInformerFactory } from '../client/shared-informer-factory';
import type { Handler } from '../net/namespace';
import { parseIp } from '../net/ipv4';
import type { HttpOutcome } from '../runtime/node-network';
import type { HttpAnswer, HttpRequest } from '../runtime/resource-consumer';
import { Simulation } from '../sim/simulation';
import { NGINX_CLASS } from './ingress-class';
import { HEALTHZ_PORT, HTTP_PORT, IngressController } from './ingress-controller';

const web: Ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
};
const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } };
const slice = (ips: string[]): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  ports: [{ port: 8080, protocol: 'TCP' }],
});

/** A controller over a fake API server holding `objects`, a fake network whose pods answer `backend`. */
function controller(objects: { ingresses?: Ingress[]; services?: Service[]; slices?: EndpointSlice[] }, backend: (ip: string) => HttpOutcome = (ip) => ({ code: 200, body: `hello from ${ip}` })) {
  const sim = new Simulation({ seed: 1 });
  const api = new FakeClient();
  const informers = new SharedInformerFactory(sim, api as unknown as Client);
  const listeners = new Map<number, Handler>();
  const sent: { ip: string; port: number; request: HttpRequest | undefined }[] = [];
  const statuses: Ingress[] = [];
  const c = new IngressController(
    sim,
    informers,
    {
      listen: (_proto, port, handler) => {
        listeners.set(port, handler);
        return () => listeners.delete(port);
      },
      http: (ip, port, request, _timeout, done) => {
        sent.push({ ip, port, request });
        done(backend(ip));
      },
    },
    { classes: NGINX_CLASS, updateStatus: (ing, done) => (statuses.push(ing), done()) },
  );
  c.start();
  informers.start();
  sim.runFor(1);
  const items: Record<string, KubeObject[]> = { ingresses: objects.ingresses ?? [], services: objects.services ?? [], endpointslices: objects.slices ?? [] };
  api.listRequests.forEach((req, i) => api.lists[i]({ code: 200, body: { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '1' }, items: items[req.resource!] } }));
  sim.runFor(1);
  const get = (host: string, path: string, port = HTTP_PORT, headers: Record<string, string> = {}): HttpAnswer => {
    let answer: HttpAnswer | undefined;
    const incoming = { ns: 'client', proto: 'tcp' as const, from: parseIp('192.168.0.10'), fromPort: 40000, to: parseIp('10.244.0.5'), port, length: 0, payload: { method: 'GET', path, headers: { Host: host, ...headers } } };
    listeners.get(port)!(incoming, (r) => (answer = r.payload as HttpAnswer));
    return answer!;
  };
  return { sim, c, get, sent, statuses };
}

describe('the ingress-nginx controller', () => {
  it('sends requests round-robin to the ready endpoints, straight to pod IP and target port', () => {
    const { get, sent } = controller({ ingresses: [web], services: [svc], slices: [slice(['10.244.1.2', '10.244.2.3'])] });
    expect([get('shop.example', '/'), get('shop.example', '/a'), get('shop.example', '/b')].map((a) => a.body)).toEqual(['hello from 10.244.1.2', 'hello from 10.244.2.3', 'hello from 10.244.1.2']);
    expect(sent.map((s) => `${s.ip}:${s.port}`)).toEqual(['10.244.1.2:8080', '10.244.2.3:8080', '10.244.1.2:8080']);
  });

  it('passes the client address on in X-Forwarded-For and X-Real-IP', () => {
    const { get, sent } = controller({ ingresses: [web], services: [svc], slices: [slice(['10.244.1.2'])] });
    get('shop.example', '/', HTTP_PORT, { 'X-Forwarded-For': '1.2.3.4' });
    expect(sent[0].request?.headers).toMatchObject({ Host: 'shop.example', 'X-Forwarded-For': '192.168.0.10', 'X-Real-IP': '192.168.0.10', 'X-Original-Forwarded-For': '1.2.3.4' });
  });

  it('answers nginx’s 404 page for a host no Ingress names, and its 503 page when the Service has no ready endpoint', () => {
    const { get } = controller({ ingresses: [web], services: [svc], slices: [slice([])] });
    expect(get('other.example', '/')).toEqual({ code: 404, body: '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' });
    expect(get('shop.example', '/')).toEqual({
      code: 503,
      body: '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    });
  });

  it('ignores an Ingress of another class', () => {
    const { get } = controller({ ingresses: [{ ...web, spec: { ...web.spec, ingressClassName: 'traefik' } }], services: [svc], slices: [slice(['10.244.1.2'])] });
    expect(get('shop.example', '/').code).toBe(404);
  });

  it('tries the next endpoint when one refuses, and answers 502 when all do', () => {
    const { get, sent } = controller({ ingresses: [web], services: [svc], slices: [slice(['10.244.1.2', '10.244.2.3'])] }, (ip) => (ip === '10.244.1.2' ? 'ECONNREFUSED' : { code: 200, body: 'ok' }));
    expect(get('shop.example', '/').body).toBe('ok');
    expect(sent.map((s) => s.ip)).toEqual(['10.244.1.2', '10.244.2.3']);
    const down = controller({ ingresses: [web], services: [svc], slices: [slice(['10.244.1.2'])] }, () => 'ECONNREFUSED');
    expect(down.get('shop.example', '/').code).toBe(502);
  });

  it('answers GET /healthz on port 10254 with 200 ok', () => {
    const { get } = controller({});
    expect(get('10.244.0.5', '/healthz', HEALTHZ_PORT)).toEqual({ code: 200, body: 'ok' });
  });

  it('writes the published address into the status of the Ingresses it serves', () => {
    const { c, sim, statuses } = controller({ ingresses: [web, { ...web, metadata: { ...web.metadata, name: 'other' }, spec: { ...web.spec, ingressClassName: 'traefik' } }] });
    c.publishStatus('192.168.0.2');
    sim.runFor(10);
    expect(statuses.map((s) => [s.metadata.name, s.status?.loadBalancer?.ingress])).toEqual([['web', [{ ip: '192.168.0.2' }]]]);
  });
});
