import type { LoadBalancerStatus, Service } from '../../api/types';

/**
 * What the service controller asks of a cloud: k8s.io/cloud-provider's LoadBalancer
 * interface (cloud.go), with callbacks where Go blocks, since a cloud's API calls take time:
 *
 *   cloud.ensureLoadBalancer('kubernetes', svc, ['node-1', 'node-2'], (r) => ...)
 *   // r => { status: { ingress: [{ ip: '203.0.113.1' }] } }, after the cloud's delay
 *   cloud.ensureLoadBalancer(...)   // when the cloud fails: r => { error: 'quota exceeded' }
 *
 * Nodes are passed by name: the lab's load balancers send to each node's NodePort.
 */
export interface CloudProvider {
  /** The provider's name (cloudprovider.Interface.ProviderName). */
  readonly name: string;
  /** Whether a load balancer exists for the service (GetLoadBalancer's `exists`). */
  getLoadBalancer(clusterName: string, service: Readonly<Service>, done: (r: { exists: boolean } | { error: string }) => void): void;
  /** Creates the service's load balancer, or brings an existing one up to date; answers its status. */
  ensureLoadBalancer(clusterName: string, service: Readonly<Service>, nodes: readonly string[], done: (r: { status: LoadBalancerStatus } | { error: string }) => void): void;
  /** Points an existing load balancer at these nodes. */
  updateLoadBalancer(clusterName: string, service: Readonly<Service>, nodes: readonly string[], done: (error?: string) => void): void;
  /** Deletes the service's load balancer if there is one (no error when there is none). */
  ensureLoadBalancerDeleted(clusterName: string, service: Readonly<Service>, done: (error?: string) => void): void;
}

/**
 * A load balancer's name in the cloud: cloudprovider.DefaultLoadBalancerName, "a" and the
 * service's UID without dashes, cut to 32 characters.
 *
 *   loadBalancerName({ metadata: { uid: '8f2c1d3e-...' } })   // => 'a8f2c1d3e...' (32 characters)
 */
export function loadBalancerName(service: Readonly<Service>): string {
  return `a${(service.metadata.uid ?? '').replace(/-/g, '')}`.slice(0, 32);
}
