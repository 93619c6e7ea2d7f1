import type { NetNamespace } from '../net/namespace';
import type { PacketTrace } from '../net/packet-trace';
import type { AddOnPrograms } from './add-on-program';
import { PacketNetwork } from '../net/packet-network';
import type { NetfilterEvalFn } from '../net/netfilter-eval-contract';
import type { RouteLookupFn } from '../net/route-lookup-contract';
import type { Errno } from '../net/sockets';
import type { Simulation } from '../sim/simulation';
import type { HttpAnswer, HttpRequest } from './resource-consumer';

/**
 * A node's place on the packet network (lab-kernel/net): the network, and the node's root
 * network namespace, where the CNI plugin puts cni0 and the host ends of the pods' veths, and
 * from where the kubelet's prober connects to pod IPs. The composition root gives every node
 * one on the cluster's network (eth0 on the underlay, routes to the other nodes); a runtime made
 * alone, in a unit test, gets a network of its own with only its node on it.
 *
 *   const node = standaloneNodeNetwork(sim, 'node-1', lookupRoute, evaluateTable);
 *   node.host.showAddresses()   // => ['lo loopback ... 127.0.0.1/8']
 */
export interface NodeNetwork {
  readonly net: PacketNetwork;
  /** The node's root namespace, named after the node. */
  readonly host: NetNamespace;
  /**
   * The pod network's MTU, as flanneld writes it to /run/flannel/subnet.env (FLANNEL_MTU) for
   * the CNI config: 1450 under VXLAN. Undefined: the default, 1500.
   */
  readonly mtu?: number;
  /** The add-ons' programs (CoreDNS, the ingress controller, metrics-server) the node's runtime runs for their images. */
  readonly addOns?: AddOnPrograms;
  /**
   * The node's pod subnet as the network agent hands it to the CNI plugin (flanneld's
   * /run/flannel/subnet.env), or undefined until the agent has it: the node IPAM controller
   * has not given the Node its spec.podCIDR yet.
   */
  readonly podSubnet: () => string | undefined;
}

/**
 * A network with one node on it, its root namespace; routes chosen by `routeLookup` and tables
 * walked by `netfilterEval` (exercises route-lookup and netfilter-eval); its pods' subnet fixed.
 */
export function standaloneNodeNetwork(sim: Simulation, node: string, routeLookup: RouteLookupFn, netfilterEval: NetfilterEvalFn, podCIDR = '10.244.0.0/24'): NodeNetwork {
  const net = new PacketNetwork(sim, routeLookup, { netfilterEval });
  return { net, host: net.addNamespace(node, { root: true }), podSubnet: () => podCIDR };
}

/** What an HTTP client gets: the server's answer, or the errno its connection failed with. */
export type HttpOutcome = HttpAnswer | Errno;

/**
 * One HTTP request from a namespace: `http(ip, port, request, timeoutMs, done)`. Without a
 * request: a bare TCP connection. A process relaying a request it was sent (a proxy) passes
 * that request's trace, so the second connection's hops join the first's.
 */
export type HttpClient = (ip: string, port: number, request: HttpRequest | undefined, timeoutMs: number, done: (outcome: HttpOutcome) => void, trace?: PacketTrace) => void;

/**
 * HTTP over the packet network from `from`: one TCP exchange carrying the request, answered by
 * whatever listens on ip:port (container-listener.ts), in virtual time.
 *
 *   httpFrom(node.net, node.host)('10.244.1.2', 80, { method: 'GET', path: '/' }, 1000, done)
 *   // ~0.1 ms later: done({ code: 200, body: '<title>Welcome to nginx!</title>' })
 *   // nothing listening: done('ECONNREFUSED'); dropped on the way: done('ETIMEDOUT') after timeoutMs
 */
export function httpFrom(net: PacketNetwork, from: NetNamespace): HttpClient {
  return (ip, port, request, timeoutMs, done, trace) =>
    net.request(from, { proto: 'tcp', dst: ip, port, length: request === undefined ? 0 : request.path.length + 40, payload: request, timeoutMs, trace }, (r) =>
      done(r.outcome === 'response' ? (r.response.payload as HttpAnswer) : r.error),
    );
}

/** What a Go dialer says after "connect: " for an errno: 'ECONNREFUSED' => 'connection refused'. */
export function connectErrorText(errno: Errno): string {
  const text: Record<Errno, string> = {
    ECONNREFUSED: 'connection refused',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'no route to host',
    ENETUNREACH: 'network is unreachable',
    EPERM: 'operation not permitted',
  };
  return text[errno];
}
