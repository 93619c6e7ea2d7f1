import type { Node } from '../api/types';
import type { Route, RouteSpec } from './route-lookup-contract';
import { newRoute } from './routing';

/**
 * Cases for exercise route-lookup, shared by the kernel's test of the reference and the
 * grader's suite: routing tables as `ip route add` would make them, and Nodes as the kubelet
 * registers them.
 *
 *   table({ dst: '10.244.1.0/24', dev: 'eth0', kernel: true }, { dst: 'default', via: '10.244.1.1', dev: 'eth0' })
 *   // => [the /24, the default route], in that order
 *   POD_TABLE     // a pod's table: its subnet on eth0 (src 10.244.1.2) and the default via 10.244.1.1
 *   node('node-2', '10.244.2.0/24', '192.168.1.12')   // spec.podCIDR, and InternalIP then Hostname
 */
export function table(...specs: RouteSpec[]): Route[] {
  return specs.map(newRoute);
}

export const POD_TABLE: Route[] = table({ dst: '10.244.1.0/24', dev: 'eth0', src: '10.244.1.2', kernel: true }, { dst: 'default', via: '10.244.1.1', dev: 'eth0' });

export function node(name: string, podCIDR?: string, internalIP?: string, more: { externalIP?: string } = {}): Node {
  const addresses = [
    ...(more.externalIP === undefined ? [] : [{ type: 'ExternalIP', address: more.externalIP }]),
    ...(internalIP === undefined ? [] : [{ type: 'InternalIP', address: internalIP }]),
    { type: 'Hostname', address: name },
  ];
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: podCIDR === undefined ? {} : { podCIDR }, status: { addresses } };
}

/** The lab's nodes: control-plane, node-1 and node-2 on 192.168.1.10-12 with pod CIDRs 10.244.0-2.0/24. */
export const NODES: Node[] = [node('control-plane', '10.244.0.0/24', '192.168.1.10'), node('node-1', '10.244.1.0/24', '192.168.1.11'), node('node-2', '10.244.2.0/24', '192.168.1.12')];
