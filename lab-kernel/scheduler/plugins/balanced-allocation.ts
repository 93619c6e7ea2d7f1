import { MAX_NODE_SCORE, success, type CycleState, type Handle, type NodeInfo, type PreScorePlugin, type ScorePlugin } from '../framework-types';
import { podRequests } from '../node-info';
import { amountOf, type ResourceSpec } from './node-resources-fit-contract';
import type { Pod } from '../../api/types';

/**
 * NodeResourcesBalancedAllocation: prefers nodes whose resources would be used evenly after
 * placing the pod, so that no node ends up with all its CPU taken and its memory idle.
 * The score is (1 - standard deviation of the used fractions) * 100; for the usual two
 * resources the deviation is |cpuFraction - memoryFraction| / 2.
 *
 *   fractions cpu 0.5, memory 0.5    // => 100
 *   fractions cpu 0.8, memory 0.2    // => 70   ((1 - 0.3) * 100)
 *
 * It counts requests as they are (no 100m / 200Mi defaults), as kube-scheduler does.
 */
export const BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';
const STATE_KEY = `PreScore${BALANCED_ALLOCATION}`;

/** The score from the used fraction of each resource (fractions above 1 count as 1). */
export function balancedScore(fractions: readonly number[]): number {
  const capped = fractions.map((f) => Math.min(f, 1));
  let std = 0;
  if (capped.length === 2) {
    std = Math.abs((capped[0] - capped[1]) / 2);
  } else if (capped.length > 2) {
    const mean = capped.reduce((a, b) => a + b, 0) / capped.length;
    std = Math.sqrt(capped.reduce((sum, f) => sum + (f - mean) * (f - mean), 0) / capped.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** The fractions of the node's allocatable that would be requested with the pod on it, per resource it has. */
export function usedFractions(node: NodeInfo, request: ReturnType<typeof podRequests>, resources: readonly ResourceSpec[]): number[] {
  const fractions: number[] = [];
  for (const { name } of resources) {
    const allocatable = amountOf(node.allocatable, name);
    if (allocatable === 0) continue;
    fractions.push((amountOf(node.requested, name) + amountOf(request, name)) / allocatable);
  }
  return fractions;
}

export interface BalancedAllocationArgs {
  /** The resources compared (default cpu and memory). */
  resources?: ResourceSpec[];
}

export function balancedAllocationPlugin(handle: Handle, args: BalancedAllocationArgs = {}): PreScorePlugin & ScorePlugin {
  void handle;
  const resources = args.resources ?? [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
  ];
  const requestOf = (state: CycleState, pod: Readonly<Pod>) => (state.get(STATE_KEY) as ReturnType<typeof podRequests> | undefined) ?? podRequests(pod);
  return {
    name: BALANCED_ALLOCATION,
    preScore(state, pod) {
      state.set(STATE_KEY, podRequests(pod));
      return success();
    },
    score(state, pod, node) {
      return { score: balancedScore(usedFractions(node, requestOf(state, pod), resources)), status: success() };
    },
  };
}
