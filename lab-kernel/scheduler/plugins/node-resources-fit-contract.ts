import type { Resource, Status } from '../framework-types';

/**
 * The contract of NodeResourcesFit, kube-scheduler's resource check (plugins/noderesources):
 * a pure function from what a pod asks for and what a node has to a Filter verdict and a
 * raw Score. The kernel plugin (node-resources-fit.ts) computes the pod's requests once per
 * scheduling cycle and calls it for each node.
 *
 *   nodeResourcesFit({ request: cpu 500m, node: allocatable cpu 4, requested cpu 3800m, ... })
 *   // => { status: Unschedulable ['Insufficient cpu'], score: 0 }
 *   nodeResourcesFit({ request: cpu 1, nonZeroRequest: cpu 1 / 200Mi, node: 4 CPU / 8Gi empty, LeastAllocated })
 *   // => { status: Success, score: 86 }     ((75 + 97) / 2, see below)
 *
 * Exercise `node-resources-fit` (exercises/scheduler/node-resources-fit.ts) implements it;
 * the reference is in solutions/scheduler/node-resources-fit.ts.
 */

/** One resource the score looks at, and its weight in the average: { name: 'cpu', weight: 1 }. */
export interface ResourceSpec {
  name: string;
  weight: number;
}

/** A point of RequestedToCapacityRatio's curve: at this utilization (0..100), this score (0..10). */
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/**
 * NodeResourcesFitArgs.scoringStrategy:
 *   LeastAllocated (the default)  favours the emptiest nodes: spreads pods out;
 *   MostAllocated                 favours the fullest nodes: packs pods (bin packing);
 *   RequestedToCapacityRatio      follows `shape`, a curve from utilization to score.
 */
export interface ScoringStrategy {
  type: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
  resources: ResourceSpec[];
  /** Only for RequestedToCapacityRatio: points sorted by utilization. */
  shape?: UtilizationShapePoint[];
}

/** kube-scheduler's default: LeastAllocated over cpu and memory, weight 1 each. */
export const DEFAULT_SCORING_STRATEGY: ScoringStrategy = {
  type: 'LeastAllocated',
  resources: [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
  ],
};

/** A RequestedToCapacityRatio shape's scores go 0..10; the score is scaled by this to 0..100. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;

/** What the function knows of the node: the sums of its NodeInfo, and how many pods it runs. */
export interface NodeResources {
  allocatable: Resource;
  requested: Resource;
  nonZeroRequested: Resource;
  podCount: number;
}

export interface NodeResourcesFitInput {
  /** podRequests(pod): what the Filter checks. */
  readonly request: Resource;
  /** nonZeroRequests(pod): cpu and memory with 100m / 200Mi for containers that ask nothing, for the Score. */
  readonly nonZeroRequest: Resource;
  readonly node: NodeResources;
  readonly strategy: ScoringStrategy;
}

export interface NodeResourcesFitResult {
  /** Success, or Unschedulable with one reason per resource that does not fit. */
  status: Status;
  /** The raw score 0..100 (meaningful when the pod fits). */
  score: number;
}

export type NodeResourcesFit = (input: NodeResourcesFitInput) => NodeResourcesFitResult;

/**
 * The amount of a resource, by name, in a Resource: cpu in millicores, memory and
 * ephemeral-storage in bytes, anything else from `scalar` (0 when absent).
 *
 *   amountOf({ milliCPU: 500, ... }, 'cpu')                        // => 500
 *   amountOf({ ..., scalar: { 'nvidia.com/gpu': 2 } }, 'nvidia.com/gpu')  // => 2
 */
export function amountOf(r: Readonly<Resource>, name: string): number {
  if (name === 'cpu') return r.milliCPU;
  if (name === 'memory') return r.memory;
  if (name === 'ephemeral-storage') return r.ephemeralStorage;
  if (name === 'pods') return r.allowedPodNumber;
  return r.scalar[name] ?? 0;
}
