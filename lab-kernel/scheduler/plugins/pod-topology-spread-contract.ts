import type { Labels, Pod } from '../../api/types';
import type { Status } from '../framework-types';

/**
 * The contract of PodTopologySpread (kube-scheduler's plugins/podtopologyspread): a pure
 * function from a pod, every node with the pods on it, and (for scoring) the nodes that
 * passed Filter, to a Filter verdict per node and a final Score per feasible node.
 *
 * Unlike the other plugins it needs the whole cluster at once: how many matching pods each
 * zone (or host, or any topology domain) already has. kube-scheduler counts them once per
 * scheduling cycle (PreFilter, PreScore); the kernel plugin calls this function at those two
 * points and reads the answers in Filter and Score.
 *
 *   podTopologySpread({ pod: app=web, maxSkew 1 on zone, DoNotSchedule;
 *                       nodes: n1 (zone a, 2 web pods), n2 (zone b, 1 web pod) })
 *   // => { filter: { n1: Unschedulable ["node(s) didn't match pod topology spread constraints"], n2: Success }, score: {} }
 *
 * Exercise `pod-topology-spread` (exercises/scheduler/pod-topology-spread.ts) implements it;
 * the reference is in solutions/scheduler/pod-topology-spread.ts.
 */
export interface TopologyNode {
  name: string;
  labels: Labels;
  /** The pods on the node (bound or assumed). */
  pods: readonly Readonly<Pod>[];
  /**
   * Whether the node passes the incoming pod's nodeSelector and required node affinity:
   * nodes that do not are left out of the counting (nodeAffinityPolicy: Honor, the default).
   */
  matchesNodeAffinity: boolean;
}

export interface PodTopologySpreadInput {
  readonly pod: Readonly<Pod>;
  /** Every node in the cluster. */
  readonly nodes: readonly TopologyNode[];
  /** The names of the nodes that passed Filter: when given, score them. */
  readonly feasible?: readonly string[];
}

export interface PodTopologySpreadResult {
  /** For every node: Success, or why the pod may not go there (DoNotSchedule constraints). */
  filter: Record<string, Status>;
  /**
   * For every feasible node, the final score 0..100 after normalising (ScheduleAnyway
   * constraints); empty when `feasible` was not given or the pod has no such constraint.
   */
  score: Record<string, number>;
}

export type PodTopologySpreadFn = (input: PodTopologySpreadInput) => PodTopologySpreadResult;

/** kube-scheduler's podtopologyspread.ErrReasonConstraintsNotMatch. */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
/** ErrReasonNodeLabelNotMatch: the node lacks a constraint's topologyKey label. */
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

/** The well-known hostname label, which the Score counts per node rather than per domain. */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
