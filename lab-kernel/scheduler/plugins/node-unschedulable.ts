import type { Taint } from '../../api/types';
import { success, unresolvable, type FilterPlugin, type Handle } from '../framework-types';
import type { TaintTolerationFn } from './taint-toleration-contract';

/**
 * NodeUnschedulable: a cordoned node (`kubectl cordon`, spec.unschedulable: true) takes no
 * new pods, except those that tolerate the node.kubernetes.io/unschedulable:NoSchedule taint
 * (DaemonSet pods do).
 *
 *   cordoned node, pod without tolerations                                  // => "node(s) were unschedulable"
 *   cordoned node, pod tolerating node.kubernetes.io/unschedulable Exists  // => Success
 */
export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

/** The taint a cordoned node carries (v1.TaintNodeUnschedulable), which a pod must tolerate to land there. */
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** `taintToleration`: whether a pod tolerates a taint, the reference of exercise taint-toleration. */
export function nodeUnschedulablePlugin(handle: Handle, args: { taintToleration: TaintTolerationFn }): FilterPlugin {
  void handle;
  const { taintToleration } = args;
  return {
    name: NODE_UNSCHEDULABLE,
    filter(_state, pod, node) {
      if (!node.node.spec.unschedulable) return success();
      const tolerated = taintToleration({ taints: [UNSCHEDULABLE_TAINT], tolerations: pod.spec.tolerations ?? [] }).status.code === 'Success';
      return tolerated ? success() : unresolvable(ERR_REASON_UNSCHEDULABLE);
    },
  };
}
