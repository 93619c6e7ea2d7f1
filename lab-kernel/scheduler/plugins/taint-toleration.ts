import { MAX_NODE_SCORE, success, type FilterPlugin, type Handle, type ScorePlugin } from '../framework-types';
import { defaultNormalizeScore } from './normalize-score';
import { pluginCall } from '../scheduler-code';
import type { TaintTolerationFn } from './taint-toleration-contract';

/**
 * TaintToleration: a node's NoSchedule and NoExecute taints keep out pods that do not
 * tolerate them (Filter); its PreferNoSchedule taints make it less attractive (Score, fewer
 * intolerable taints is better, normalised reversed).
 *
 *   node tainted gpu=true:NoSchedule, pod without tolerations
 *   // => filter: UnschedulableAndUnresolvable "node(s) had untolerated taint {gpu: true}"
 *
 * Node pressure reaches the scheduler through this plugin: the node lifecycle controller
 * turns node conditions into taints (TaintNodesByCondition), MemoryPressure into
 * node.kubernetes.io/memory-pressure:NoSchedule, DiskPressure into
 * node.kubernetes.io/disk-pressure:NoSchedule, NotReady into node.kubernetes.io/not-ready,
 * and DaemonSet pods tolerate them. No scheduler plugin reads node conditions itself.
 *
 * The pure logic is exercise `taint-toleration` (taint-toleration-contract.ts).
 */
export const TAINT_TOLERATION = 'TaintToleration';

export function taintTolerationPlugin(handle: Handle, args: { evaluate: TaintTolerationFn }): FilterPlugin & ScorePlugin {
  void handle;
  const evaluate = args.evaluate;
  return {
    name: TAINT_TOLERATION,
    filter(_state, pod, node) {
      const { value, failure } = pluginCall(() => evaluate({ taints: node.node.spec.taints ?? [], tolerations: pod.spec.tolerations ?? [] }));
      return failure ?? value!.status;
    },
    score(_state, pod, node) {
      const { value, failure } = pluginCall(() => evaluate({ taints: node.node.spec.taints ?? [], tolerations: pod.spec.tolerations ?? [] }));
      return failure ? { score: 0, status: failure } : { score: value!.score, status: success() };
    },
    normalizeScore(_state, _pod, scores) {
      defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
      return success();
    },
  };
}
