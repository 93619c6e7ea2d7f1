import type { NetNamespace } from '../net/namespace';
import type { HostGwRoutesFn, RouteSpec } from '../net/route-lookup-contract';
import type { FlannelBackend } from './flannel-agent';

/**
 * flanneld's host-gw backend on one node (flannel-agent.ts runs it): one route in the node's
 * root namespace for each other node's pod CIDR, via that node's InternalIP out of eth0. Which
 * route a Node calls for is the decision of exercise route-lookup (its `hostGw` question),
 * handed in by the composition root and asked one node at a time, as the agent syncs node by
 * node. Nothing to set up on its own node.
 *
 *   new FlannelAgent(sim, client, hostGwBackend(node1, 'node-1', hostGwRoutes), 'node-1')
 *   // node-2 registered => `ip route` on node-1: '10.244.2.0/24 via 192.168.1.12 dev eth0'
 */
export function hostGwBackend(host: NetNamespace, self: string, hostGwRoutes: HostGwRoutesFn): FlannelBackend<RouteSpec> {
  return {
    type: 'host-gw',
    want: (node) => hostGwRoutes(self, [node])[0],
    same: (a, b) => a?.dst === b?.dst && a?.via === b?.via && a?.dev === b?.dev,
    install: (route) => void host.addRoute(route),
    remove: (route) => deleteRouteIfThere(host, route.dst),
    describe: (route) => `route ${route.dst} via ${route.via} dev ${route.dev}`,
  };
}

/** `ip route del <dst>`, quiet when someone already deleted it by hand (RTNETLINK answers: No such process). */
export function deleteRouteIfThere(ns: NetNamespace, dst: string): void {
  try {
    ns.routes.delete(dst);
  } catch {
    // Gone already.
  }
}
