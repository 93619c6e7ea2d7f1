import { evaluateTable } from '../../solutions/net/netfilter-eval';
import { routeDecision } from '../../solutions/net/route-lookup';
import { Simulation } from '../sim/simulation';
import type { NetNamespace } from './namespace';
import { PacketNetwork } from './packet-network';
import { routeLookupOf } from './route-lookup-contract';
import type { ExchangeResult } from './sockets';

/**
 * A node as a CNI bridge plugin lays it out: the root namespace `node` with bridge cni0
 * (10.244.1.1/24) and eth0 (192.168.1.10/24) towards `router` (192.168.1.1), pods a..e on veths
 * enslaved to cni0 (10.244.1.2..6), a default route in each pod, ip_forward and
 * bridge-nf-call-iptables on, and pod traffic leaving the node masqueraded. Routes are chosen by
 * the reference route-lookup, called as the cluster calls it.
 */
export interface NodeLab {
  sim: Simulation;
  net: PacketNetwork;
  node: NetNamespace;
  router: NetNamespace;
  pods: NetNamespace[];
}

export function nodeLab(seed = 1): NodeLab {
  const sim = new Simulation({ seed });
  const net = new PacketNetwork(sim, routeLookupOf(routeDecision), { netfilterEval: evaluateTable });
  const node = net.addNamespace('node', { root: true });
  const router = net.addNamespace('router');
  net.addBridge(node, 'cni0');
  node.addAddress('cni0', '10.244.1.1/24');
  node.setUp('cni0');
  net.addVeth(node, 'eth0', router, 'eth0');
  node.addAddress('eth0', '192.168.1.10/24');
  node.setUp('eth0');
  router.addAddress('eth0', '192.168.1.1/24');
  router.setUp('eth0');
  node.addRoute({ dst: 'default', via: '192.168.1.1', dev: 'eth0' });
  node.ipForward = true;
  node.bridgeNfCallIptables = true;
  node.netfilter.append('nat', 'POSTROUTING', '-s 10.244.1.0/24 ! -o cni0 -j MASQUERADE');
  const pods = ['a', 'b', 'c', 'd', 'e'].map((x, i) => {
    const pod = net.addNamespace(`pod-${x}`);
    net.addVeth(pod, 'eth0', node, `veth-${x}`);
    net.setMaster(node, `veth-${x}`, 'cni0');
    node.setUp(`veth-${x}`);
    pod.addAddress('eth0', `10.244.1.${i + 2}/24`);
    pod.setUp('eth0');
    pod.addRoute({ dst: 'default', via: '10.244.1.1', dev: 'eth0' });
    return pod;
  });
  return { sim, net, node, router, pods };
}

/** Runs the simulation until the exchange started by `start` finishes, and returns its result. */
export function exchange(lab: NodeLab, start: (done: (r: ExchangeResult) => void) => void): ExchangeResult {
  let result: ExchangeResult | undefined;
  start((r) => (result = r));
  lab.sim.runUntil(() => result !== undefined, 10_000);
  if (result === undefined) throw new Error('the exchange never finished');
  return result;
}
