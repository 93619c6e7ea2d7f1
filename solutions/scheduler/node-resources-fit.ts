/**
 * Exercise `node-resources-fit` — does the pod fit the node, and how well?      (chapter 05)
 *
 * Every scheduler question starts here. A pod's containers request CPU and memory (and
 * maybe GPUs); a node offers its allocatable resources; the pods already on the node have
 * taken some. kube-scheduler's NodeResourcesFit plugin answers twice:
 *
 *   Filter  "is there room?"      sum of requests on the node + the pod's request <= allocatable,
 *                                  for every resource the pod asks for, and one more pod slot
 *   Score   "how good a fit?"     0..100, by default the LeastAllocated strategy: emptier is better,
 *                                  so pods spread out over the nodes
 *
 * The scheduler never looks at actual usage, only at requests: a pod that requests nothing
 * always fits (as long as there is a pod slot).
 *
 * Units: CPU in millicores (cpu: 500m => 500), memory in bytes, extended resources such as
 * nvidia.com/gpu in units, under `scalar` (see lab-kernel/scheduler/framework-types.ts, Resource).
 *
 * Input => output, by example (node: allocatable 4 CPU, 8Gi, 110 pods):
 *
 *   request cpu 500m, node requested cpu 3800m              => Unschedulable ['Insufficient cpu']
 *   request cpu 500m + memory 9Gi, node empty               => Unschedulable ['Insufficient memory']
 *   request nvidia.com/gpu 1, node has no GPUs              => Unschedulable ['Insufficient nvidia.com/gpu']
 *   nothing requested, 110 pods on the node already         => Unschedulable ['Too many pods']
 *   nonZeroRequest cpu 1 / memory 200Mi, empty node         => Success, score 86
 *       cpu:    (4000 - 1000) * 100 / 4000           = 75
 *       memory: (8Gi - 200Mi) * 100 / 8Gi           = 97 (97.56 truncated: integers, as in Go)
 *       weighted average (75 * 1 + 97 * 1) / (1 + 1) = 86
 *
 * Run the cluster on your code with createCluster({ use: { 'node-resources-fit': 'exercise' } })
 * and grade it with  npm run grade -- node-resources-fit
 */
import { MAX_NODE_SCORE, success, unschedulable, type Resource } from '../../lab-kernel/scheduler/framework-types';
import {
  amountOf,
  MAX_CUSTOM_PRIORITY_SCORE,
  type NodeResources,
  type NodeResourcesFitInput,
  type NodeResourcesFitResult,
  type ScoringStrategy,
} from '../../lab-kernel/scheduler/plugins/node-resources-fit-contract';
import type { UtilizationShapePoint } from '../../lab-kernel/scheduler/plugins/node-resources-fit-contract';

/**
 * The plugin: Filter first; if the pod fits, the Score.
 *   insufficientResources(...) not empty => { status: unschedulable(...reasons), score: 0 }
 *   otherwise                            => { status: success(), score: scoreNode(...) }
 * (success and unschedulable come from lab-kernel/scheduler/framework-types.ts.)
 */
export function nodeResourcesFit(input: NodeResourcesFitInput): NodeResourcesFitResult {
  void success;
  void unschedulable;
  // BEGIN SOLUTION
  // The original: kube-scheduler's plugins/noderesources (fit.go, least_allocated.go,
  // most_allocated.go, requested_to_capacity_ratio.go).
  const reasons = insufficientResources(input.request, input.node);
  if (reasons.length > 0) return { status: unschedulable(...reasons), score: 0 };
  return { status: success(), score: scoreNode(input.nonZeroRequest, input.request, input.node, input.strategy) };
  // END SOLUTION
}

/**
 * TODO(1) Filter: the reasons the pod does not fit, in this order:
 *   'Too many pods'                 when node.podCount + 1 > node.allocatable.allowedPodNumber
 *   'Insufficient cpu'              when allocatable < node requested + pod request
 *   'Insufficient memory'           likewise
 *   'Insufficient ephemeral-storage'
 *   'Insufficient <name>'           for each extended resource in request.scalar
 * Only check a resource the pod actually asks for (request > 0). amountOf(resource, name)
 * reads any of them by name.
 *
 *   request { cpu 500m }, node allocatable 4 CPU, requested 3500m  => []            (exactly full is fine)
 *   request { cpu 501m }, same node                                 => ['Insufficient cpu']
 */
export function insufficientResources(request: Readonly<Resource>, node: Readonly<NodeResources>): string[] {
  void amountOf;
  // BEGIN SOLUTION
  // kube-scheduler's fitsRequest.
  const reasons: string[] = [];
  if (node.podCount + 1 > node.allocatable.allowedPodNumber) reasons.push('Too many pods');
  const names = ['cpu', 'memory', 'ephemeral-storage', ...Object.keys(request.scalar)];
  for (const name of names) {
    const asked = amountOf(request, name);
    if (asked === 0) continue;
    if (amountOf(node.allocatable, name) < asked + amountOf(node.requested, name)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
  // END SOLUTION
}

/**
 * TODO(2) Score: for each { name, weight } of strategy.resources, skip it if the node's
 * allocatable amount is 0; otherwise work out `requested` after placing the pod:
 *   cpu and memory:   node.nonZeroRequested + nonZeroRequest   (the 100m / 200Mi defaults count)
 *   anything else:    node.requested + request
 * and add resourceScore(strategy, requested, allocatable) * weight; divide by the sum of the
 * weights used (0 if none). LeastAllocated and MostAllocated truncate (Math.trunc);
 * RequestedToCapacityRatio rounds (Math.round).
 *
 *   cpu score 75, memory score 97, weights 1 and 1  => 86
 */
export function scoreNode(nonZeroRequest: Readonly<Resource>, request: Readonly<Resource>, node: Readonly<NodeResources>, strategy: Readonly<ScoringStrategy>): number {
  // BEGIN SOLUTION
  let total = 0;
  let weights = 0;
  for (const { name, weight } of strategy.resources) {
    const allocatable = amountOf(node.allocatable, name);
    if (allocatable === 0) continue;
    // cpu and memory count containers that ask nothing as 100m / 200Mi; other resources as asked.
    const nonZero = name === 'cpu' || name === 'memory';
    const requested = nonZero ? amountOf(node.nonZeroRequested, name) + amountOf(nonZeroRequest, name) : amountOf(node.requested, name) + amountOf(request, name);
    total += resourceScore(strategy, requested, allocatable) * weight;
    weights += weight;
  }
  if (weights === 0) return 0;
  return strategy.type === 'RequestedToCapacityRatio' ? Math.round(total / weights) : Math.trunc(total / weights);
  // END SOLUTION
}

/**
 * TODO(3) One resource's score, 0..100, integer arithmetic (Math.trunc after dividing):
 *   LeastAllocated:   (allocatable - requested) * 100 / allocatable; 0 when requested > allocatable
 *                     requested 1000, allocatable 4000 => 75
 *   MostAllocated:    requested * 100 / allocatable, with requested capped at allocatable
 *                     requested 1000, allocatable 4000 => 25;  5000 of 4000 => 100
 *
 * TODO(4) RequestedToCapacityRatio: utilization = requested * 100 / allocatable (truncated;
 * 100 when requested > allocatable), then the piecewise linear curve strategy.shape, whose
 * scores 0..10 are first multiplied by 100 / MAX_CUSTOM_PRIORITY_SCORE (so 0..100):
 *   below the first point: its score; above the last: the last score; between points a and b:
 *   a.score + (b.score - a.score) * (utilization - a.utilization) / (b.utilization - a.utilization)
 *   shape [{0, 0}, {100, 10}] (bin packing), utilization 25   => 25
 *   shape [{0, 10}, {100, 0}] (spreading),   utilization 25   => 75
 */
export function resourceScore(strategy: Readonly<ScoringStrategy>, requested: number, allocatable: number): number {
  void MAX_CUSTOM_PRIORITY_SCORE;
  // BEGIN SOLUTION
  /** The shape as a piecewise linear function of utilization, its 0..10 scores scaled to 0..100. */
  function brokenLinear(shape: readonly UtilizationShapePoint[], utilization: number): number {
    const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
    for (let i = 0; i < shape.length; i++) {
      if (utilization <= shape[i].utilization) {
        if (i === 0) return shape[0].score * scale;
        const [a, b] = [shape[i - 1], shape[i]];
        return a.score * scale + Math.trunc(((b.score - a.score) * scale * (utilization - a.utilization)) / (b.utilization - a.utilization));
      }
    }
    return shape.length === 0 ? 0 : shape[shape.length - 1].score * scale;
  }

  switch (strategy.type) {
    case 'LeastAllocated':
      if (requested > allocatable) return 0;
      return Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
    case 'MostAllocated':
      // Requests may exceed capacity (the 100m / 200Mi defaults): count the node as full.
      return Math.trunc((Math.min(requested, allocatable) * MAX_NODE_SCORE) / allocatable);
    case 'RequestedToCapacityRatio': {
      const utilization = requested > allocatable ? 100 : Math.trunc((requested * 100) / allocatable);
      return brokenLinear(strategy.shape ?? [], utilization);
    }
  }
  // END SOLUTION
}
