import { isDeepStrictEqual } from 'util';
import { compareQuantities, milliValue, parseQuantity } from '../api/quantity';
import type { Container, Labels, Node, Pod, ResourceList } from '../api/types';

/**
 * Cluster events, as kube-scheduler 1.32 names them (pkg/scheduler/framework/types.go,
 * events.go): what changed, on which kind of object. The scheduler's informers turn every
 * change they see into one or more of these; the queue asks the plugins that rejected a pod
 * whether the event may make it schedulable (QueueingHints, queueing-hint-map.ts).
 *
 *   { resource: 'Node', actions: ['Add'] }                    a node joined
 *   { resource: 'Node', actions: ['UpdateNodeTaint'] }        a node's taints changed, or it was uncordoned
 *   { resource: 'AssignedPod', actions: ['Delete'] }          a pod bound to a node went away
 *   { resource: 'Pod', actions: ['Add', 'Delete'] }           a registration: matches an assigned or an
 *                                                             unscheduled pod added or deleted
 *
 * Upstream an ActionType is a bit and a registration ORs several; here `actions` is that set
 * of bits. An event that happened usually has one action; a change to a kind without its own
 * Update actions (a PersistentVolumeClaim) carries all of UPDATE_ACTIONS, as upstream's
 * framework.Update does.
 *
 * Lab simplifications: UpdatePodSchedulingGatesEliminated and UpdatePodGeneratedResourceClaim
 * are left out (the lab has no scheduling gates and no DRA); upstream's unexported
 * updatePodOther is 'UpdatePodOther'.
 */
export type ActionType =
  | 'Add'
  | 'Delete'
  | 'UpdateNodeAllocatable'
  | 'UpdateNodeLabel'
  | 'UpdateNodeTaint'
  | 'UpdateNodeCondition'
  | 'UpdateNodeAnnotation'
  | 'UpdatePodLabel'
  | 'UpdatePodScaleDown'
  | 'UpdatePodTolerations'
  | 'UpdatePodOther';

/** framework.Update: every Update* action. */
export const UPDATE_ACTIONS: readonly ActionType[] = [
  'UpdateNodeAllocatable',
  'UpdateNodeLabel',
  'UpdateNodeTaint',
  'UpdateNodeCondition',
  'UpdateNodeAnnotation',
  'UpdatePodLabel',
  'UpdatePodScaleDown',
  'UpdatePodTolerations',
  'UpdatePodOther',
];
/** framework.All. */
export const ALL_ACTIONS: readonly ActionType[] = ['Add', 'Delete', ...UPDATE_ACTIONS];

/**
 * The kinds of object an event is about. 'AssignedPod' and 'UnschedulablePod' are what
 * happened (a pod with or without spec.nodeName); plugins register 'Pod', which matches both.
 * '*' is the wildcard (UnschedulableTimeout: every pod is worth another try).
 */
export type EventResource =
  | 'Pod'
  | 'AssignedPod'
  | 'UnschedulablePod'
  | 'Node'
  | 'PersistentVolume'
  | 'PersistentVolumeClaim'
  | 'StorageClass'
  | 'CSINode'
  | 'CSIDriver'
  | 'CSIStorageCapacity'
  | 'ResourceClaim'
  | 'DeviceClass'
  | '*';

export interface ClusterEvent {
  readonly resource: EventResource;
  readonly actions: readonly ActionType[];
}

export const EVENT_NODE_ADD: ClusterEvent = { resource: 'Node', actions: ['Add'] };
export const EVENT_NODE_DELETE: ClusterEvent = { resource: 'Node', actions: ['Delete'] };
export const EVENT_ASSIGNED_POD_ADD: ClusterEvent = { resource: 'AssignedPod', actions: ['Add'] };
export const EVENT_ASSIGNED_POD_DELETE: ClusterEvent = { resource: 'AssignedPod', actions: ['Delete'] };
/** EventUnschedulableTimeout: a pod waited podMaxInUnschedulablePodsDuration (5 min). */
export const EVENT_UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: '*', actions: ALL_ACTIONS };

export function isWildcard(e: ClusterEvent): boolean {
  return e.resource === '*' && ALL_ACTIONS.every((a) => e.actions.includes(a));
}

/**
 * Whether a registered event matches one that happened (ClusterEvent.Match): the registration
 * is the wildcard, or it names the same resource ('Pod' covers 'AssignedPod' and
 * 'UnschedulablePod') and shares an action.
 *
 *   eventMatches({ Pod, [Add, Delete] }, { AssignedPod, [Delete] })          // => true
 *   eventMatches({ Node, [Add, UpdateNodeTaint] }, { Node, [UpdateNodeLabel] })  // => false
 */
export function eventMatches(registered: ClusterEvent, happened: ClusterEvent): boolean {
  if (isWildcard(registered)) return true;
  const r = registered.resource;
  const sameResource = r === '*' || r === happened.resource || (r === 'Pod' && (happened.resource === 'AssignedPod' || happened.resource === 'UnschedulablePod'));
  return sameResource && registered.actions.some((a) => happened.actions.includes(a));
}

/** A short name for traces and tests: 'NodeAdd', 'NodeUpdateNodeTaint', 'AssignedPodDelete', 'WildCard'. */
export function eventLabel(e: ClusterEvent): string {
  if (isWildcard(e)) return 'WildCard';
  return `${e.resource}${e.actions.join('|')}`;
}

/**
 * The old and new objects of an event, as the kind a hint expects (util.As): throws when one
 * is of another kind, which makes the hint count as 'Queue'.
 *
 *   objectsAs<Node>('Node', undefined, node-1)   // => [undefined, node-1]   (an Add)
 *   objectsAs<Node>('Node', pod, undefined)      // throws
 */
export function objectsAs<T>(kind: string, oldObj: unknown, newObj: unknown): [T | undefined, T | undefined] {
  for (const o of [oldObj, newObj]) {
    const actual = (o as { kind?: string } | undefined)?.kind;
    if (o !== undefined && (typeof o !== 'object' || o === null || (actual !== undefined && actual !== kind))) throw new Error(`expected a ${kind}, got ${actual ?? typeof o}`);
  }
  return [oldObj as T | undefined, newObj as T | undefined];
}

/** Whether two pod objects are the same pod (same uid; without uids, same namespace and name). */
export function isSamePod(a: Readonly<Pod>, b: Readonly<Pod>): boolean {
  if (a.metadata.uid && b.metadata.uid) return a.metadata.uid === b.metadata.uid;
  return a.metadata.namespace === b.metadata.namespace && a.metadata.name === b.metadata.name;
}

/**
 * The events a node update makes (NodeSchedulingPropertiesChange), one per kind of change, in
 * upstream's order; the scheduler moves pods once per event.
 *
 *   1. spec.unschedulable went to false (uncordon)     => UpdateNodeTaint (cordoning emits nothing)
 *   2. status.allocatable changed                      => UpdateNodeAllocatable
 *   3. labels changed                                  => UpdateNodeLabel
 *   4. spec.taints changed                             => UpdateNodeTaint (again, if 1 fired too)
 *   5. a condition's status changed (not a heartbeat)  => UpdateNodeCondition
 *   6. annotations changed                             => UpdateNodeAnnotation
 *
 *   nodeSchedulingPropertiesChange(cordoned node-1, node-1 uncordoned with label disk=ssd added)
 *   // => [{ Node, [UpdateNodeTaint] }, { Node, [UpdateNodeLabel] }]
 *   nodeSchedulingPropertiesChange(node-1, node-1 with only lastHeartbeatTime moved)   // => []
 */
export function nodeSchedulingPropertiesChange(old: Readonly<Node>, node: Readonly<Node>): ClusterEvent[] {
  const actions: ActionType[] = [];
  if (!!old.spec.unschedulable !== !!node.spec.unschedulable && !node.spec.unschedulable) actions.push('UpdateNodeTaint');
  if (!sameResourceList(old.status?.allocatable, node.status?.allocatable)) actions.push('UpdateNodeAllocatable');
  if (!sameMap(old.metadata.labels, node.metadata.labels)) actions.push('UpdateNodeLabel');
  if (!semanticallyEqual(old.spec.taints ?? [], node.spec.taints ?? [])) actions.push('UpdateNodeTaint');
  if (!sameMap(conditionStatuses(old), conditionStatuses(node))) actions.push('UpdateNodeCondition');
  if (!sameMap(old.metadata.annotations, node.metadata.annotations)) actions.push('UpdateNodeAnnotation');
  return actions.map((a) => ({ resource: 'Node', actions: [a] }));
}

/**
 * The events a pod update makes (PodSchedulingPropertiesChange), in upstream's order; the
 * resource is AssignedPod when the new pod has a node, UnschedulablePod otherwise.
 *
 *   1. labels changed                              => UpdatePodLabel
 *   2. a request went down or was removed          => UpdatePodScaleDown
 *   3. the number of tolerations changed           => UpdatePodTolerations (they can only be added)
 *   none of these                                  => UpdatePodOther
 *
 *   podSchedulingPropertiesChange(web on node-1, web on node-1 labelled tier=gold)
 *   // => [{ AssignedPod, [UpdatePodLabel] }]
 *   podSchedulingPropertiesChange(pending web, pending web with a new PodScheduled condition)
 *   // => [{ UnschedulablePod, [UpdatePodOther] }]
 */
export function podSchedulingPropertiesChange(old: Readonly<Pod>, pod: Readonly<Pod>): ClusterEvent[] {
  const resource: EventResource = pod.spec.nodeName ? 'AssignedPod' : 'UnschedulablePod';
  const actions: ActionType[] = [];
  if (!sameMap(old.metadata.labels, pod.metadata.labels)) actions.push('UpdatePodLabel');
  if (scaledDown(old, pod)) actions.push('UpdatePodScaleDown');
  if ((old.spec.tolerations ?? []).length !== (pod.spec.tolerations ?? []).length) actions.push('UpdatePodTolerations');
  if (actions.length === 0) actions.push('UpdatePodOther');
  return actions.map((a) => ({ resource, actions: [a] }));
}

/** Whether any resource the old pod requested is requested less, or not at all, by the new one (extractPodScaleDown). */
function scaledDown(old: Readonly<Pod>, pod: Readonly<Pod>): boolean {
  const before = requestsByName(old);
  const after = requestsByName(pod);
  for (const [name, amount] of before) {
    const now = after.get(name);
    if (now === undefined || amount > now) return true;
  }
  return false;
}

/** resource.PodRequests in milli-units by resource name: containers add up, each init container may raise it, overhead on top. */
function requestsByName(pod: Readonly<Pod>): Map<string, number> {
  const total = new Map<string, number>();
  const each = (c: Container) => Object.entries(c.resources?.requests ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
  for (const c of pod.spec.containers) for (const [name, q] of each(c)) total.set(name, (total.get(name) ?? 0) + milliValue(parseQuantity(q)));
  for (const c of pod.spec.initContainers ?? []) for (const [name, q] of each(c)) total.set(name, Math.max(total.get(name) ?? 0, milliValue(parseQuantity(q))));
  for (const [name, q] of Object.entries(pod.spec.overhead ?? {})) if (q !== undefined) total.set(name, (total.get(name) ?? 0) + milliValue(parseQuantity(q)));
  return total;
}

function conditionStatuses(node: Readonly<Node>): Record<string, string> {
  return Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, c.status]));
}

/** equality.Semantic.DeepEqual of two string maps: a missing map equals an empty one. */
function sameMap(a: Readonly<Labels> | undefined, b: Readonly<Labels> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => b !== undefined && Object.prototype.hasOwnProperty.call(b, k) && b[k] === a![k]);
}

/** Two resource lists with the same names and equal quantities ('1' equals '1000m'). */
function sameResourceList(a: Readonly<ResourceList> | undefined, b: Readonly<ResourceList> | undefined): boolean {
  const names = Object.keys(a ?? {});
  if (names.length !== Object.keys(b ?? {}).length) return false;
  return names.every((n) => {
    const x = a?.[n];
    const y = b?.[n];
    if (x === undefined || y === undefined) return x === y;
    return compareQuantities(parseQuantity(x), parseQuantity(y)) === 0;
  });
}

/** Structural equality of two JSON values, whatever the order of their keys (equality.Semantic.DeepEqual, near enough). */
export function semanticallyEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}
