import type { Client } from '../client/client';
import { HostGwAgent } from '../cni/host-gw-agent';
import type { NetNamespace } from '../net/namespace';
import { PacketNetwork } from '../net/packet-network';
import type { HostGwRoutesFn, RouteLookupFn } from '../net/route-lookup-contract';
import { httpFrom, type HttpClient, type NodeNetwork } from '../runtime/node-network';
import type { Simulation } from '../sim/simulation';

/**
 * The cluster's packet network (lab-kernel/net): its machines on one LAN, 192.168.1.0/24, and
 * the pod network over it in flannel's host-gw mode.
 *
 *   underlay   the LAN: bridge br0 (the switch) in namespace `underlay`, a port per machine
 *              named after it; br0 also holds 192.168.1.1, the LAN's router (outside the cluster)
 *   a machine  root namespace named after the node; eth0 with its InternalIP, plugged into the
 *              switch; `default via 192.168.1.1 dev eth0`; ip_forward and bridge-nf-call-iptables
 *              on (kubeadm's preflight checks ask for both); cni0 and the pods' veths come later,
 *              from its runtime's CNI plugin
 *   host-gw    an agent per machine (cni/host-gw-agent.ts) routes every other node's pod CIDR via
 *              that node's InternalIP
 *
 * Both decisions, how a route is chosen and which host-gw routes a node needs, are exercise
 * route-lookup's (the cluster hands in the reference's or the learner's).
 *
 *   const network = new ClusterNetwork(sim, { routeLookup, hostGwRoutes });
 *   const node1 = network.addMachine('node-1', '192.168.1.11', client);   // => { net, host: namespace node-1 }
 *   network.agents.get('node-1')!.start();   // its host-gw routes, from the Nodes
 *   network.http('control-plane')('10.244.1.2', 8080, { method: 'POST', path: '/ConsumeCPU?...' }, 1000, done)
 */
export const UNDERLAY = 'underlay';
export const LAN_ROUTER = '192.168.1.1';

export class ClusterNetwork {
  readonly net: PacketNetwork;
  /** The LAN's switch (and its router's address). */
  readonly underlay: NetNamespace;
  /** Each machine's host-gw agent, by node name. */
  readonly agents = new Map<string, HostGwAgent>();

  constructor(
    private readonly sim: Simulation,
    private readonly code: { routeLookup: RouteLookupFn; hostGwRoutes: HostGwRoutesFn },
  ) {
    this.net = new PacketNetwork(sim, code.routeLookup);
    this.underlay = this.net.addNamespace(UNDERLAY);
    this.net.addBridge(this.underlay, 'br0');
    this.underlay.addAddress('br0', `${LAN_ROUTER}/24`);
    this.underlay.setUp('br0');
  }

  /**
   * A machine on the LAN: its root namespace, eth0 with hostIP on the switch, forwarding on, the
   * default route; and its host-gw agent, to start, watching Nodes through `agentClient`.
   */
  addMachine(name: string, hostIP: string, agentClient: Client): NodeNetwork {
    const host = this.net.addNamespace(name, { root: true });
    this.net.addVeth(host, 'eth0', this.underlay, name);
    this.net.setMaster(this.underlay, name, 'br0');
    this.underlay.setUp(name);
    host.addAddress('eth0', `${hostIP}/24`);
    host.setUp('eth0');
    host.addRoute({ dst: 'default', via: LAN_ROUTER, dev: 'eth0' });
    host.ipForward = true;
    host.bridgeNfCallIptables = true;
    this.agents.set(name, new HostGwAgent(this.sim, agentClient, host, name, this.code.hostGwRoutes));
    return { net: this.net, host };
  }

  /** HTTP from a machine's root namespace. */
  http(from: string): HttpClient {
    return httpFrom(this.net, this.net.namespace(from));
  }
}
