import type { Client } from '../client/client';
import { FlannelAgent } from '../cni/flannel-agent';
import { hostGwBackend } from '../cni/host-gw-agent';
import { vxlanBackend } from '../cni/vxlan-backend';
import type { NetNamespace } from '../net/namespace';
import { PacketNetwork } from '../net/packet-network';
import { VXLAN_HEADROOM } from '../net/vxlan';
import type { NetfilterEvalFn } from '../net/netfilter-eval-contract';
import type { VxlanEncapFn } from '../net/vxlan-contract';
import type { Proxier } from '../proxy/service-watch';
import type { HostGwRoutesFn, RouteLookupFn } from '../net/route-lookup-contract';
import { CLUSTER_CIDR } from '../runtime/cni-bridge';
import { httpFrom, type HttpClient, type NodeNetwork } from '../runtime/node-network';
import type { Simulation } from '../sim/simulation';

/**
 * The cluster's packet network (lab-kernel/net): its machines on one LAN, 192.168.1.0/24, and
 * the pod network over it in one of flannel's modes: host-gw (the default) or vxlan.
 *
 *   underlay   the LAN: bridge br0 (the switch) in namespace `underlay`, a port per machine
 *              named after it; br0 also holds 192.168.1.1, the LAN's router (outside the cluster)
 *   a machine  root namespace named after the node; eth0 with its InternalIP, plugged into the
 *              switch; `default via 192.168.1.1 dev eth0`; ip_forward and bridge-nf-call-iptables
 *              on (kubeadm's preflight checks ask for both); cni0 and the pods' veths come later,
 *              from its runtime's CNI plugin
 *   flanneld   an agent per machine (cni/flannel-agent.ts), with the mode's backend:
 *     host-gw  routes every other node's pod CIDR via that node's InternalIP (cni/host-gw-agent.ts)
 *     vxlan    makes flannel.1, publishes its VTEP on the Node, and routes every other node's pod
 *              CIDR into flannel.1, which wraps the packets in UDP to that node (cni/vxlan-backend.ts;
 *              the wrapping is the exercise vxlan-encap); the pods' MTU is 1450, eth0's less 50
 *     either   masquerades only what leaves the cluster's pod network (10.244.0.0/16, flannel-masq.ts):
 *              pods talk to pods without NAT
 *   Services   kube-proxy is not the network's: it runs in a pod of the DaemonSet kube-proxy on
 *              every node, on the host network (kube-proxy-addon.ts), and keeps the machine in step
 *              with the Services and EndpointSlices; `proxies` holds each node's running proxier
 *
 * The decisions are exercises the cluster hands in (the reference's or the learner's): how a
 * route is chosen and which host-gw routes a node needs (route-lookup), the VXLAN wrapping
 * (vxlan-encap).
 *
 *   const network = new ClusterNetwork(sim, { routeLookup, hostGwRoutes, netfilterEval });   // or with mode: 'vxlan', vxlanEncap
 *   const node1 = network.addMachine('node-1', '192.168.1.11', flanneldClient);   // => { net, host: namespace node-1 }
 *   network.startFlanneld('node-1');   // its routes to the other nodes' pods, from the Nodes
 *   network.http('control-plane')('10.244.1.2', 8080, { method: 'POST', path: '/ConsumeCPU?...' }, 1000, done)
 */
export const UNDERLAY = 'underlay';
/** flannel's backend: `Backend.Type` in its net-conf.json. */
export type PodNetworkMode = 'host-gw' | 'vxlan';
export const LAN_ROUTER = '192.168.1.1';
/** kube-proxy's mode (KubeProxyConfiguration's `mode`, its --proxy-mode). */
export type ProxyMode = 'iptables' | 'ipvs' | 'userspace';

export class ClusterNetwork {
  readonly net: PacketNetwork;
  /** The LAN's switch (and its router's address). */
  readonly underlay: NetNamespace;
  /** Each machine's flanneld, by node name. */
  readonly agents = new Map<string, FlannelAgent<unknown>>();
  /** Each machine's running kube-proxy, by node name: its pod's program puts it here while its container runs. */
  readonly proxies = new Map<string, Proxier>();
  readonly mode: PodNetworkMode;
  /** The host-gw routes a node needs (exercise route-lookup), from the composition root. */
  private readonly hostGwRoutes: HostGwRoutesFn;

  constructor(
    private readonly sim: Simulation,
    options: { mode?: PodNetworkMode; vxlanEncap?: VxlanEncapFn; routeLookup: RouteLookupFn; hostGwRoutes: HostGwRoutesFn; netfilterEval: NetfilterEvalFn },
  ) {
    this.mode = options.mode ?? 'host-gw';
    this.hostGwRoutes = options.hostGwRoutes;
    if (this.mode === 'vxlan' && options.vxlanEncap === undefined) throw new Error('a vxlan pod network needs the encapsulation decision (vxlanEncap)');
    this.net = new PacketNetwork(sim, options.routeLookup, { netfilterEval: options.netfilterEval, ...(this.mode === 'vxlan' ? { vxlanEncap: options.vxlanEncap } : {}) });
    this.underlay = this.net.addNamespace(UNDERLAY);
    this.net.addBridge(this.underlay, 'br0');
    this.underlay.addAddress('br0', `${LAN_ROUTER}/24`);
    this.underlay.setUp('br0');
  }

  /**
   * A machine on the LAN: its root namespace, eth0 with hostIP on the switch, forwarding on, the
   * default route; and its flanneld, to start, watching Nodes through `agentClient`. In vxlan
   * mode the machine's pod network has flannel's MTU (FLANNEL_MTU: eth0's less 50).
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
    const ipMasq = { host, clusterCIDR: CLUSTER_CIDR };
    if (this.mode === 'host-gw') {
      const agent = new FlannelAgent(this.sim, agentClient, hostGwBackend(host, name, this.hostGwRoutes), name, ipMasq);
      this.agents.set(name, agent);
      return { net: this.net, host, podSubnet: () => agent.subnet() };
    }
    const backend = vxlanBackend({ net: this.net, host, client: agentClient, self: name, rng: this.sim.rng(`flanneld/${name}/vtep`) });
    const agent = new FlannelAgent(this.sim, agentClient, backend, name, ipMasq);
    this.agents.set(name, agent);
    return { net: this.net, host, mtu: host.device('eth0').mtu - VXLAN_HEADROOM, podSubnet: () => agent.subnet() };
  }

  /** A machine's flanneld starts. */
  startFlanneld(name: string): void {
    this.agents.get(name)!.start();
  }

  /** `ipvsadm -Ln` on a machine (its IPVS table: empty unless kube-proxy runs in ipvs mode). */
  ipvsadm(name: string): string[] {
    return this.net.namespace(name).ipvs.list(this.sim.now());
  }

  /** HTTP from a machine's root namespace. */
  http(from: string): HttpClient {
    return httpFrom(this.net, this.net.namespace(from));
  }
}
