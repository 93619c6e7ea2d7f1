import type { Interface } from '../net/interfaces';
import { formatIp } from '../net/ipv4';
import type { PacketNetwork } from '../net/packet-network';
import { frontMatter } from './fit';

/**
 * A node's pod network as a mermaid flowchart that fits a notebook's width, drawn from the
 * packet network as it is: the node's root namespace with its eth0 (towards the LAN), the
 * bridge and its ports (the host ends of the veths), and under it each pod's network
 * namespace with its eth0 and address, joined to its port by the veth pair.
 *
 *   nodeNetworkDiagram(cluster.network.net, 'node-1', kubelet.containerd.tree().pods)
 *   // flowchart TB
 *   //   lan(("LAN"))
 *   //   subgraph host["node-1 · root network namespace"]
 *   //   h_eth0["eth0<br/>192.168.1.11/24"]
 *   //   h_cni0["cni0 (bridge)<br/>10.244.1.1/24"]
 *   //   h_vethad8a68f2["vethad8a68f2"]
 *   //   end
 *   //   subgraph p0["default/a · netns cni-1cdd5ccc"]
 *   //   p0_eth0["eth0<br/>10.244.1.2/24"]
 *   //   end
 *   //   lan --- h_eth0
 *   //   h_vethad8a68f2 --- h_cni0
 *   //   p0_eth0 <-- veth pair --> h_vethad8a68f2
 *
 * A veth of the node that is on no bridge is its link to the LAN. `pods` names the namespaces (a pod's sandbox and its netns path, as the runtime tree lists
 * them); a namespace without a name there is drawn with its own name.
 */
export function nodeNetworkDiagram(net: PacketNetwork, node: string, pods: readonly { name: string; netns: string }[] = []): string {
  const host = net.namespace(node);
  const lines = [...frontMatter({ flowchart: { nodeSpacing: 20, rankSpacing: 40 } }), 'flowchart TB'];
  const id = (prefix: string, dev: string) => `${prefix}_${dev.replace(/[^A-Za-z0-9]/g, '_')}`;
  const links: string[] = [];
  lines.push(`  subgraph host["${node} · root network namespace"]`);
  for (const d of host.interfaces.values()) {
    if (d.kind === 'loopback') continue;
    lines.push(`  ${id('h', d.name)}["${label(d)}"]`);
    if (d.master !== undefined) links.push(`  ${id('h', d.name)} --- ${id('h', d.master.name)}`);
  }
  lines.push('  end');
  const ports = [...host.interfaces.values()].filter((d) => d.peer !== undefined && d.peer.ns !== node);
  let i = 0;
  for (const port of ports) {
    const peer = port.peer!;
    if (port.master === undefined) {
      links.unshift(`  lan(("LAN")) --- ${id('h', port.name)}`);
      continue;
    }
    const pod = pods.find((p) => p.netns.slice(p.netns.lastIndexOf('/') + 1) === peer.ns);
    lines.push(`  subgraph p${i}["${pod?.name ?? peer.ns} · netns ${shortName(peer.ns)}"]`, `  ${id(`p${i}`, peer.name)}["${label(peer)}"]`, '  end');
    links.push(`  ${id(`p${i}`, peer.name)} <-- veth pair --> ${id('h', port.name)}`);
    i++;
  }
  return [...lines, ...links].join('\n');
}

/** An interface's box: its name, '(bridge)' for a bridge, its addresses, and 'down' when it is. */
function label(d: Interface): string {
  const name = d.kind === 'bridge' ? `${d.name} (bridge)` : d.name;
  const addresses = d.addresses.map((a) => `${formatIp(a.ip)}/${a.cidr.len}`);
  return [name, ...addresses, ...(d.up ? [] : ['down'])].join('<br/>');
}

/** 'cni-1cdd5ccc-5f32-ef33-04bf-09381a672a22' => 'cni-1cdd5ccc' (the netns's name is a UUID). */
function shortName(ns: string): string {
  return ns.replace(/^(cni-[0-9a-f]{8})-.*$/, '$1');
}
