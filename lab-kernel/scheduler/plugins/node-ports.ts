import { success, unschedulable, type FilterPlugin, type Handle } from '../framework-types';
import { hostPortsOf } from '../node-info';

/**
 * NodePorts: a container port with a hostPort takes that port on the node's IP, so two pods
 * asking for the same protocol and port cannot share a node. The wildcard address 0.0.0.0
 * conflicts with every address.
 *
 *   used ['TCP/0.0.0.0/8080'], wanted ['TCP/10.0.0.1/8080']   // => true (conflict)
 *   used ['TCP/0.0.0.0/8080'], wanted ['UDP/0.0.0.0/8080']    // => false (another protocol)
 */
export const NODE_PORTS = 'NodePorts';
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";
const WILDCARD = '0.0.0.0';

/** Whether any wanted `${protocol}/${hostIP}/${port}` clashes with one in use (HostPortInfo.CheckConflict). */
export function portsConflict(used: ReadonlySet<string>, wanted: readonly string[]): boolean {
  for (const entry of wanted) {
    const [protocol, ip, port] = entry.split('/');
    if (ip === WILDCARD) {
      for (const u of used) {
        const [p, , n] = u.split('/');
        if (p === protocol && n === port) return true;
      }
    } else if (used.has(entry) || used.has(`${protocol}/${WILDCARD}/${port}`)) {
      return true;
    }
  }
  return false;
}

export function nodePortsPlugin(handle: Handle): FilterPlugin {
  void handle;
  return {
    name: NODE_PORTS,
    filter(_state, pod, node) {
      const wanted = hostPortsOf(pod);
      return wanted.length > 0 && portsConflict(node.usedPorts, wanted) ? unschedulable(ERR_REASON_NODE_PORTS) : success();
    },
  };
}
