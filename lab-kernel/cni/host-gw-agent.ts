import type { NetNamespace } from '../net/namespace';
import type { RouteSpec } from '../net/routing';
import type { FlannelBackend } from './flannel-agent';
import { hostGwRoute } from './host-gw-routes';

/**
 * flanneld's host-gw backend on one node (flannel-agent.ts runs it): one route in the node's
 * root namespace for each other node's pod CIDR, via that node (host-gw-routes.ts decides it).
 * Nothing to set up on its own node.
 *
 *   new FlannelAgent(sim, client, hostGwBackend(node1, 'node-1'), 'node-1')
 *   // node-2 registered => `ip route` on node-1: '10.244.2.0/24 via 192.168.1.12 dev eth0'
 */
export function hostGwBackend(host: NetNamespace, self: string): FlannelBackend<RouteSpec> {
  return {
    type: 'host-gw',
    want: (node) => hostGwRoute(self, node),
    same: (a, b) => a?.dst === b?.dst && a?.via === b?.via,
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
