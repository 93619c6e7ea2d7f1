import type { Pod } from '../../api/types';
import {
  skip,
  success,
  type CycleState,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework-types';
import type { PodTopologySpreadResult, TopologyNode } from './pod-topology-spread-contract';
import { pluginCall } from '../scheduler-code';
import type { NodeAffinityFn } from './node-affinity-contract';
import type { PodTopologySpreadFn } from './pod-topology-spread-contract';
import { podTopologySpreadEvents } from './pod-topology-spread-hints';

/**
 * PodTopologySpread: keeps matching pods evenly spread over topology domains (zones, hosts):
 * DoNotSchedule constraints filter, ScheduleAnyway constraints score.
 *
 *   pod app=web with maxSkew 1 on topology.kubernetes.io/zone, zones a: 2 web pods, b: 0
 *   // => filter: nodes in zone a Unschedulable "node(s) didn't match pod topology spread constraints"
 *
 * The counting needs every node, so the pure function (exercise `pod-topology-spread`,
 * pod-topology-spread-contract.ts) runs once in PreFilter (for all nodes' Filter verdicts)
 * and once in PreScore (for the feasible nodes' final scores); Filter and Score read the
 * answers. Node inclusion follows the defaults: nodeAffinityPolicy Honor (a node the pod's
 * node affinity rejects is not counted), nodeTaintsPolicy Ignore.
 *
 * Its QueueingHints are in pod-topology-spread-hints.ts.
 *
 * Lab simplifications: matchLabelKeys is not modelled, and neither are the cluster-level
 * default constraints (maxSkew 3 on hostname, 5 on zone, ScheduleAnyway) that kube-scheduler
 * applies to a pod without constraints using the selectors of its Services and controllers.
 */
export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
const FILTER_KEY = `PreFilter${POD_TOPOLOGY_SPREAD}`;
const SCORE_KEY = `PreScore${POD_TOPOLOGY_SPREAD}`;

export interface PodTopologySpreadArgs {
  /** The pure spreading decision (exercise pod-topology-spread). */
  spread: PodTopologySpreadFn;
  /** Which nodes a pod's required node affinity allows: the reference, whichever code runs exercise node-affinity. */
  nodeAffinity: NodeAffinityFn;
}

export function podTopologySpreadPlugin(handle: Handle, args: PodTopologySpreadArgs): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const { spread, nodeAffinity } = args;
  const hasConstraint = (pod: Readonly<Pod>, when: string) => (pod.spec.topologySpreadConstraints ?? []).some((c) => c.whenUnsatisfiable === when);
  const topologyNodes = (pod: Readonly<Pod>): TopologyNode[] => {
    const constrained = pod.spec.nodeSelector !== undefined || pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
    return handle
      .snapshot()
      .nodeInfos()
      .map((info) => ({
        name: info.node.metadata.name!,
        labels: info.node.metadata.labels ?? {},
        pods: info.pods.map((p) => p.pod),
        matchesNodeAffinity: !constrained || nodeAffinity({ pod, node: info.node }).status.code === 'Success',
      }));
  };
  const run = (state: CycleState, key: string, pod: Readonly<Pod>, feasible?: string[]) => {
    const { value, failure } = pluginCall(() => spread({ pod, nodes: topologyNodes(pod), feasible }));
    if (value) state.set(key, value);
    return failure ?? success();
  };
  const result = (state: CycleState, key: string) => state.get(key) as PodTopologySpreadResult | undefined;
  return {
    name: POD_TOPOLOGY_SPREAD,
    preFilter(state, pod) {
      if (!hasConstraint(pod, 'DoNotSchedule')) return { status: skip() };
      return { status: run(state, FILTER_KEY, pod) };
    },
    filter(state, _pod, node: NodeInfo) {
      return result(state, FILTER_KEY)?.filter[node.node.metadata.name!] ?? success();
    },
    preScore(state, pod, nodes) {
      if (!hasConstraint(pod, 'ScheduleAnyway') || nodes.length === 0) return skip();
      return run(state, SCORE_KEY, pod, nodes.map((n) => n.node.metadata.name!));
    },
    score(state, _pod, node) {
      return { score: result(state, SCORE_KEY)?.score[node.node.metadata.name!] ?? 0, status: success() };
    },
    eventsToRegister: podTopologySpreadEvents,
  };
}
