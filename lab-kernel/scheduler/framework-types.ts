import type { Node, Pod } from '../api/types';
import type { ClusterEvent } from './cluster-events';

/**
 * The scheduling framework's contracts, after kube-scheduler's
 * pkg/scheduler/framework/interface.go: one small interface per extension point, a plugin
 * implements the ones it needs.
 *
 *   scheduling cycle (one pod at a time)          binding cycle (asynchronous)
 *   QueueSort -> PreFilter -> Filter -> PostFilter      Permit (wait) -> PreBind -> Bind -> PostBind
 *             -> PreScore -> Score -> NormalizeScore
 *             -> Reserve
 *
 *   Filter   "can this pod run on this node at all?"        => Success | Unschedulable(reasons)
 *   Score    "how good is this node?" 0..MAX_NODE_SCORE     => then normalised, times the plugin's weight
 *   the node with the highest total wins (a seeded random pick among ties)
 *
 * Everything here is data plus pure functions of (state, pod, node info): the scheduler
 * runtime (scheduler.ts) owns the queue, the cache, time and the API calls.
 */

/** kube-scheduler's framework.Code, with its meaning. */
export type Code =
  /** The plugin ran and found nothing wrong. */
  | 'Success'
  /** Something went wrong inside the plugin (not the pod's fault): the pod is retried with backoff. */
  | 'Error'
  /** The pod does not fit this node now; preemption might help. */
  | 'Unschedulable'
  /** The pod does not fit this node and preemption cannot change that (e.g. a node selector mismatch). */
  | 'UnschedulableAndUnresolvable'
  /** Permit: hold the pod until another plugin allows or rejects it. */
  | 'Wait'
  /** PreFilter/PreScore: this plugin has nothing to do for this pod; skip its Filter/Score. */
  | 'Skip';

export interface Status {
  code: Code;
  /** Why, in kube-scheduler's words: "node(s) didn't match Pod's node affinity/selector". */
  reasons: string[];
  /** The plugin that returned it (filled in by the framework). */
  plugin?: string;
}

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/** Quantities the scheduler adds up: CPU in millicores, memory and storage in bytes, pods as a count. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  /** Extended resources (nvidia.com/gpu, ...), by name. */
  scalar: Record<string, number>;
}

/** A pod as the scheduler's cache holds it, with its requests already summed. */
export interface PodInfo {
  pod: Readonly<Pod>;
  requests: Resource;
}

/**
 * What the scheduler knows of one node: the Node object, the pods on it (bound or assumed),
 * and the sums the filters need, as kube-scheduler's framework.NodeInfo.
 */
export interface NodeInfo {
  node: Readonly<Node>;
  pods: PodInfo[];
  /** The pods among them with a required anti-affinity term (PodsWithRequiredAntiAffinity): what InterPodAffinity checks of other pods. */
  podsWithRequiredAntiAffinity: PodInfo[];
  /** Sum of the requests of the pods on the node. */
  requested: Resource;
  /** Like requested, but a container without requests counts as 100m CPU and 200 MiB (for scoring only). */
  nonZeroRequested: Resource;
  allocatable: Resource;
  /** Host ports in use: `${protocol}/${hostIP}/${port}`. */
  usedPorts: Set<string>;
  /** Images on the node (from node.status.images): name => size in bytes. */
  imageSizes: Record<string, number>;
}

/** Data plugins keep for the duration of one scheduling cycle (PreFilter computes, Filter reads). */
export type CycleState = Map<string, unknown>;

/**
 * The view of the cluster one scheduling cycle works on: taken once, at the start of the cycle.
 * Besides the nodes, it answers two questions a plugin would otherwise ask of every node for
 * every pod, as kube-scheduler's snapshot does (so a cycle's cost does not grow with the nodes
 * it never looks at): which nodes hold a pod with required anti-affinity, and how many nodes
 * hold an image.
 */
export interface Snapshot {
  nodeInfos(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** The nodes that hold a pod with a required anti-affinity term, in node order (HavePodsWithRequiredAntiAffinityList). */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
  /** How many nodes hold the image, by a name in their node status (ImageStateSummary.NumNodes). */
  nodesWithImage(image: string): number;
}

/**
 * A snapshot of these node infos, worked out from them at once (for tests, and a framework
 * before its first cycle); the scheduler's cache keeps its own up to date instead.
 *
 *   snapshotOf([nodeInfoFor(node1), nodeInfoFor(node2)]).nodesWithImage('nginx:1.27')   // => 2 if both have it
 */
export function snapshotOf(infos: readonly NodeInfo[]): Snapshot {
  const byName = new Map(infos.map((i) => [i.node.metadata.name!, i]));
  const anti = infos.filter((i) => i.podsWithRequiredAntiAffinity.length > 0);
  const images = new Map<string, number>();
  for (const info of infos) for (const image in info.imageSizes) images.set(image, (images.get(image) ?? 0) + 1);
  return {
    nodeInfos: () => infos,
    get: (name) => byName.get(name),
    havePodsWithRequiredAntiAffinity: () => anti,
    nodesWithImage: (image) => images.get(image) ?? 0,
  };
}

/** What plugins may ask of the framework. */
export interface Handle {
  snapshot(): Snapshot;
}

export interface Plugin {
  readonly name: string;
  /**
   * EnqueueExtensions: the cluster events that may make a pod this plugin rejected
   * schedulable, each with a QueueingHint that looks at the change itself. Only PreFilter,
   * Filter, Reserve and Permit plugins are asked; one of those that leaves it out is woken by
   * every event (queueing-hint-map.ts). An empty list: no event can help, only the pod's own
   * update or the 5-minute flush.
   */
  eventsToRegister?(): ClusterEventWithHint[];
}

/**
 * A plugin's verdict on one event for one pod it rejected: 'Queue' (it may fit now: retry it
 * after its backoff) or 'QueueSkip' (this change cannot help it).
 */
export type QueueingHint = 'Queue' | 'QueueSkip';

/**
 * QueueingHintFn: `oldObj` and `newObj` are the object before and after the event (a Node, a
 * Pod, a PersistentVolumeClaim), `oldObj` undefined for an Add, `newObj` undefined for a
 * Delete. A hint that throws counts as 'Queue'.
 *
 *   NodeResourcesFit's hint(pod asking 6 CPUs, node-1 with 4, node-1 with 8)   // => 'Queue'
 *   NodeResourcesFit's hint(pod asking 6 CPUs, node-1 with 4, node-1 with 5)   // => 'QueueSkip'
 */
export type QueueingHintFn = (pod: Readonly<Pod>, oldObj: unknown, newObj: unknown) => QueueingHint;

/** One registration: an event (the actions a plugin cares about) and its hint; no hint means always 'Queue'. */
export interface ClusterEventWithHint {
  event: ClusterEvent;
  hint?: QueueingHintFn;
}

export interface QueuedPodInfo {
  pod: Readonly<Pod>;
  /** When it (last) entered the active queue, in virtual ms. */
  timestamp: number;
  attempts: number;
  /** The plugins that rejected it last time: only their QueueingHints decide whether an event moves it back. */
  unschedulablePlugins: Set<string>;
}

export interface QueueSortPlugin extends Plugin {
  /** Whether `a` should be scheduled before `b` (PrioritySort: higher priority, then earlier). */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

export interface PreFilterResult {
  /** Only these nodes can fit the pod (e.g. NodeAffinity on metadata.name); undefined: all. */
  nodeNames?: Set<string>;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Readonly<Pod>, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status };
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Readonly<Pod>, node: NodeInfo): Status;
}

/** Filter verdicts of every node that was tried, by node name. */
export type NodeToStatus = Map<string, Status>;

export interface PostFilterPlugin extends Plugin {
  /** Runs only when no node passed Filter: may make room (preemption) and nominate a node. */
  postFilter(state: CycleState, pod: Readonly<Pod>, filtered: NodeToStatus): { nominatedNodeName?: string; victims?: Readonly<Pod>[]; status: Status };
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Readonly<Pod>, nodes: readonly NodeInfo[]): Status;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Readonly<Pod>, node: NodeInfo): { score: number; status: Status };
  /** Rescales this plugin's scores of all nodes into MIN_NODE_SCORE..MAX_NODE_SCORE, in place. */
  normalizeScore?(state: CycleState, pod: Readonly<Pod>, scores: NodeScore[]): Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Readonly<Pod>, nodeName: string): Status;
  unreserve(state: CycleState, pod: Readonly<Pod>, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Success, Unschedulable, or Wait (for at most timeoutMs of virtual time). */
  permit(state: CycleState, pod: Readonly<Pod>, nodeName: string): { status: Status; timeoutMs?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Readonly<Pod>, nodeName: string, done: (status: Status) => void): void;
}

/** Bind is an API call: it answers later, through `done`. Skip passes the pod to the next binder. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: Readonly<Pod>, nodeName: string, done: (status: Status) => void): void;
}

/** One shared, frozen Success: plugins answer it on every node of every cycle, so it is not built anew each time. */
const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: Object.freeze([]) as unknown as string[] });
export const success = (): Status => SUCCESS;
export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const skip = (): Status => ({ code: 'Skip', reasons: [] });
export const error = (reason: string): Status => ({ code: 'Error', reasons: [reason] });
export const isSuccess = (s: Status): boolean => s.code === 'Success';
