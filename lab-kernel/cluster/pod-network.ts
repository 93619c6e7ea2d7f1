import type { Client } from '../client/client';
import { HostGwAgent } from '../cni/host-gw-agent';
import type { NetNamespace } from '../net/namespace';
import { PacketNetwork } from '../net/packet-network';
import type { IptablesRulesFn } from '../proxy/iptables-rules-contract';
import { kubeProxy, type KubeProxy } from '../proxy/kube-proxy';
import { namespaceNetfilter } from '../proxy/node-netfilter';
import { CLUSTER_CIDR } from '../runtime/cni-bridge';
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
 *              that node's InternalIP, and masquerades only what leaves the cluster's pod network
 *              (10.244.0.0/16): pods talk to pods without NAT
 *   Services   kube-proxy per machine (proxy/kube-proxy.ts, iptables mode) keeps the machine's
 *              nat and filter tables in step with the Services and EndpointSlices
 *
 *   const network = new ClusterNetwork(sim, iptablesRules);
 *   const node1 = network.addMachine('node-1', '192.168.1.11', { flanneld, kubeProxy });   // => { net, host: namespace node-1 }
 *   network.startAgents('node-1');   // its host-gw routes, from the Nodes; its Service rules
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
  /** Each machine's kube-proxy, by node name, once its agents have started. */
  readonly proxies = new Map<string, KubeProxy>();
  private readonly proxyClients = new Map<string, Client>();

  constructor(
    private readonly sim: Simulation,
    /** kube-proxy's rule generator (exercise kube-proxy-iptables), from the composition root. */
    private readonly iptablesRules: IptablesRulesFn,
  ) {
    this.net = new PacketNetwork(sim);
    this.underlay = this.net.addNamespace(UNDERLAY);
    this.net.addBridge(this.underlay, 'br0');
    this.underlay.addAddress('br0', `${LAN_ROUTER}/24`);
    this.underlay.setUp('br0');
  }

  /**
   * A machine on the LAN: its root namespace, eth0 with hostIP on the switch, forwarding on, the
   * default route; and its agents, to start: the host-gw agent watching Nodes through
   * `clients.flanneld`, kube-proxy watching Services and EndpointSlices through `clients.kubeProxy`.
   */
  addMachine(name: string, hostIP: string, clients: { flanneld: Client; kubeProxy: Client }): NodeNetwork {
    const host = this.net.addNamespace(name, { root: true });
    this.net.addVeth(host, 'eth0', this.underlay, name);
    this.net.setMaster(this.underlay, name, 'br0');
    this.underlay.setUp(name);
    host.addAddress('eth0', `${hostIP}/24`);
    host.setUp('eth0');
    host.addRoute({ dst: 'default', via: LAN_ROUTER, dev: 'eth0' });
    host.ipForward = true;
    host.bridgeNfCallIptables = true;
    this.agents.set(name, new HostGwAgent(this.sim, clients.flanneld, host, name, CLUSTER_CIDR));
    this.proxyClients.set(name, clients.kubeProxy);
    return { net: this.net, host };
  }

  /** A machine's network agents start: its host-gw agent, and its kube-proxy (which starts as it is made). */
  startAgents(name: string): void {
    this.agents.get(name)!.start();
    const host = this.net.namespace(name);
    this.proxies.set(name, kubeProxy(this.sim, this.proxyClients.get(name)!, { name, clusterCIDR: CLUSTER_CIDR }, namespaceNetfilter(host, () => this.sim.now()), { iptablesRules: this.iptablesRules }));
  }

  /** HTTP from a machine's root namespace. */
  http(from: string): HttpClient {
    return httpFrom(this.net, this.net.namespace(from));
  }
}
