import { FLANNEL_DEVICE } from '../cni/vxlan-peers';
import { ipAddr } from '../runtime/shell-ip';
import type { Cluster } from './cluster';

/**
 * A node's VXLAN device (flannel.1, in a cluster made with podNetwork 'vxlan') as three iproute2
 * commands on the node print it, for the notebooks: the device with its vxlan settings, the
 * neighbour entries flanneld put on it (each other node's subnet address => that node's VtepMAC),
 * and its FDB (each VtepMAC => that node's address). The lab's shell `ip` only shows addr and
 * route (runtime/shell-ip.ts); this reads the same namespace.
 *
 *   vtepOn(cluster, 'node-1')
 *   // => { 'ip -d link show flannel.1': ['3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue',
 *   //                                    '    link/ether ae:a0:d0:c0:c4:14 brd ff:ff:ff:ff:ff:ff',
 *   //                                    '    vxlan id 1 local 192.168.1.11 dev eth0 dstport 8472 nolearning'],
 *   //      'ip neigh show dev flannel.1':  ['10.244.2.0 lladdr c6:46:7c:fe:c5:34 PERMANENT', ...],
 *   //      'bridge fdb show dev flannel.1': ['c6:46:7c:fe:c5:34 dst 192.168.1.12 self permanent', ...] }
 *   vtepOn(a host-gw cluster, 'node-1')   // => throws: node-1 has no flannel.1
 *
 * Abridged as the lab's `ip addr` is: `ip -d link` keeps the device's first two lines and the
 * vxlan settings of its third (no state, promiscuity, ttl, ageing, checksum or queue details);
 * with `dev` given, iproute2 leaves the device's name out of the neighbour and FDB lines.
 */
export function vtepOn(cluster: Cluster, node: string, dev = FLANNEL_DEVICE): Record<string, string[]> {
  const host = cluster.network.net.namespace(node);
  const device = host.interfaces.get(dev);
  if (device?.vxlan === undefined) throw new Error(`${node} has no vxlan device ${dev}`);
  const lines = ipAddr(host, cluster.network.net);
  const head = lines.findIndex((l) => l.includes(`: ${dev}: `));
  return {
    [`ip -d link show ${dev}`]: [...lines.slice(head, head + 2), `    ${device.vxlan.describe()}`],
    [`ip neigh show dev ${dev}`]: host.neighbours.show(cluster.now()).filter((l) => l.includes(` dev ${dev} `)).map((l) => l.replace(` dev ${dev}`, '')),
    [`bridge fdb show dev ${dev}`]: device.vxlan.fdb.show(),
  };
}
