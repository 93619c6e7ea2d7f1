import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../api/types';
import type { HttpAnswer } from '../runtime/resource-consumer';
import { untilServing } from './services.fixture';
import { createCluster, type Cluster } from './cluster';
import { OFF_CLUSTER, serviceRequest, whoAnswered } from './service-view';

const APPS = `apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: default, labels: { app: web } }
spec:
  containers: [{ name: nginx, image: nginx:1.27 }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
---
apiVersion: v1
kind: Pod
metadata: { name: model-1, namespace: default, labels: { app: model } }
spec:
  containers: [{ name: server, image: example.com/ml/model-server:2.1 }]
---
apiVersion: v1
kind: Service
metadata: { name: model, namespace: default }
spec:
  selector: { app: model }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: empty, namespace: default }
spec:
  selector: { app: nothing }
  ports: [{ port: 80 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: two-hosts, namespace: default }
spec:
  rules:
  - host: web.example.com
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
  - host: model.example.com
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: model, port: { number: 80 } } } }] }
  - host: empty.example.com
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: empty, port: { number: 80 } } } }] }
`;

/** The ingress-nginx add-on, two apps and a Service without pods behind one Ingress; the node port of the controller's http. */
function ingressCluster(): { cluster: Cluster; nodePort: number } {
  const cluster = createCluster({ seed: 1, addOns: ['ingress-nginx'] });
  cluster.apply(APPS);
  untilServing(cluster, 2);
  const svc = cluster.kubectl.getObjects<Service>('services', 'ingress-nginx-controller', { namespace: 'ingress-nginx' })[0];
  return { cluster, nodePort: svc.spec!.ports!.find((p) => p.port === 80)!.nodePort! };
}

const get = (cluster: Cluster, nodePort: number, host: string) => serviceRequest(cluster, OFF_CLUSTER, '192.168.1.11', nodePort, { method: 'GET', path: '/', headers: { Host: host } });
const answer = (r: ReturnType<typeof get>) => (r.outcome === 'response' ? (r.response.payload as HttpAnswer) : r.error);

describe('Ingress through the ingress-nginx add-on, from a client off the cluster to a node port', () => {
  it("routes two hosts to their own Services' pods, by the request's Host header", () => {
    const { cluster, nodePort } = ingressCluster();
    expect(answer(get(cluster, nodePort, 'web.example.com'))).toEqual({ code: 200, body: '<title>Welcome to nginx!</title>' });
    expect(answer(get(cluster, nodePort, 'model.example.com'))).toEqual({ code: 200, body: '{"status":"ready"}' });
  });

  it("sends the request straight to the pod, from the controller pod's address, not through the ClusterIP", () => {
    const { cluster, nodePort } = ingressCluster();
    const r = get(cluster, nodePort, 'web.example.com');
    const controller = cluster.kubectl.getObjects<Pod>('pods', undefined, { namespace: 'ingress-nginx' })[0];
    expect(whoAnswered(cluster, r)).toMatchObject({ pod: 'default/web-1' });
    expect(whoAnswered(cluster, r)!.client.split(':')[0]).toBe(controller.status!.podIP);
  });

  it("answers nginx's 404 for a host no rule names, and 503 for a Service without endpoints", () => {
    const { cluster, nodePort } = ingressCluster();
    expect((answer(get(cluster, nodePort, 'nope.example.com')) as HttpAnswer).code).toBe(404);
    expect((answer(get(cluster, nodePort, 'empty.example.com')) as HttpAnswer).code).toBe(503);
  });
});
