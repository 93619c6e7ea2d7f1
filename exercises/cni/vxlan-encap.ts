/**
 * Exercise `vxlan-encap` — how a pod's packet crosses to another node inside a UDP packet. (chapter 09)
 *
 * In host-gw mode a node routes another node's pod CIDR straight to that node over the LAN,
 * which works only when all nodes share one L2 segment. flannel's default backend, vxlan, works
 * over any IP network: it makes a VXLAN device on each node, flannel.1, routes every other node's
 * pod CIDR into it, and the device wraps each packet in a UDP packet from this node to the node
 * that holds the destination pod. The receiving node's flannel.1 unwraps it and routes the inner
 * packet to the pod as if it had come over a wire.
 *
 * flanneld tells the device where each node is, with three entries per other node (node-2's
 * subnet 10.244.2.0/24, its flannel.1 MAC 5a:0e:36:b1:7c:02, its address 192.168.1.12):
 *
 *   ip route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink
 *   ip neigh add 10.244.2.0 lladdr 5a:0e:36:b1:7c:02 dev flannel.1 nud permanent
 *   bridge fdb add 5a:0e:36:b1:7c:02 dst 192.168.1.12 dev flannel.1 self permanent
 *
 * A packet to 10.244.2.3 takes the route; the neighbour entry gives its frame the destination
 * MAC 5a:0e:36:b1:7c:02; and then the device decides, for every packet, what you write here: find
 * the remote VTEP (VXLAN tunnel endpoint) for that MAC in its FDB, and make the outer header.
 * Linux's vxlan driver does it in vxlan_xmit (drivers/net/vxlan/vxlan_core.c), the source port
 * with udp_flow_src_port (include/net/udp.h).
 *
 * The datapath around your code (lab-kernel/net/vxlan.ts) hands you the packet, the device and
 * its FDB; it builds the outer packet from your header (UDP, the VXLAN header with your VNI, the
 * inner frame inside) and sends it through the node's routing table out of eth0; or it drops the
 * packet with your reason, which the packet trace shows.
 *
 * Run a cluster whose nodes use your code with
 *   createCluster({ podNetwork: 'vxlan', use: { 'vxlan-encap': 'exercise' } })
 * and grade it with
 *   npm run grade -- vxlan-encap
 *
 * Input => output, by example (device flannel.1: vni 1, local 192.168.1.11, dstport 8472;
 * FDB: 5a:0e:36:b1:7c:02 dst 192.168.1.12):
 *
 *   10.244.1.2:43512 > 10.244.2.3:80 tcp, to 5a:0e:36:b1:7c:02
 *     => { outer: { src: '192.168.1.11', dst: '192.168.1.12', sport: 57577 (from the flow), dport: 8472, vni: 1 } }
 *   the same flow again                 => the same sport (one flow, one path through the network)
 *   to a MAC the FDB does not hold       => { drop: 'no FDB entry for <mac> on flannel.1' }
 */
import { type FdbEntry, type InnerPacket, type VxlanEncapInput, type VxlanEncapResult } from '../../lab-kernel/net/vxlan-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/**
 * TODO(1) Find the remote VTEP: the address of the FDB entry for the packet's destination MAC.
 * When no entry names that MAC, the driver falls back to the default entry, the one for the
 * all-zeros MAC 00:00:00:00:00:00 (flannel makes none; `bridge fdb append` does), and with
 * neither there is nowhere to send it: undefined.
 *
 *   fdb [{ mac: '5a:0e:36:b1:7c:02', dst: '192.168.1.12' }], '5a:0e:36:b1:7c:02'     => '192.168.1.12'
 *   the same fdb, '4e:11:22:33:44:55'                                              => undefined
 *   fdb [{ mac: '00:00:00:00:00:00', dst: '192.168.1.99' }], '4e:11:22:33:44:55'   => '192.168.1.99'
 */
export function findVtep(fdb: readonly FdbEntry[], mac: string): string | undefined {
  throw notImplemented('vxlan-encap');
}

/**
 * TODO(2) The outer UDP source port, as udp_flow_src_port picks it when the device has no
 * `srcport` range of its own: from the flow's hash (flowHash, given), so that every packet of one
 * flow takes the same path through the network (routers balance by the outer header), and
 * spread over the local port range LOCAL_PORT_RANGE. The kernel first folds the hash's low half
 * into its high half (hash ^= hash << 16, in 32 bits) and then scales it into the range:
 * min + floor(hash * (max - min) / 2^32).
 *
 *   flow 10.244.1.2:43512 > 10.244.2.3:80 tcp (flowHash 1891471428)   => 57577, every time
 *   flow 10.244.1.2:43513 > 10.244.2.3:80 tcp (another flow)          => 53312
 *   a flow whose hash is 0                                            => 32768
 */
export function sourcePort(packet: InnerPacket): number {
  throw notImplemented('vxlan-encap');
}

/**
 * TODO(3) The decision: find the VTEP for the packet's destination MAC (TODO 1); none, drop it,
 * saying 'no FDB entry for <mac> on <device>'. Otherwise the outer header: from the device's
 * local address to the VTEP, UDP from the flow's source port (TODO 2) to the device's dstport,
 * with the device's VNI.
 *
 *   => { outer: { src: '192.168.1.11', dst: '192.168.1.12', sport: 57577, dport: 8472, vni: 1 } }
 *   => { drop: 'no FDB entry for 4e:11:22:33:44:55 on flannel.1' }
 */
export function encapsulate(input: VxlanEncapInput): VxlanEncapResult {
  throw notImplemented('vxlan-encap');
}
