import type { Node, Pod } from '../../api/types';
import type { Status } from '../framework-types';

/**
 * The contract of NodeAffinity (kube-scheduler's plugins/nodeaffinity, with
 * component-helpers/scheduling/corev1/nodeaffinity): a pure function from a pod's
 * spec.nodeSelector and spec.affinity.nodeAffinity and a node to a Filter verdict and a raw
 * Score.
 *
 *   nodeAffinity({ pod: nodeSelector { disktype: 'ssd' }, node labelled disktype=hdd })
 *   // => { status: UnschedulableAndUnresolvable ["node(s) didn't match Pod's node affinity/selector"], score: 0 }
 *   nodeAffinity({ pod: preferred [{ weight: 80, zone In [a] }, { weight: 20, ssd Exists }], node zone=a })
 *   // => { status: Success, score: 80 }
 *
 * The kernel plugin then normalises all nodes' scores (defaultNormalizeScore(100, false, ...)):
 * the best-matching node gets 100.
 *
 * Exercise `node-affinity` (exercises/scheduler/node-affinity.ts) implements it; the reference
 * is in solutions/scheduler/node-affinity.ts.
 */
export interface NodeAffinityInput {
  readonly pod: Readonly<Pod>;
  readonly node: Readonly<Node>;
}

export interface NodeAffinityResult {
  /** Success, or UnschedulableAndUnresolvable with ERR_REASON_POD. */
  status: Status;
  /** The sum of the weights of the preferred terms the node matches. */
  score: number;
}

export type NodeAffinityFn = (input: NodeAffinityInput) => NodeAffinityResult;

/** kube-scheduler's nodeaffinity.ErrReasonPod. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

/** The only field a matchFields requirement may name. */
export const NODE_FIELD_NAME = 'metadata.name';
