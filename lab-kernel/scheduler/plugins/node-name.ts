import type { Node, Pod } from '../../api/types';
import { success, unresolvable, type FilterPlugin, type Handle } from '../framework-types';

/**
 * NodeName: a pod created with spec.nodeName set only fits that node. (Such a pod normally
 * never reaches the scheduler, which only takes pods without a node; the plugin guards
 * pods handed to it anyway, e.g. by a preemption dry run.)
 *
 *   nodeNameFits(pod with nodeName 'node-2', node-1)   // => false
 *   nodeNameFits(pod without nodeName, node-1)         // => true
 */
export const NODE_NAME = 'NodeName';
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function nodeNameFits(pod: Readonly<Pod>, node: Readonly<Node>): boolean {
  return !pod.spec.nodeName || pod.spec.nodeName === node.metadata.name;
}

export function nodeNamePlugin(handle: Handle): FilterPlugin {
  void handle;
  return {
    name: NODE_NAME,
    filter: (_state, pod, node) => (nodeNameFits(pod, node.node) ? success() : unresolvable(ERR_REASON_NODE_NAME)),
    // A new node may be the one it names (no hint: always Queue); the hint map adds UpdateNodeTaint (buildQueueingHintMap's quirk).
    eventsToRegister: () => [{ event: { resource: 'Node', actions: ['Add'] } }],
  };
}
