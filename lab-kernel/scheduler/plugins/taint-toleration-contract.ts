import type { Taint, Toleration } from '../../api/types';
import type { Status } from '../framework-types';

/**
 * The contract of TaintToleration (kube-scheduler's plugins/tainttoleration): a pure function
 * from a node's taints and a pod's tolerations to a Filter verdict and a raw Score.
 *
 *   taintToleration({ taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }], tolerations: [] })
 *   // => { status: UnschedulableAndUnresolvable ['node(s) had untolerated taint {gpu: true}'], score: 0 }
 *   taintToleration({ taints: [{ key: 'spot', effect: 'PreferNoSchedule' }], tolerations: [] })
 *   // => { status: Success, score: 1 }   (one PreferNoSchedule taint not tolerated)
 *
 * The raw score counts what is bad about the node; the kernel plugin then normalises all
 * nodes' scores reversed (defaultNormalizeScore(100, true, ...)): the node with the most
 * intolerable PreferNoSchedule taints gets 0, a node with none gets 100.
 *
 * Exercise `taint-toleration` (exercises/scheduler/taint-toleration.ts) implements it; the
 * reference is in solutions/scheduler/taint-toleration.ts.
 */
export interface TaintTolerationInput {
  /** node.spec.taints. */
  readonly taints: readonly Taint[];
  /** pod.spec.tolerations. */
  readonly tolerations: readonly Toleration[];
}

export interface TaintTolerationResult {
  /** Success, or UnschedulableAndUnresolvable naming the first NoSchedule/NoExecute taint not tolerated. */
  status: Status;
  /** The number of PreferNoSchedule taints no toleration tolerates. */
  score: number;
}

export type TaintTolerationFn = (input: TaintTolerationInput) => TaintTolerationResult;
