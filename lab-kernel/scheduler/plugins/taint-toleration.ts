import type { Node, Pod, Taint } from '../../api/types';
import { isSamePod, objectsAs } from '../cluster-events';
import { MAX_NODE_SCORE, success, type CycleState, type Status, type FilterPlugin, type Handle, type NodeInfo, type ScorePlugin } from '../framework-types';
import { defaultNormalizeScore } from './normalize-score';
import { pluginCall } from '../scheduler-code';
import type { TaintTolerationFn, TaintTolerationResult } from './taint-toleration-contract';

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
 * The pure logic is exercise `taint-toleration` (taint-toleration-contract.ts). The
 * QueueingHints ask it too: a pod it rejected is retried when a node is added, or its taints
 * change, such that the node goes from an untolerated taint to none (a label change never
 * retries it), or when the pod itself gets a new toleration.
 */
export const TAINT_TOLERATION = 'TaintToleration';
const ANSWERS_KEY = `${TAINT_TOLERATION}/answers`;

export function taintTolerationPlugin(handle: Handle, args: { evaluate: TaintTolerationFn }): FilterPlugin & ScorePlugin {
  void handle;
  const evaluate = args.evaluate;
  // One answer gives both the Filter's verdict and the Score's count, and it depends only on the
  // node's taints and the pod's tolerations: asked once per node per cycle, kept for Score.
  const answer = (state: CycleState, pod: Readonly<Pod>, node: NodeInfo) => {
    let answers = state.get(ANSWERS_KEY) as Map<Readonly<Node>, { value?: TaintTolerationResult; failure?: Status }> | undefined;
    if (answers === undefined) state.set(ANSWERS_KEY, (answers = new Map()));
    let found = answers.get(node.node);
    if (found === undefined) answers.set(node.node, (found = pluginCall(() => evaluate({ taints: node.node.spec.taints ?? [], tolerations: pod.spec.tolerations ?? [] }))));
    return found;
  };
  return {
    name: TAINT_TOLERATION,
    filter(state, pod, node) {
      const { value, failure } = answer(state, pod, node);
      return failure ?? value!.status;
    },
    score(state, pod, node) {
      const { value, failure } = answer(state, pod, node);
      return failure ? { score: 0, status: failure } : { score: value!.score, status: success() };
    },
    normalizeScore(_state, _pod, scores) {
      defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
      return success();
    },
    eventsToRegister: () => {
      // Whether a NoSchedule or NoExecute taint is not tolerated: the Filter's verdict. Learner code that throws makes the hint Queue.
      const untolerated = (taints: readonly Taint[] | undefined, pod: Readonly<Pod>) => evaluate({ taints: taints ?? [], tolerations: pod.spec.tolerations ?? [] }).status.code !== 'Success';
      return [
        {
          event: { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] },
          // Untolerated before (a new node counts as untolerated), tolerated now.
          hint: (pod, oldObj, newObj) => {
            const [original, modified] = objectsAs<Node>('Node', oldObj, newObj);
            const was = original === undefined || untolerated(original.spec.taints, pod);
            return was && !untolerated(modified!.spec.taints, pod) ? 'Queue' : 'QueueSkip';
          },
        },
        {
          event: { resource: 'Pod', actions: ['UpdatePodTolerations'] },
          hint: (pod, _oldObj, newObj) => (isSamePod(objectsAs<Pod>('Pod', undefined, newObj)[1]!, pod) ? 'Queue' : 'QueueSkip'),
        },
      ];
    },
  };
}
