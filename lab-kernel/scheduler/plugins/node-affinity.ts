import type { Node, Pod } from '../../api/types';
import { objectsAs } from '../cluster-events';
import {
  MAX_NODE_SCORE,
  skip,
  success,
  unresolvable,
  type FilterPlugin,
  type Handle,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework-types';
import { NODE_FIELD_NAME } from './node-affinity-contract';
import { defaultNormalizeScore } from './normalize-score';
import { pluginCall } from '../scheduler-code';
import type { NodeAffinityFn } from './node-affinity-contract';

/**
 * NodeAffinity: spec.nodeSelector and the required node affinity decide where a pod may run
 * (Filter); the preferred terms' weights say where it would rather run (Score, normalised so
 * the best node gets 100).
 *
 *   pod with nodeSelector disktype=ssd, node labelled disktype=hdd
 *   // => filter: UnschedulableAndUnresolvable "node(s) didn't match Pod's node affinity/selector"
 *
 * PreFilter narrows the nodes when every required term names nodes by matchFields
 * metadata.name In (as kube-scheduler does for DaemonSet pods), and skips the plugin when
 * the pod has neither a nodeSelector nor a required affinity. The pure logic is exercise
 * `node-affinity` (node-affinity-contract.ts).
 *
 * QueueingHints (1.32), from the same function: a pod it rejected is retried when a node is
 * added that matches, or a node's labels change from not matching to matching.
 */
export const NODE_AFFINITY = 'NodeAffinity';

/** kube-scheduler's errReasonConflict: required terms that name no node at all. */
export const ERR_REASON_CONFLICT = "pod affinity terms conflict";

export function nodeAffinityPlugin(handle: Handle, args: { evaluate: NodeAffinityFn }): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  void handle;
  const evaluate = args.evaluate;
  return {
    name: NODE_AFFINITY,
    preFilter(_state, pod) {
      const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (!pod.spec.nodeSelector && !required) return { status: skip() };
      const nodeNames = requiredNodeNames(pod);
      if (nodeNames?.size === 0) return { status: unresolvable(ERR_REASON_CONFLICT) };
      const result: PreFilterResult | undefined = nodeNames ? { nodeNames } : undefined;
      return { result, status: success() };
    },
    filter(_state, pod, node) {
      const { value, failure } = pluginCall(() => evaluate({ pod, node: node.node }));
      return failure ?? value!.status;
    },
    preScore(_state, pod) {
      const preferred = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      return preferred.length === 0 ? skip() : success();
    },
    score(_state, pod, node) {
      const { value, failure } = pluginCall(() => evaluate({ pod, node: node.node }));
      return failure ? { score: 0, status: failure } : { score: value!.score, status: success() };
    },
    normalizeScore(_state, _pod, scores) {
      defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
      return success();
    },
    eventsToRegister: () => {
      // The Filter's verdict: nodeSelector and required node affinity. Learner code that throws makes the hint Queue.
      const matches = (pod: Readonly<Pod>, node: Readonly<Node>) => evaluate({ pod, node }).status.code === 'Success';
      return [
        {
          event: { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] },
          // A node that matches now and did not before (a new node did not).
          hint: (pod, oldObj, newObj) => {
            const [original, modified] = objectsAs<Node>('Node', oldObj, newObj);
            if (!matches(pod, modified!)) return 'QueueSkip';
            return original === undefined || !matches(pod, original) ? 'Queue' : 'QueueSkip';
          },
        },
      ];
    },
  };
}

/**
 * The only nodes the required affinity can match, when every term names them with
 * matchFields metadata.name In (the union over terms, the intersection within one);
 * undefined when some term could match any node.
 *
 *   terms [[metadata.name In (n1, n2)], [metadata.name In (n3)]]   // => Set { n1, n2, n3 }
 *   terms [[metadata.name In (n1)], [zone In (a)]]                 // => undefined
 */
export function requiredNodeNames(pod: Readonly<Pod>): Set<string> | undefined {
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  const union = new Set<string>();
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== NODE_FIELD_NAME || r.operator !== 'In') continue;
      const values = new Set(r.values ?? []);
      names = names === undefined ? values : new Set([...names].filter((n) => values.has(n)));
    }
    if (names === undefined) return undefined;
    for (const n of names) union.add(n);
  }
  return union;
}
