import type { Cluster } from '../cluster/cluster';
import type { EndpointSlice, Endpoints, Pod, Service } from '../api/types';

/**
 * For tests of the Endpoints and EndpointSlice controllers on a whole cluster: the Kubernetes
 * docs' my-service (concepts/services-networking/service) and a Deployment of pods it selects,
 * each serving on port 9376, named http.
 *
 *   cluster.apply(myAppDeployment(3) + MY_SERVICE);
 *   cluster.runUntil(() => readyIPs(slicesOf(cluster, 'my-service')).length === 3);
 */
export const MY_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - protocol: TCP
      port: 80
      targetPort: 9376
`;

/** `replicas` pods labelled app.kubernetes.io/name=MyApp, each with container port 9376 named http. */
export function myAppDeployment(replicas: number, name = 'my-app'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: MyApp
  template:
    metadata:
      labels:
        app.kubernetes.io/name: MyApp
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 9376
---
`;
}

/** The EndpointSlices of a Service, as the API server holds them, by name. */
export function slicesOf(cluster: Cluster, service: string, namespace = 'default'): Readonly<EndpointSlice>[] {
  return (cluster.apiServer.cache.list('endpointslices', namespace) as EndpointSlice[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service);
}

export function endpointsOf(cluster: Cluster, service: string, namespace = 'default'): Readonly<Endpoints> | undefined {
  return cluster.apiServer.cache.get('endpoints', namespace, service) as Endpoints | undefined;
}

export function serviceNamed(cluster: Cluster, name: string, namespace = 'default'): Readonly<Service> | undefined {
  return cluster.apiServer.cache.get('services', namespace, name) as Service | undefined;
}

/** The IPs of the slices' ready endpoints, sorted. */
export function readyIPs(slices: readonly Readonly<EndpointSlice>[]): string[] {
  return slices.flatMap((s) => s.endpoints.filter((e) => e.conditions?.ready).flatMap((e) => e.addresses)).sort();
}

/** The IPs of the running pods labelled app.kubernetes.io/name=MyApp that are not being deleted, sorted. */
export function myAppPodIPs(cluster: Cluster): string[] {
  return (cluster.apiServer.cache.list('pods', 'default') as Pod[])
    .filter((p) => p.metadata.labels?.['app.kubernetes.io/name'] === 'MyApp' && p.status?.podIP && p.metadata.deletionTimestamp === undefined)
    .map((p) => p.status!.podIP!)
    .sort();
}
