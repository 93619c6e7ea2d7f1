import type { Node } from '../api/types';
import type { RouteSpec } from '../net/routing';

/**
 * Flannel's host-gw backend in one decision (flannel-io/flannel, pkg/backend/hostgw with
 * pkg/backend/route_network.go): every other node's pod subnet is reached through that node
 * itself, its address on the shared L2 segment as the gateway, out of the node's external
 * interface. No encapsulation: the nodes must be on one L2 network, which is host-gw's limit.
 *
 *   hostGwRoute('node-1', node-2 with spec.podCIDR 10.244.2.0/24 and InternalIP 192.168.1.12)
 *   // => { dst: '10.244.2.0/24', via: '192.168.1.12', dev: 'eth0' }   (`ip route`: 10.244.2.0/24 via 192.168.1.12 dev eth0)
 *   hostGwRoute('node-1', node-1)                           // => undefined: its own subnet is on cni0
 *   hostGwRoute('node-1', a node without a podCIDR yet)     // => undefined: nothing to route yet
 *
 * Flanneld learns each node's subnet and public IP from its lease (in kube mode: the Node's
 * spec.podCIDR and the address it annotates); the lab reads spec.podCIDR and the InternalIP.
 */
export const EXTERNAL_INTERFACE = 'eth0';

export function hostGwRoute(self: string, node: Readonly<Node>): RouteSpec | undefined {
  if (node.metadata.name === self) return undefined;
  const podCIDR = node.spec?.podCIDR;
  const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (podCIDR === undefined || podCIDR === '' || ip === undefined) return undefined;
  return { dst: podCIDR, via: ip, dev: EXTERNAL_INTERFACE };
}
