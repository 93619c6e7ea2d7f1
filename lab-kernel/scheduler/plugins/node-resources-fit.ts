import type { Node, Pod } from '../../api/types';
import { objectsAs } from '../cluster-events';
import { success, type ClusterEventWithHint, type CycleState, type FilterPlugin, type Handle, type NodeInfo, type PreFilterPlugin, type Resource, type ScorePlugin } from '../framework-types';
import { allocatableOf, emptyResource, nonZeroRequests, podRequests } from '../node-info';
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
 *
 * QueueingHints (1.32): a pod it rejected is retried when
 *   - a bound pod is deleted, anywhere (whatever it requested);
 *   - a node is added that the pod fits when empty (asked of the same function, with a node
 *     of no pods), or a node's allocatable grows, in a resource the pod requests or in pods,
 *     and the pod fits it empty.
 * A label-only node change never retries it (nor would it help: labels hold no resources).
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
    eventsToRegister: () => nodeResourcesFitEvents(fit, strategy),
  };
}

/**
 * NodeResourcesFit's registrations. UpdatePodScaleDown is left out, as upstream does while
 * InPlacePodVerticalScaling is off (1.32's default): a bound pod's requests cannot shrink.
 *
 *   node hint(pod asking cpu 6, node-1 allocatable cpu 4, node-1 allocatable cpu 8)   // => Queue
 *   node hint(pod asking cpu 6, node-1 allocatable cpu 4, node-1 allocatable cpu 5)   // => QueueSkip (still too small)
 *   node hint(pod asking cpu 2, node-1 cpu 4, node-1 cpu 4 and memory 16Gi)           // => QueueSkip (no cpu increase)
 */
export function nodeResourcesFitEvents(fit: NodeResourcesFit, strategy: ScoringStrategy = DEFAULT_SCORING_STRATEGY): ClusterEventWithHint[] {
  /** isFit: Fits() against an empty NodeInfo of the node (only its allocatable; no pods). */
  const fitsEmpty = (pod: Readonly<Pod>, node: Readonly<Node>) =>
    fit({
      request: podRequests(pod),
      nonZeroRequest: nonZeroRequests(pod),
      node: { allocatable: allocatableOf(node), requested: emptyResource(), nonZeroRequested: emptyResource(), podCount: 0 },
      strategy,
    }).status.code === 'Success';
  return [
    {
      event: { resource: 'Pod', actions: ['Delete'] },
      // Any bound pod deleted may have freed what it needs (an unscheduled one held nothing).
      hint: (_pod, oldObj) => (objectsAs<Pod>('Pod', oldObj, undefined)[0]!.spec.nodeName ? 'Queue' : 'QueueSkip'),
    },
    {
      event: { resource: 'Node', actions: ['Add', 'UpdateNodeAllocatable'] },
      hint: (pod, oldObj, newObj) => {
        const [original, modified] = objectsAs<Node>('Node', oldObj, newObj);
        if (!fitsEmpty(pod, modified!)) return 'QueueSkip';
        if (original === undefined) return 'Queue';
        return requestedResourcesIncreased(podRequests(pod), allocatableOf(original), allocatableOf(modified!)) ? 'Queue' : 'QueueSkip';
      },
    },
  ];
}

/** haveAnyRequestedResourcesIncreased: more pods allowed, or more of a resource the pod requests. */
function requestedResourcesIncreased(request: Resource, before: Resource, after: Resource): boolean {
  if (after.allowedPodNumber > before.allowedPodNumber) return true;
  if ((request.milliCPU > 0 && after.milliCPU > before.milliCPU) || (request.memory > 0 && after.memory > before.memory)) return true;
  if (request.ephemeralStorage > 0 && after.ephemeralStorage > before.ephemeralStorage) return true;
  return Object.entries(request.scalar).some(([name, n]) => n > 0 && (after.scalar[name] ?? 0) > (before.scalar[name] ?? 0));
}
