/**
 * Exercise `route-lookup` — the routing decision: which route carries a packet, and which
 * routes a node needs to reach the other nodes' pods. (chapter 09)
 *
 * Every time a packet leaves a network namespace or is forwarded by one (a pod's, a node's),
 * the kernel looks its destination up in the namespace's main routing table, the table
 * `ip route` prints. Several routes may hold the destination: a pod's own subnet and its
 * default route both hold a neighbour's address. Linux takes the most specific one, the
 * longest prefix; between routes to the same prefix, the one with the lowest metric
 * (ip-route(8): "routes with lower values are preferred"). No route holds it: the sender gets
 * "Network is unreachable" (ENETUNREACH), and a router drops the packet with ICMP "net
 * unreachable".
 *
 * Those tables come from somewhere. In flannel's host-gw mode, the agent on each node watches
 * the Node objects and routes every other node's pod CIDR (its spec.podCIDR) via that node's
 * address on the shared LAN (its InternalIP), out of eth0: no encapsulation, the next node
 * simply is the gateway. Its own pod CIDR needs no such route: it is on cni0, a connected route.
 *
 * You write both decisions (lab-kernel/net/route-lookup-contract.ts). With your code, every
 * packet of the cluster is routed by your lookup, and the nodes' host-gw routes are yours:
 *   createCluster({ use: { 'route-lookup': 'exercise' } })
 * and grade it with
 *   npm run grade -- route-lookup
 *
 * Input => output, by example (a pod's table: '10.244.1.0/24 dev eth0 proto kernel scope link
 * src 10.244.1.2' and 'default via 10.244.1.1 dev eth0'):
 *
 *   lookup 10.244.1.9                  => the connected /24 (longer than the default's /0)
 *   lookup 10.96.0.10                  => the default route
 *   lookup 8.8.8.8 in a table with only the /24   => undefined: Network is unreachable
 *   hostGw node-1, Nodes control-plane (10.244.0.0/24, 192.168.1.10), node-1, node-2 (10.244.2.0/24, 192.168.1.12)
 *     => [{ dst: '10.244.0.0/24', via: '192.168.1.10', dev: 'eth0' }, { dst: '10.244.2.0/24', via: '192.168.1.12', dev: 'eth0' }]
 */
import type { Node } from '../../lab-kernel/api/types';
import { EXTERNAL_INTERFACE, type Route, type RouteSpec, type RoutingAnswer, type RoutingQuestion } from '../../lab-kernel/net/route-lookup-contract';

/**
 * TODO(1) The route for dst, as Linux's main table chooses it:
 *   - a route holds dst when dst's first cidr.len bits are those of cidr.ip: (dst AND the
 *     netmask) equals the network address. cidr.mask is the netmask, as a number: 24 bits =>
 *     0xffffff00. The default route is 0.0.0.0/0: its mask is 0, it holds every address.
 *     (Bitwise operators in JavaScript give signed 32-bit numbers: `>>> 0` makes one unsigned
 *     again, like the addresses. And `x << 32` is `x << 0`.)
 *   - of the routes that hold dst, the longest prefix wins, wherever it is in the table;
 *   - between equally long prefixes, the lowest metric;
 *   - none holds dst => undefined.
 * Return the route itself (one of `routes`), not a new object.
 *
 *   routes [10.244.1.0/24 dev eth0, default via 10.244.1.1], dst 10.244.1.9    => the /24
 *   the same, dst 10.96.0.10                                                  => default via 10.244.1.1
 *   [10.0.0.0/8 via A metric 200, 10.0.0.0/8 via B metric 100], dst 10.9.9.9  => the one via B
 *   [10.244.1.0/24 dev cni0, 10.244.1.5 dev cali0 (a /32)], dst 10.244.1.5     => the /32
 *   [10.244.1.0/24 dev eth0], dst 8.8.8.8                                      => undefined
 */
export function lookupRoute(routes: readonly Route[], dst: number): Route | undefined {
  // BEGIN SOLUTION
  let best: Route | undefined;
  for (const r of routes) {
    if (((dst & r.cidr.mask) >>> 0) !== r.cidr.ip) continue;
    if (best === undefined || r.cidr.len > best.cidr.len || (r.cidr.len === best.cidr.len && r.metric < best.metric)) best = r;
  }
  return best;
  // END SOLUTION
}

/**
 * TODO(2) The routes node `self` needs in host-gw mode, in any order: for every OTHER node that
 * has a pod CIDR (spec.podCIDR) and an InternalIP (in status.addresses, the entry of type
 * 'InternalIP'), a route to that pod CIDR via that InternalIP out of EXTERNAL_INTERFACE
 * ('eth0', from the contract). A node without either yet is skipped (it gets its route once
 * it has both); the node's own pod CIDR is skipped (it is on cni0).
 *
 *   self 'node-1', nodes [node-1 (10.244.1.0/24, 192.168.1.11), node-2 (10.244.2.0/24, 192.168.1.12)]
 *     => [{ dst: '10.244.2.0/24', via: '192.168.1.12', dev: 'eth0' }]
 *   self 'node-1', nodes [node-1, node-3 without spec.podCIDR]   => []
 */
export function hostGwRoutes(self: string, nodes: readonly Readonly<Node>[]): RouteSpec[] {
  // BEGIN SOLUTION
  const routes: RouteSpec[] = [];
  for (const node of nodes) {
    if (node.metadata.name === self) continue;
    const podCIDR = node.spec?.podCIDR;
    const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (podCIDR === undefined || podCIDR === '' || ip === undefined) continue;
    routes.push({ dst: podCIDR, via: ip, dev: EXTERNAL_INTERFACE });
  }
  return routes;
  // END SOLUTION
}

/** Given: the one function the cluster calls, answering each question with its part. */
export function routeDecision(question: RoutingQuestion): RoutingAnswer {
  if ('lookup' in question) return { lookup: lookupRoute(question.lookup.routes, question.lookup.dst) };
  return { hostGw: hostGwRoutes(question.hostGw.self, question.hostGw.nodes) };
}
