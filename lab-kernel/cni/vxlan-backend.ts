import type { Node } from '../api/types';
import type { Client } from '../client/client';
import { PendingRequests } from '../client/controller-runner';
import { randomMac } from '../net/interfaces';
import { formatIp, parseIp } from '../net/ipv4';
import type { NetNamespace } from '../net/namespace';
import type { PacketNetwork } from '../net/packet-network';
import type { Rng } from '../sim/rng';
import type { FlannelBackend } from './flannel-agent';
import { EXTERNAL_INTERFACE } from '../net/route-lookup-contract';
import { deleteRouteIfThere } from './host-gw-agent';
import { FLANNEL_DEVICE, FLANNEL_VNI, flannelAnnotations, subnetAddress, vxlanPeer, type VxlanPeer } from './vxlan-peers';

/**
 * flanneld's vxlan backend on one node (flannel-agent.ts runs it; vxlan-peers.ts decides):
 *
 *   register   once its Node has a pod CIDR: the device, as RegisterNetwork makes it,
 *                ip link add flannel.1 type vxlan id 1 local <eth0's address> dev eth0 dstport 8472 nolearning
 *                ip addr add 10.244.1.0/32 dev flannel.1; ip link set flannel.1 up
 *              with a MAC from the node's seeded stream (flannel's is random); then its Node
 *              patched with the annotations, when they differ (AcquireLease)
 *   per node   route, permanent neighbour and FDB entry (vxlan-peers.ts); removed with the Node
 *
 *   new FlannelAgent(sim, client, vxlanBackend({ net, host: node1, client, self: 'node-1', rng }), 'node-1')
 *   // node-2 annotated => on node-1: '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink',
 *   //   '10.244.2.0 dev flannel.1 lladdr <node-2's VtepMAC> PERMANENT', '<VtepMAC> dst 192.168.1.12 self permanent'
 *
 * Flanneld patches the annotations through the Node's status subresource (the annotations
 * pass through it there); the lab's API server keeps only status through it, so the agent
 * patches the Node itself.
 */
export interface VxlanBackendDeps {
  net: PacketNetwork;
  /** The node's root namespace: where flannel.1 and the entries go. */
  host: NetNamespace;
  /** Its node's client: to patch its own Node. */
  client: Client;
  self: string;
  /** The node's stream for the VTEP's MAC. */
  rng: Rng;
}

export function vxlanBackend(deps: VxlanBackendDeps): FlannelBackend<VxlanPeer> {
  const { host } = deps;
  const vxlan = () => host.device(FLANNEL_DEVICE).vxlan!;
  return {
    type: 'vxlan',
    register: (node) => register(deps, node),
    want: (node) => vxlanPeer(deps.self, node),
    same: (a, b) => a?.route.dst === b?.route.dst && a?.neighbour.mac === b?.neighbour.mac && a?.fdb.dst === b?.fdb.dst,
    install: (peer) => {
      host.neighbours.addPermanent(FLANNEL_DEVICE, parseIp(peer.neighbour.ip), peer.neighbour.mac);
      vxlan().fdb.add(peer.fdb.mac, parseIp(peer.fdb.dst));
      host.addRoute(peer.route);
    },
    remove: (peer) => {
      host.neighbours.delete(FLANNEL_DEVICE, parseIp(peer.neighbour.ip));
      vxlan().fdb.delete(peer.fdb.mac);
      deleteRouteIfThere(host, peer.route.dst);
    },
    describe: (peer) => `route ${peer.route.dst} via ${peer.route.via} dev ${FLANNEL_DEVICE} onlink`,
  };
}

function register(deps: VxlanBackendDeps, node: Readonly<Node>): 'not yet' | 'done' | PendingRequests {
  const podCIDR = node.spec?.podCIDR;
  if (podCIDR === undefined || podCIDR === '') return 'not yet';
  const { host } = deps;
  const publicIp = formatIp(host.device(EXTERNAL_INTERFACE).addresses[0].ip);
  if (!host.interfaces.has(FLANNEL_DEVICE)) {
    deps.net.addVxlan(host, FLANNEL_DEVICE, { vni: FLANNEL_VNI, local: publicIp, dev: EXTERNAL_INTERFACE }, randomMac(deps.rng));
    host.addAddress(FLANNEL_DEVICE, `${subnetAddress(podCIDR)}/32`);
    host.setUp(FLANNEL_DEVICE);
  }
  const annotations = flannelAnnotations(host.device(FLANNEL_DEVICE).mac, publicIp);
  const have = node.metadata.annotations ?? {};
  if (Object.entries(annotations).every(([k, v]) => have[k] === v)) return 'done';
  const writes = new PendingRequests();
  const answered = writes.start();
  deps.client.request({ verb: 'patch', resource: 'nodes', name: deps.self, patchType: 'application/merge-patch+json', body: { metadata: { annotations } } }, (res) =>
    answered(res.code < 300 ? undefined : `patch node ${deps.self}: ${(res.body as { message?: string } | undefined)?.message ?? res.code}`),
  );
  return writes;
}
