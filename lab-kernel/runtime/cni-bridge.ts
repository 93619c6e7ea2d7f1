import { randomMac } from '../net/interfaces';
import { formatIp, parseIp } from '../net/ipv4';
import type { Rng } from '../sim/rng';
import { CNI_VERSION, CniPluginError, type BridgePluginConfig, type CniEnv, type CniInterface, type CniPlugin, type CniResult, type NetworkConfigList, type PluginInput } from './cni';
import { setupIpMasq, teardownIpMasq } from './cni-ipmasq';
import type { HostLocalIpam } from './host-local-ipam';
import type { NodeNetwork } from './node-network';

/**
 * The bridge CNI plugin (containernetworking/plugins, plugins/main/bridge): one Linux bridge
 * on the node (`cni0`), and for each pod a veth pair — one end in the pod's network namespace,
 * named CNI_IFNAME (`eth0`), the other on the node, attached to the bridge. The address comes
 * from the IPAM plugin (host-local); with isGateway the bridge holds the gateway address, so
 * the pods of the node reach each other through it and the rest of the world through the node.
 *
 *   ADD (CNI_CONTAINERID=3f2a..., CNI_NETNS=/var/run/netns/cni-1b2c..., CNI_IFNAME=eth0)
 *   // => interfaces [cni0, veth5e2d0a1c, eth0 (sandbox: the netns)], ips [{ interface: 2, address: '10.244.0.2/24', gateway: '10.244.0.1' }]
 *   bridge.links()  // => { bridge: { name: 'cni0', address: '10.244.0.1/24', ... }, veths: [{ name: 'veth5e2d0a1c', containerId: '3f2a...', ... }] }
 *   DEL             // the veth goes with the namespace; the address goes back to host-local
 *
 * It builds that on the node's packet network (node-network.ts), in the namespace containerd
 * made for the sandbox (CNI_NETNS /var/run/netns/cni-<uuid> is the namespace cni-<uuid>):
 *
 *   ADD   cni0 made and up on the node, with the gateway address (the first ADD); ip_forward on;
 *         veth<8 hex> on cni0, up; eth0 in the pod with the address, up; the IPAM routes in the
 *         pod (0.0.0.0/0: `default via 10.244.1.1 dev eth0`); with ipMasq, the CNI-<hash>
 *         chain and its POSTROUTING jump (cni-ipmasq.ts)
 *   DEL   the pod's eth0 deleted (its veth peer goes with it), the address released, and the
 *         masquerade rules of the addresses eth0 had removed; with the namespace already gone
 *         (CNI_NETNS ''), only the address is released, as the plugin does
 *
 * Names and MAC addresses are random on a real node (the kernel's and RandomVethName's); here
 * they come from the node's seeded stream. A failure between IPAM and the end of ADD is not
 * unwound (the real plugin's deferred cleanup is not modelled): with the lab's own networks it
 * does not happen.
 */
/** The cluster's pod network: kube-flannel's net-conf.json `Network`, and kubeadm's --pod-network-cidr to match. */
export const CLUSTER_CIDR = '10.244.0.0/16';

/** The network's name in flannel's CNI config (/etc/cni/net.d/10-flannel.conflist), which the cluster's nodes use. */
export const CNI_NETWORK_NAME = 'cbr0';

/**
 * containerd's example network (its install-cni script, /etc/cni/net.d/10-containerd-net.conflist):
 * the bridge cni0, the gateway on it, masquerading (ipMasq: the bridge plugin's own CNI-<hash>
 * chains, cni-ipmasq.ts), host-local IPAM over the node's pod CIDR and a default route. What a
 * node without a network add-on would run; the lab's clusters run flannelNetwork.
 *
 *   containerdNetwork('10.244.1.0/24')   // => { cniVersion: '1.0.0', name: 'containerd-net', plugins: [{ type: 'bridge', ... }] }
 */
export function containerdNetwork(podCIDR: string): NetworkConfigList {
  return {
    cniVersion: CNI_VERSION,
    name: 'containerd-net',
    plugins: [
      {
        type: 'bridge',
        bridge: 'cni0',
        isGateway: true,
        ipMasq: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: podCIDR }]], routes: [{ dst: '0.0.0.0/0' }] },
      },
    ],
  };
}

/**
 * What the nodes of the lab's clusters run: kube-flannel's network `cbr0`, whose `flannel`
 * plugin hands the bridge plugin this configuration (the flannel CNI plugin's delegate, from
 * the node's /run/flannel/subnet.env): the bridge cni0 with the gateway on it, host-local over
 * the node's pod CIDR, a route to the whole cluster CIDR and a default route (flannel's
 * isDefaultGateway; here written as the IPAM's second route, which gives the pod the same
 * table), and ipMasq OFF: flannel sets it to the opposite of FLANNEL_IPMASQ, because flanneld
 * itself masquerades, and only traffic leaving the cluster CIDR (cni/flannel-masq.ts). So a pod
 * reaches a pod on another node with its own address: no NAT inside the cluster.
 *
 *   flannelNetwork('10.244.1.0/24', '10.244.0.0/16')
 *   // => { name: 'cbr0', plugins: [{ type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: false,
 *   //      ipam: { ..., ranges: [[{ subnet: '10.244.1.0/24' }]], routes: [{ dst: '10.244.0.0/16' }, { dst: '0.0.0.0/0' }] } }] }
 *   // a pod's `ip route`: default via 10.244.1.1 dev eth0; 10.244.0.0/16 via 10.244.1.1 dev eth0; 10.244.1.0/24 dev eth0 ...
 *   flannelNetwork('10.244.1.0/24', '10.244.0.0/16', 1450)   // => the same, the bridge with mtu: 1450 (FLANNEL_MTU under VXLAN)
 *
 * Simplified: the flannel plugin itself (reading subnet.env, delegating) is not modelled, only
 * the configuration it hands on; no hairpin mode, no portmap plugin.
 */
export function flannelNetwork(podCIDR: string, clusterCIDR: string, mtu?: number): NetworkConfigList {
  return {
    cniVersion: CNI_VERSION,
    name: CNI_NETWORK_NAME,
    plugins: [
      {
        type: 'bridge',
        bridge: 'cni0',
        isGateway: true,
        ipMasq: false,
        ...(mtu === undefined ? {} : { mtu }),
        ipam: { type: 'host-local', ranges: [[{ subnet: podCIDR }]], routes: [{ dst: clusterCIDR }, { dst: '0.0.0.0/0' }] },
      },
    ],
  };
}

export interface VethLink {
  /** The host end, on the bridge: 'veth' and 8 hex digits. */
  name: string;
  mac: string;
  containerId: string;
  /** The container end: its name, MAC, namespace and address. */
  peer: CniInterface & { address: string };
}

export interface BridgeLinks {
  bridge: { name: string; mac: string; address?: string };
  veths: VethLink[];
}

export class BridgePlugin implements CniPlugin {
  readonly type = 'bridge';
  private bridge: BridgeLinks['bridge'] | undefined;
  private readonly veths = new Map<string, VethLink>();

  constructor(
    private readonly ipam: HostLocalIpam,
    /** The node's CNI stream: veth names and MAC addresses. */
    private readonly rng: Rng,
    /** The node on the packet network: where the bridge and the veths go. */
    private readonly node: NodeNetwork,
  ) {}

  add(env: CniEnv, input: PluginInput): CniResult {
    const config = input as PluginInput<BridgePluginConfig>;
    const key = `${env.CNI_CONTAINERID}/${env.CNI_IFNAME}`;
    const pod = this.node.net.namespaces.get(netnsName(env.CNI_NETNS));
    if (pod === undefined) throw new CniPluginError(`failed to open netns "${env.CNI_NETNS}": failed to Statfs "${env.CNI_NETNS}": no such file or directory`);
    const bridge = (this.bridge ??= { name: config.bridge, mac: this.mac() });
    const host = this.node.host;
    if (!host.interfaces.has(bridge.name)) {
      const br = this.node.net.addBridge(host, bridge.name, bridge.mac);
      if (config.mtu !== undefined) br.mtu = config.mtu;
    }
    const ipam = this.ipam.add(env, { name: config.name, ipam: config.ipam });
    const [first] = ipam.ips;
    const peer = { name: env.CNI_IFNAME, mac: this.mac(), sandbox: env.CNI_NETNS, address: first?.address ?? '' };
    const veth: VethLink = { name: `veth${this.hex(4)}`, mac: this.mac(), containerId: env.CNI_CONTAINERID, peer };
    const ends = this.node.net.addVeth(pod, peer.name, host, veth.name, [peer.mac, veth.mac]);
    if (config.mtu !== undefined) for (const end of ends) end.mtu = config.mtu;
    this.node.net.setMaster(host, veth.name, bridge.name);
    host.setUp(veth.name);
    for (const ip of ipam.ips) pod.addAddress(peer.name, ip.address);
    pod.setUp(peer.name);
    if (config.isGateway && first !== undefined) {
      bridge.address = `${first.gateway}/${first.address.split('/')[1]}`;
      if (!host.device(bridge.name).addresses.some((a) => a.ip === parseIp(first.gateway))) host.addAddress(bridge.name, bridge.address);
      host.ipForward = true;
    }
    host.setUp(bridge.name);
    for (const route of ipam.routes) {
      const via = route.gw ?? first?.gateway;
      pod.addRoute({ dst: route.dst === '0.0.0.0/0' ? 'default' : route.dst, ...(via !== undefined ? { via } : {}), dev: peer.name });
    }
    if (config.ipMasq) for (const ip of ipam.ips) setupIpMasq(host.netfilter, ip.address, config.name, env.CNI_CONTAINERID);
    this.veths.set(key, veth);
    return {
      cniVersion: config.cniVersion,
      interfaces: [
        { name: bridge.name, mac: bridge.mac },
        { name: veth.name, mac: veth.mac },
        { name: peer.name, mac: peer.mac, sandbox: peer.sandbox },
      ],
      ips: ipam.ips.map((ip) => ({ interface: 2, ...ip })),
      routes: ipam.routes,
      dns: {},
    };
  }

  del(env: CniEnv, input: PluginInput): void {
    const config = input as PluginInput<BridgePluginConfig>;
    const pod = env.CNI_NETNS === '' ? undefined : this.node.net.namespaces.get(netnsName(env.CNI_NETNS));
    const link = pod?.interfaces.get(env.CNI_IFNAME);
    // ip.DelLinkByNameAddr: the addresses eth0 had, then the link (its peer on cni0 goes with it).
    const addresses = link === undefined ? [] : link.addresses.map((a) => `${formatIp(a.ip)}/${a.cidr.len}`);
    if (link !== undefined) this.node.net.deleteInterface(pod!, env.CNI_IFNAME);
    this.ipam.del(env, { name: input.name });
    if (config.ipMasq) for (const address of addresses) teardownIpMasq(this.node.host.netfilter, address, config.name, env.CNI_CONTAINERID);
    this.veths.delete(`${env.CNI_CONTAINERID}/${env.CNI_IFNAME}`);
  }

  /** The node's side of the network, as `ip link` and `ip addr` would show it (plain data). */
  links(): BridgeLinks {
    return structuredClone({ bridge: this.bridge ?? { name: 'cni0', mac: '' }, veths: [...this.veths.values()] });
  }

  private hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i++) out += this.rng.int(256).toString(16).padStart(2, '0');
    return out;
  }

  /** A random, locally administered, unicast MAC address. */
  private mac(): string {
    return randomMac(this.rng);
  }
}

/** The namespace a netns path names: '/var/run/netns/cni-1b2c...' => 'cni-1b2c...'. */
export function netnsName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
