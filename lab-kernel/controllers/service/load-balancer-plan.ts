import type { Node, Service } from '../../api/types';

/**
 * The service controller's decisions, pure: what a Service's load balancer needs, and which
 * nodes a load balancer sends to (k8s.io/cloud-provider controllers/service/controller.go).
 *
 *   planLoadBalancer(lbService)                              // => 'ensure'
 *   planLoadBalancer(lbServiceBeingDeleted)                  // => 'delete' (it has the finalizer)
 *   planLoadBalancer(clusterIPServiceWithTheFinalizer)       // => 'delete' (it no longer wants one)
 *
 * `ensure`: add the finalizer (before the cloud is asked), ensure the load balancer on the
 * current nodes, write the status. `delete`: delete it in the cloud if it exists there, then
 * take the finalizer off and clear the status.
 */
export const LOAD_BALANCER_CLEANUP_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
/** v1.LabelNodeExcludeBalancers: a node with it (unless its value parses as false) gets no load balancer traffic. */
export const EXCLUDE_FROM_LOAD_BALANCERS = 'node.kubernetes.io/exclude-from-external-load-balancers';
/** The cluster autoscaler's taint on a node it is about to delete. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';

export type LoadBalancerPlan = 'ensure' | 'delete';

/** type LoadBalancer (and no loadBalancerClass: the lab models none, so every LoadBalancer Service). */
export function wantsLoadBalancer(service: Readonly<Service>): boolean {
  return service.spec.type === 'LoadBalancer';
}

export function hasCleanupFinalizer(service: Readonly<Service>): boolean {
  return (service.metadata.finalizers ?? []).includes(LOAD_BALANCER_CLEANUP_FINALIZER);
}

/** It has the finalizer and is being deleted, or is no longer of type LoadBalancer. */
export function needsCleanup(service: Readonly<Service>): boolean {
  return hasCleanupFinalizer(service) && (service.metadata.deletionTimestamp !== undefined || service.spec.type !== 'LoadBalancer');
}

export function planLoadBalancer(service: Readonly<Service>): LoadBalancerPlan {
  return !wantsLoadBalancer(service) || needsCleanup(service) ? 'delete' : 'ensure';
}

/**
 * Whether a change to a Service is one its load balancer must follow: the type in or out of
 * LoadBalancer, ports, session affinity, external IPs, annotations, the UID, the traffic
 * policy, the IP families. A status or finalizer change is not.
 *
 *   needsUpdate(lb, { ...lb, spec: { ...lb.spec, ports: [{ port: 8080 }] } })   // => true
 *   needsUpdate(lb, { ...lb, status: { loadBalancer: { ingress: [...] } } })   // => false
 */
export function needsUpdate(old: Readonly<Service>, cur: Readonly<Service>): boolean {
  if (!wantsLoadBalancer(old) && !wantsLoadBalancer(cur)) return false;
  if (wantsLoadBalancer(old) !== wantsLoadBalancer(cur)) return true;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const ports = (s: Readonly<Service>) => (s.spec.ports ?? []).map((p) => [p.name, p.protocol, p.port, p.nodePort, p.targetPort]);
  return (
    !same(ports(old), ports(cur)) ||
    old.spec.sessionAffinity !== cur.spec.sessionAffinity ||
    !same(old.spec.externalIPs, cur.spec.externalIPs) ||
    !same(old.metadata.annotations, cur.metadata.annotations) ||
    old.metadata.uid !== cur.metadata.uid ||
    old.spec.externalTrafficPolicy !== cur.spec.externalTrafficPolicy ||
    (old.spec.ipFamilies ?? []).length !== (cur.spec.ipFamilies ?? []).length
  );
}

/**
 * The nodes a load balancer sends to, by name, sorted: Kubernetes 1.32's stable node set
 * (KEP-3458) — every node not being deleted, not labelled exclude-from-external-load-balancers
 * (a value that parses as false does not exclude), not tainted ToBeDeletedByClusterAutoscaler.
 * A NotReady node stays in: the load balancer's health checks, not the controller, steer
 * traffic away from it.
 *
 *   loadBalancerHosts([node1, node2Excluded, notReadyNode3])   // => ['node-1', 'node-3']
 */
export function loadBalancerHosts(nodes: readonly Readonly<Node>[]): string[] {
  return nodes
    .filter((n) => n.metadata.deletionTimestamp === undefined)
    .filter((n) => !excluded(n.metadata.labels?.[EXCLUDE_FROM_LOAD_BALANCERS]))
    .filter((n) => !(n.spec.taints ?? []).some((t) => t.key === TO_BE_DELETED_TAINT))
    .map((n) => n.metadata.name!)
    .sort();
}

/** Whether a node sync must look again: the exclusion label's verdict changed (shouldSyncUpdatedNode). */
export function exclusionChanged(old: Readonly<Node>, cur: Readonly<Node>): boolean {
  return excluded(old.metadata.labels?.[EXCLUDE_FROM_LOAD_BALANCERS]) !== excluded(cur.metadata.labels?.[EXCLUDE_FROM_LOAD_BALANCERS]);
}

/** The label's value, as strconv.ParseBool reads it: absent => not excluded; unparseable => excluded. */
function excluded(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return true;
}
