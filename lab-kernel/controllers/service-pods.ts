import { selectorMatches } from '../api/labels';
import { objectKey } from '../api/resources';
import type { Pod, Service, ServicePort } from '../api/types';
import type { Lister } from '../client/informer';
import { isPodReady } from './replicaset-contract';

/**
 * Which pods back a Service, and how: the rules the Endpoints and EndpointSlice controllers
 * share (kube-controller-manager's pkg/controller/util/endpoint and k8s.io/endpointslice/util,
 * 1.32).
 *
 *   servicesOf(services, pod)          // => ['default/my-service'] for a pod labelled app.kubernetes.io/name=MyApp
 *   shouldPodBeInEndpoints(pod, false) // => false for a pod with no IP yet, or being deleted
 *   findPort(pod, { port: 80, targetPort: 'http' })  // => 9376 if a container names its port 9376 http
 */

/** The label an Endpoints or EndpointSlice of a Service without a cluster IP carries (v1.IsHeadlessService). */
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/**
 * `labels` with service.kubernetes.io/headless set when the Service has no cluster IP, and
 * removed when it has one (both controllers label what they write so).
 *   withHeadlessLabel({ app: 'web' }, { spec: { clusterIP: 'None' } })        // => { app: 'web', 'service.kubernetes.io/headless': '' }
 *   withHeadlessLabel({ 'service.kubernetes.io/headless': '' }, 10.96.3.4)   // => {}
 */
export function withHeadlessLabel(labels: Readonly<Record<string, string>>, svc: Readonly<Service>): Record<string, string> {
  const out: Record<string, string> = { ...labels };
  if (!svc.spec.clusterIP || svc.spec.clusterIP === 'None') out[HEADLESS_LABEL] = '';
  else delete out[HEADLESS_LABEL];
  return out;
}

/**
 * The pods a Service selects, in its namespace; none for a Service without a selector.
 *   podsOf(pods, myService)     // => the pods of default labelled app.kubernetes.io/name=MyApp
 *   podsOf(pods, { spec: {} })  // => []
 */
export function podsOf(pods: Lister<Pod>, svc: Readonly<Service>): Readonly<Pod>[] {
  if (svc.spec.selector === undefined) return [];
  return pods.list(svc.metadata.namespace, { matchLabels: svc.spec.selector });
}

/**
 * GetPodServiceMemberships: the keys of the Services in the pod's namespace whose selector
 * picks it (a Service without a selector picks none, not all).
 */
export function servicesOf(services: Lister<Service>, pod: Readonly<Pod>): string[] {
  return services
    .list(pod.metadata.namespace)
    .filter((svc) => svc.spec.selector !== undefined && selectorMatches({ matchLabels: svc.spec.selector }, pod.metadata.labels))
    .map((svc) => objectKey(svc));
}

/**
 * GetServicesToUpdateOnPodChange: the Services a pod update matters to. Nothing if neither
 * what an endpoint shows (IP, readiness, node, being deleted, hostname) nor the labels
 * changed; with new labels, the Services it joined or left (and all of both if the endpoint
 * changed too).
 *   Ready True -> False, same labels          // => ['default/my-service']
 *   only an annotation changed                 // => []
 *   labels changed from MyApp to Other         // => ['default/my-service'] (it left), plus any Service selecting Other
 */
export function servicesToUpdateOnPodChange(services: Lister<Service>, old: Readonly<Pod>, cur: Readonly<Pod>): string[] {
  if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return [];
  const podChanged = endpointView(old) !== endpointView(cur);
  const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
  if (!podChanged && !labelsChanged) return [];
  const now = servicesOf(services, cur);
  if (!labelsChanged) return now;
  const before = servicesOf(services, old);
  if (podChanged) return [...new Set([...before, ...now])];
  return [...before.filter((k) => !now.includes(k)), ...now.filter((k) => !before.includes(k))];
}

/** What of a pod its endpoint shows (podEndpointsChanged compares these). */
function endpointView(pod: Readonly<Pod>): string {
  return JSON.stringify([pod.status?.podIP, isPodReady(pod), pod.spec.nodeName, pod.metadata.deletionTimestamp !== undefined, pod.spec.hostname, pod.spec.subdomain]);
}

/**
 * ShouldPodBeInEndpoints: not finished (Succeeded or Failed), has an IP, and, unless
 * terminating pods are wanted, is not being deleted.
 *   a Running pod with IP 10.244.1.5                 // => true
 *   the same pod with a deletionTimestamp, false     // => false (true if includeTerminating)
 */
export function shouldPodBeInEndpoints(pod: Readonly<Pod>, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP) return false;
  return includeTerminating || pod.metadata.deletionTimestamp === undefined;
}

/**
 * FindPort: the pod port a Service port sends to. A number is taken as it is; a name is
 * looked up among the pod's container ports of the same protocol, and a pod without it has
 * no such port (undefined).
 *   findPort(pod, { port: 80, targetPort: 9376 })      // => 9376
 *   findPort(pod, { port: 80, targetPort: 'http' })    // => the containerPort named http, or undefined
 */
export function findPort(pod: Readonly<Pod>, port: Readonly<ServicePort>): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/**
 * ShouldSetHostname: a pod with a hostname whose subdomain is this Service's name, in its namespace.
 *   pod { hostname: 'web-0', subdomain: 'nginx' }, Service nginx  // => true: the endpoint is named web-0
 */
export function shouldSetHostname(pod: Readonly<Pod>, svc: Readonly<Service>): boolean {
  return !!pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

/** The reference an endpoint keeps to its pod: => { kind: 'Pod', namespace: 'default', name: 'web-7bqzx', uid }. */
export function podReference(pod: Readonly<Pod>): { kind: string; namespace?: string; name: string; uid?: string } {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name!, uid: pod.metadata.uid };
}
