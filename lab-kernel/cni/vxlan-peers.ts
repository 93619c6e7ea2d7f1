import type { Node } from '../api/types';
import { formatIp, parseCidr } from '../net/ipv4';
import type { RouteSpec } from '../net/routing';

/**
 * Flannel's vxlan backend in its decisions (flannel-io/flannel, pkg/backend/vxlan: vxlan.go,
 * vxlan_network.go, device.go; pkg/subnet/kube for the Node annotations).
 *
 * Each node publishes its VTEP on its Node, as flanneld's kube subnet manager does in
 * AcquireLease (the prefix flannel.alpha.coreos.com/ is its default --kube-annotation-prefix):
 *
 *   flannelAnnotations('5a:0e:36:b1:7c:01', '192.168.1.11')
 *   // => { 'flannel.alpha.coreos.com/backend-data': '{"VNI":1,"VtepMAC":"5a:0e:36:b1:7c:01"}',
 *   //      'flannel.alpha.coreos.com/backend-type': 'vxlan',
 *   //      'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
 *   //      'flannel.alpha.coreos.com/public-ip': '192.168.1.11' }
 *
 * and every other node adds three entries for it (handleSubnetEvents, the ARP and FDB entries
 * first and the route last), from its pod CIDR, those annotations, and its subnet's network
 * address as the gateway (node-2: 10.244.2.0/24, VtepMAC 5a:0e:36:b1:7c:02, 192.168.1.12):
 *
 *   vxlanPeer('node-1', node-2)
 *   // => { route:     { dst: '10.244.2.0/24', via: '10.244.2.0', dev: 'flannel.1', onlink: true },
 *   //      neighbour: { ip: '10.244.2.0', mac: '5a:0e:36:b1:7c:02' },   // ip neigh ... nud permanent
 *   //      fdb:       { mac: '5a:0e:36:b1:7c:02', dst: '192.168.1.12' } } // bridge fdb ... self permanent
 *   vxlanPeer('node-1', node-1)                                  // => undefined: its own subnet is on cni0
 *   vxlanPeer('node-1', a Node without the annotations yet)      // => undefined (flanneld skips a Node not kube-subnet-manager 'true')
 *   vxlanPeer('node-1', a Node whose backend-type is 'host-gw')  // => undefined ("ignoring non-vxlan subnet")
 *
 * Flannel's DirectRouting option (plain routes to nodes on the same L2 segment) is not modelled:
 * its default is off.
 */
export const ANNOTATION_PREFIX = 'flannel.alpha.coreos.com/';
export const BACKEND_DATA = `${ANNOTATION_PREFIX}backend-data`;
export const BACKEND_TYPE = `${ANNOTATION_PREFIX}backend-type`;
export const KUBE_SUBNET_MANAGER = `${ANNOTATION_PREFIX}kube-subnet-manager`;
export const PUBLIC_IP = `${ANNOTATION_PREFIX}public-ip`;
/** flannel's default VNI, and the device it names after it: flannel.<VNI>. */
export const FLANNEL_VNI = 1;
export const FLANNEL_DEVICE = `flannel.${FLANNEL_VNI}`;

export interface VxlanPeer {
  route: RouteSpec;
  neighbour: { ip: string; mac: string };
  fdb: { mac: string; dst: string };
}

/** The annotations flanneld puts on its own Node. */
export function flannelAnnotations(vtepMac: string, publicIp: string): Record<string, string> {
  return {
    [BACKEND_DATA]: JSON.stringify({ VNI: FLANNEL_VNI, VtepMAC: vtepMac }),
    [BACKEND_TYPE]: 'vxlan',
    [KUBE_SUBNET_MANAGER]: 'true',
    [PUBLIC_IP]: publicIp,
  };
}

/** The three entries node `self` keeps for `node`, or undefined (itself, or not a vxlan lease yet). */
export function vxlanPeer(self: string, node: Readonly<Node>): VxlanPeer | undefined {
  const a = node.metadata.annotations ?? {};
  const podCIDR = node.spec?.podCIDR;
  if (node.metadata.name === self || a[KUBE_SUBNET_MANAGER] !== 'true' || a[BACKEND_TYPE] !== 'vxlan') return undefined;
  if (podCIDR === undefined || podCIDR === '' || a[PUBLIC_IP] === undefined) return undefined;
  const mac = vtepMacOf(a[BACKEND_DATA]);
  if (mac === undefined) return undefined;
  const gateway = subnetAddress(podCIDR);
  return {
    route: { dst: podCIDR, via: gateway, dev: FLANNEL_DEVICE, onlink: true },
    neighbour: { ip: gateway, mac },
    fdb: { mac, dst: a[PUBLIC_IP] },
  };
}

/** The pod CIDR's network address, flannel.1's address (as a /32) and the gateway of the route to it: '10.244.2.0/24' => '10.244.2.0'. */
export function subnetAddress(podCIDR: string): string {
  return formatIp(parseCidr(podCIDR).ip);
}

/** VtepMAC from backend-data, or undefined when it is missing or not JSON ("error decoding subnet lease JSON"). */
function vtepMacOf(data: string | undefined): string | undefined {
  if (data === undefined) return undefined;
  try {
    const parsed = JSON.parse(data) as { VtepMAC?: unknown };
    return typeof parsed.VtepMAC === 'string' ? parsed.VtepMAC : undefined;
  } catch {
    return undefined;
  }
}
