/**
 * Exercise `node-resources-fit` — reference solution. See exercises/scheduler/node-resources-fit.ts
 * for the specification, and kube-scheduler's plugins/noderesources (fit.go,
 * least_allocated.go, most_allocated.go, requested_to_capacity_ratio.go) for the original.
 */
import { MAX_NODE_SCORE, success, unschedulable, type Resource } from '../../lab-kernel/scheduler/framework-types';
import {
  amountOf,
  MAX_CUSTOM_PRIORITY_SCORE,
  type NodeResources,
  type NodeResourcesFitInput,
  type NodeResourcesFitResult,
  type ScoringStrategy,
  type UtilizationShapePoint,
} from '../../lab-kernel/scheduler/plugins/node-resources-fit-contract';

export function nodeResourcesFit(input: NodeResourcesFitInput): NodeResourcesFitResult {
  const reasons = insufficientResources(input.request, input.node);
  if (reasons.length > 0) return { status: unschedulable(...reasons), score: 0 };
  return { status: success(), score: scoreNode(input.nonZeroRequest, input.request, input.node, input.strategy) };
}

/** fitsRequest: the reasons the pod does not fit, in kube-scheduler's order. */
export function insufficientResources(request: Readonly<Resource>, node: Readonly<NodeResources>): string[] {
  const reasons: string[] = [];
  if (node.podCount + 1 > node.allocatable.allowedPodNumber) reasons.push('Too many pods');
  const names = ['cpu', 'memory', 'ephemeral-storage', ...Object.keys(request.scalar)];
  for (const name of names) {
    const asked = amountOf(request, name);
    if (asked === 0) continue;
    if (amountOf(node.allocatable, name) < asked + amountOf(node.requested, name)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** The weighted average of the per-resource scores, skipping resources the node does not have. */
export function scoreNode(nonZeroRequest: Readonly<Resource>, request: Readonly<Resource>, node: Readonly<NodeResources>, strategy: Readonly<ScoringStrategy>): number {
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
}

/** One resource's score 0..100 under the strategy. */
export function resourceScore(strategy: Readonly<ScoringStrategy>, requested: number, allocatable: number): number {
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
}

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
