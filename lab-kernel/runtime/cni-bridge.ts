import type { Rng } from '../sim/rng';
import { CNI_VERSION, type BridgePluginConfig, type CniEnv, type CniInterface, type CniPlugin, type CniResult, type NetworkConfigList, type PluginInput } from './cni';
import type { HostLocalIpam } from './host-local-ipam';

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
 * Names and MAC addresses are random on a real node (the kernel's and RandomVethName's); here
 * they come from the node's seeded stream.
 */
/** The network's name in containerd's own config (/etc/cni/net.d/10-containerd-net.conflist). */
export const CNI_NETWORK_NAME = 'containerd-net';

/**
 * containerd's example network (its install-cni script): the bridge cni0, the gateway on it,
 * masquerading, host-local IPAM over the node's pod CIDR and a default route.
 *
 *   containerdNetwork('10.244.1.0/24')   // => { cniVersion: '1.0.0', name: 'containerd-net', plugins: [{ type: 'bridge', ... }] }
 */
export function containerdNetwork(podCIDR: string): NetworkConfigList {
  return {
    cniVersion: CNI_VERSION,
    name: CNI_NETWORK_NAME,
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
  ) {}

  add(env: CniEnv, input: PluginInput): CniResult {
    const config = input as PluginInput<BridgePluginConfig>;
    const key = `${env.CNI_CONTAINERID}/${env.CNI_IFNAME}`;
    const bridge = (this.bridge ??= { name: config.bridge, mac: this.mac() });
    const ipam = this.ipam.add(env, { name: config.name, ipam: config.ipam });
    const [first] = ipam.ips;
    if (config.isGateway && first !== undefined) bridge.address = `${first.gateway}/${first.address.split('/')[1]}`;
    const peer = { name: env.CNI_IFNAME, mac: this.mac(), sandbox: env.CNI_NETNS, address: first?.address ?? '' };
    const veth: VethLink = { name: `veth${this.hex(4)}`, mac: this.mac(), containerId: env.CNI_CONTAINERID, peer };
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
    this.ipam.del(env, { name: input.name });
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
    const first = ((this.rng.int(256) & 0xfc) | 0x02).toString(16).padStart(2, '0');
    return [first, ...this.hex(5).match(/../g)!].join(':');
  }
}
