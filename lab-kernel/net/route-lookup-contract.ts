import type { Node } from '../api/types';
import type { Cidr, Ip } from './ipv4';

/**
 * The contract of exercise `route-lookup`: the routing decision, in two questions one function
 * answers (each question an object with one key, the answer under the same key):
 *
 *   lookup   which route of a namespace's main table carries a packet to dst, as the kernel's
 *            FIB lookup picks it: the longest prefix holding dst, then the lowest metric; no
 *            route holds it => undefined (the sender gets ENETUNREACH, a router sends ICMP
 *            net unreachable). Every packet of the packet network asks it, in every namespace
 *            it is routed in (routing.ts, datapath.ts).
 *              { lookup: { routes: [10.244.1.0/24 dev eth0 ..., default via 10.244.1.1 dev eth0], dst: 10.96.0.10 } }
 *              // => { lookup: the default route }
 *   hostGw   the routes a node needs in flannel's host-gw mode: every other node's pod CIDR via
 *            that node's InternalIP out of eth0. Each node's host-gw agent asks it whenever a
 *            Node's pod CIDR or address changes (cni/host-gw-agent.ts).
 *              { hostGw: { self: 'node-1', nodes: [control-plane, node-1, node-2] } }
 *              // => { hostGw: [{ dst: '10.244.0.0/24', via: '192.168.1.10', dev: 'eth0' },
 *              //               { dst: '10.244.2.0/24', via: '192.168.1.12', dev: 'eth0' }] }
 *
 * Addresses inside the network are numbers (net/ipv4.ts): 10.244.1.2 is 183_763_202, and a
 * route's prefix is { ip: the network address, len: its length, mask: len's netmask }.
 * The components take the two functions the questions make (routeLookupOf, hostGwRoutesOf).
 */

/** A route as `ip route add` takes it. */
export interface RouteSpec {
  /** 'default', '10.244.2.0/24' or an address (a /32). */
  dst: string;
  via?: string;
  dev: string;
  src?: string;
  metric?: number;
  onlink?: boolean;
  /** A connected route the kernel made for an address (proto kernel scope link). */
  kernel?: boolean;
}

/** A route in a table, as `ip route` has it. */
export interface Route {
  /** 10.244.1.0/24 => { ip: 183_763_200, len: 24, mask: 0xffffff00 }; default => { ip: 0, len: 0, mask: 0 }. */
  readonly cidr: Cidr;
  /** The gateway, or undefined for a route straight onto the device's link. */
  readonly via: Ip | undefined;
  readonly dev: string;
  /** The source address for packets it carries, if it names one. */
  readonly src: Ip | undefined;
  /** Lower is preferred (ip-route(8): "preference NUMBER"); 0 unless given. */
  readonly metric: number;
  readonly onlink: boolean;
  /** A connected route (proto kernel scope link). */
  readonly kernel: boolean;
  /** As `ip route` prints it: 'default via 10.244.1.1 dev eth0'. */
  readonly text: string;
}

export interface LookupQuestion {
  /** The namespace's main table, in the order the routes were added. */
  routes: readonly Route[];
  /** The packet's destination address. */
  dst: Ip;
}

export interface HostGwQuestion {
  /** The node asking: its own name. */
  self: string;
  /** Every Node the agent's informer holds. */
  nodes: readonly Readonly<Node>[];
}

/** One question: { lookup: ... } or { hostGw: ... }. */
export type RoutingQuestion = { lookup: LookupQuestion } | { hostGw: HostGwQuestion };

/** The answer, under the question's key (`lookup: undefined` is an answer: no route). */
export interface RoutingAnswer {
  lookup?: Route;
  hostGw?: RouteSpec[];
}

export type RouteDecisionFn = (question: RoutingQuestion) => RoutingAnswer;

/** What a routing table calls for each packet: the chosen route of `routes`, or undefined. */
export type RouteLookupFn = (routes: readonly Route[], dst: Ip) => Route | undefined;

/** What a host-gw agent calls: the routes its node needs. */
export type HostGwRoutesFn = (self: string, nodes: readonly Readonly<Node>[]) => RouteSpec[];

/** The interface host-gw routes leave by: the node's link to the others (flannel's external interface). */
export const EXTERNAL_INTERFACE = 'eth0';

/**
 * The lookup as a routing table calls it; an answer without a `lookup` key is an error that says so.
 *   routeLookupOf(routeDecision)(routes, parseIp('10.96.0.10'))   // => the default route
 */
export function routeLookupOf(fn: RouteDecisionFn): RouteLookupFn {
  return (routes, dst) => {
    const answer = fn({ lookup: { routes, dst } });
    if (answer === null || typeof answer !== 'object' || !('lookup' in answer)) throw new Error('routeDecision answered a "lookup" question without a "lookup" answer');
    return answer.lookup;
  };
}

/**
 * The host-gw routes as an agent calls for them; an answer without a `hostGw` list is an error that says so.
 *   hostGwRoutesOf(routeDecision)('node-1', nodes)   // => [{ dst: '10.244.2.0/24', via: '192.168.1.12', dev: 'eth0' }, ...]
 */
export function hostGwRoutesOf(fn: RouteDecisionFn): HostGwRoutesFn {
  return (self, nodes) => {
    const answer = fn({ hostGw: { self, nodes } });
    if (answer === null || typeof answer !== 'object' || !Array.isArray(answer.hostGw)) throw new Error('routeDecision answered a "hostGw" question without a "hostGw" list');
    return answer.hostGw;
  };
}

/**
 * Addresses as numbers and back, for reading a route or writing a test (the packet network's
 * own helpers): parseIp('10.244.1.2') => 183_763_202; formatIp(183_763_202) => '10.244.1.2';
 * formatCidr(route.cidr) => '10.244.1.0/24'.
 */
export { formatCidr, formatIp, parseIp } from './ipv4';
