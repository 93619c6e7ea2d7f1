import type { Node, Pod, Taint } from '../../api/types';
import { isSamePod, objectsAs } from '../cluster-events';
import { success, unresolvable, type FilterPlugin, type Handle, type QueueingHint } from '../framework-types';
import type { TaintTolerationFn } from './taint-toleration-contract';

/**
 * NodeUnschedulable: a cordoned node (`kubectl cordon`, spec.unschedulable: true) takes no
 * new pods, except those that tolerate the node.kubernetes.io/unschedulable:NoSchedule taint
 * (DaemonSet pods do).
 *
 *   cordoned node, pod without tolerations                                  // => "node(s) were unschedulable"
 *   cordoned node, pod tolerating node.kubernetes.io/unschedulable Exists  // => Success
 *
 * QueueingHints (1.32): a pod it rejected is retried when a schedulable node is added, when a
 * node is uncordoned (UpdateNodeTaint), or when the pod itself gets the toleration.
 */
export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

/** The taint a cordoned node carries (v1.TaintNodeUnschedulable), which a pod must tolerate to land there. */
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** `taintToleration`: whether a pod tolerates a taint, the reference of exercise taint-toleration. */
export function nodeUnschedulablePlugin(handle: Handle, args: { taintToleration: TaintTolerationFn }): FilterPlugin {
  void handle;
  const { taintToleration } = args;
  const toleratesCordon = (pod: Readonly<Pod>) => taintToleration({ taints: [UNSCHEDULABLE_TAINT], tolerations: pod.spec.tolerations ?? [] }).status.code === 'Success';
  return {
    name: NODE_UNSCHEDULABLE,
    filter(_state, pod, node) {
      if (!node.node.spec.unschedulable) return success();
      return toleratesCordon(pod) ? success() : unresolvable(ERR_REASON_UNSCHEDULABLE);
    },
    eventsToRegister: () => [
      { event: { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }, hint: (_pod, oldObj, newObj) => afterNodeChange(oldObj, newObj) },
      {
        event: { resource: 'Pod', actions: ['UpdatePodTolerations'] },
        // The pod itself, now tolerating the cordon (a toleration can be added, never removed).
        hint: (pod, _oldObj, newObj) => {
          const [, modified] = objectsAs<Pod>('Pod', undefined, newObj);
          return isSamePod(modified!, pod) && toleratesCordon(modified!) ? 'Queue' : 'QueueSkip';
        },
      },
    ],
  };
}

/**
 * isSchedulableAfterNodeChange: a node added schedulable, or uncordoned.
 *
 *   (undefined, node-1)                  // => Queue
 *   (node-1 cordoned, node-1 uncordoned) // => Queue
 *   (node-1, node-1 relabelled)          // => QueueSkip
 */
function afterNodeChange(oldObj: unknown, newObj: unknown): QueueingHint {
  const [original, modified] = objectsAs<Node>('Node', oldObj, newObj);
  if (modified!.spec.unschedulable) return 'QueueSkip';
  return original === undefined || original.spec.unschedulable ? 'Queue' : 'QueueSkip';
}
