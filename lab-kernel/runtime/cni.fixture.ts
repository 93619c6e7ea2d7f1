import { evaluateTable } from '../../solutions/net/netfilter-eval';
import { lookupRoute } from '../../solutions/net/route-lookup';
import { Simulation } from '../sim/simulation';
import { podCniArgs, type CniEnv } from './cni';
import { standaloneNodeNetwork, type NodeNetwork } from './node-network';

/**
 * For the CNI tests: the environment a runtime sets for one call on pod default/web's sandbox.
 *
 *   cniEnv('ADD', 'sb1')   // => { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'sb1', CNI_NETNS: '/var/run/netns/cni-sb1', CNI_IFNAME: 'eth0', ... }
 */
export function cniEnv(command: CniEnv['CNI_COMMAND'], id: string): CniEnv {
  return {
    CNI_COMMAND: command,
    CNI_CONTAINERID: id,
    CNI_NETNS: `/var/run/netns/cni-${id}`,
    CNI_IFNAME: 'eth0',
    CNI_ARGS: podCniArgs('default', 'web', id, 'a1b2'),
    CNI_PATH: '/opt/cni/bin',
  };
}

/**
 * A node alone on its network, with the namespaces of the sandboxes `ids` made as containerd
 * makes them before ADD: cniNode('sb1') has namespace cni-sb1.
 */
export function cniNode(...ids: string[]): NodeNetwork {
  const node = standaloneNodeNetwork(new Simulation({ seed: 1 }), 'node-1', lookupRoute, evaluateTable);
  for (const id of ids) node.net.addNamespace(`cni-${id}`);
  return node;
}
