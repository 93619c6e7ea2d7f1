import type { Pod } from '../../api/types';
import { objectsAs } from '../cluster-events';
import { skip, success, unschedulable, type FilterPlugin, type Handle, type PreFilterPlugin } from '../framework-types';
import { hostPortsOf } from '../node-info';

/**
 * NodePorts: a container port with a hostPort takes that port on the node's IP, so two pods
 * asking for the same protocol and port cannot share a node. The wildcard address 0.0.0.0
 * conflicts with every address.
 *
 *   used ['TCP/0.0.0.0/8080'], wanted ['TCP/10.0.0.1/8080']   // => true (conflict)
 *   used ['TCP/0.0.0.0/8080'], wanted ['UDP/0.0.0.0/8080']    // => false (another protocol)
 *
 * PreFilter reads the pod's host ports once per cycle; a pod that asks for none skips the
 * plugin's Filter on every node (upstream's PreFilter returns Skip then).
 *
 * QueueingHints (1.32): a pod it rejected is retried when a node is added, or when a bound pod
 * using one of the ports it wants is deleted (on any node: the hint does not look at which).
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

const STATE_KEY = 'PreFilterNodePorts';

export function nodePortsPlugin(handle: Handle): PreFilterPlugin & FilterPlugin {
  void handle;
  return {
    name: NODE_PORTS,
    preFilter(state, pod) {
      const wanted = hostPortsOf(pod);
      if (wanted.length === 0) return { status: skip() };
      state.set(STATE_KEY, wanted);
      return { status: success() };
    },
    filter(state, pod, node) {
      const wanted = (state.get(STATE_KEY) as string[] | undefined) ?? hostPortsOf(pod);
      return wanted.length > 0 && portsConflict(node.usedPorts, wanted) ? unschedulable(ERR_REASON_NODE_PORTS) : success();
    },
    eventsToRegister: () => [
      {
        event: { resource: 'Pod', actions: ['Delete'] },
        hint: (pod, oldObj) => {
          const [deleted] = objectsAs<Pod>('Pod', oldObj, undefined);
          if (!deleted!.spec.nodeName) return 'QueueSkip';
          const freed = hostPortsOf(deleted!);
          return freed.length > 0 && portsConflict(new Set(freed), hostPortsOf(pod)) ? 'Queue' : 'QueueSkip';
        },
      },
      // No hint: any new node may have the ports free.
      { event: { resource: 'Node', actions: ['Add'] } },
    ],
  };
}
