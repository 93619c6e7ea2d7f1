import type { Pod } from '../../api/types';
import { success, type CycleState, type FilterPlugin, type Handle, type NodeInfo, type PreFilterPlugin, type Resource, type ScorePlugin } from '../framework-types';
import { nonZeroRequests, podRequests } from '../node-info';
import { DEFAULT_SCORING_STRATEGY, type NodeResourcesFitInput, type ScoringStrategy } from './node-resources-fit-contract';
import { pluginCall } from '../scheduler-code';
import type { NodeResourcesFit } from './node-resources-fit-contract';

/**
 * NodeResourcesFit: does the pod's request fit the node's free allocatable resources
 * (Filter), and how full would the node be (Score, LeastAllocated by default)?
 *
 *   pod requesting cpu 2 on a node with 4 CPU of which 3 are requested
 *   // => filter: Unschedulable "Insufficient cpu"
 *
 * The pure logic is exercise `node-resources-fit` (the contract in node-resources-fit-contract.ts);
 * this plugin sums the pod's requests once per cycle (PreFilter) and calls it per node.
 */
export const NODE_RESOURCES_FIT = 'NodeResourcesFit';
const STATE_KEY = `PreFilter${NODE_RESOURCES_FIT}`;

export interface NodeResourcesFitArgs {
  /** The pure fit and score (exercise node-resources-fit). */
  fit: NodeResourcesFit;
  /** NodeResourcesFitArgs.scoringStrategy (default: LeastAllocated, cpu:1 memory:1). */
  scoringStrategy?: ScoringStrategy;
}

interface PodRequests {
  request: Resource;
  nonZeroRequest: Resource;
}

export function nodeResourcesFitPlugin(handle: Handle, args: NodeResourcesFitArgs): PreFilterPlugin & FilterPlugin & ScorePlugin {
  void handle;
  const fit = args.fit;
  const strategy = args.scoringStrategy ?? DEFAULT_SCORING_STRATEGY;
  // The hot path of every scheduling cycle (once per node tried): no copies of the requests.
  const inputFor = (state: CycleState, pod: Readonly<Pod>, node: NodeInfo): NodeResourcesFitInput => {
    const r = (state.get(STATE_KEY) as PodRequests | undefined) ?? { request: podRequests(pod), nonZeroRequest: nonZeroRequests(pod) };
    return {
      request: r.request,
      nonZeroRequest: r.nonZeroRequest,
      node: { allocatable: node.allocatable, requested: node.requested, nonZeroRequested: node.nonZeroRequested, podCount: node.pods.length },
      strategy,
    };
  };
  const run = (input: NodeResourcesFitInput) => pluginCall(() => fit(input));
  return {
    name: NODE_RESOURCES_FIT,
    preFilter(state, pod) {
      state.set(STATE_KEY, { request: podRequests(pod), nonZeroRequest: nonZeroRequests(pod) });
      return { status: success() };
    },
    filter(state, pod, node) {
      const { value, failure } = run(inputFor(state, pod, node));
      return failure ?? value!.status;
    },
    score(state, pod, node) {
      const { value, failure } = run(inputFor(state, pod, node));
      return failure ? { score: 0, status: failure } : { score: value!.score, status: success() };
    },
  };
}
