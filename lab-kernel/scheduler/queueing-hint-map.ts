import type { Pod } from '../api/types';
import { ALL_ACTIONS, eventLabel, eventMatches, isSamePod, isWildcard, type ClusterEvent, type EventResource } from './cluster-events';
import type { ProfilePlugins } from './framework';
import type { ClusterEventWithHint, Plugin, QueuedPodInfo, QueueingHint, QueueingHintFn } from './framework-types';

/**
 * QueueingHints (kube-scheduler 1.32, feature gate SchedulerQueueingHints, on by default): which
 * cluster events may make a pod that some plugins rejected schedulable, asked of exactly those
 * plugins.
 *
 * buildQueueingHintMap (pkg/scheduler/scheduler.go) gathers one profile's registrations:
 * event => the plugins registered for it, each with its hint.
 *
 *   buildQueueingHintMap([NodeResourcesFit])
 *   // => Pod Delete                            -> NodeResourcesFit (assigned pod deleted?)
 *   //    Node Add|UpdateNodeAllocatable        -> NodeResourcesFit (does the pod fit the node now?)
 *   //    Node UpdateNodeTaint                  -> NodeResourcesFit (always Queue: the quirk below)
 *
 * Two rules of upstream's shape it keeps:
 *   - a plugin that registers Node Add but not UpdateNodeTaint also gets Node UpdateNodeTaint
 *     with an always-Queue hint (kubernetes#109437; still there with QueueingHints on), so
 *     every taint change and every uncordon retries the pods it rejected;
 *   - a PreFilter, Filter, Reserve or Permit plugin without eventsToRegister gets every event
 *     of every kind, always Queue (defaultEnqueueExtension); so does each extender.
 *
 * isPodWorthRequeuing then decides for one pod and one event: only the hints of the pod's
 * rejectors that registered a matching event run, and the first 'Queue' wins.
 *
 * Lab simplifications: no plugin reports Pending (so there is no queueImmediately), and
 * events come only from nodes, pods and PersistentVolumeClaims, the kinds the lab's
 * scheduler watches.
 */
export interface QueueingHintFunction {
  plugin: string;
  hint: QueueingHintFn;
}

export interface QueueingHintEntry {
  event: ClusterEvent;
  fns: QueueingHintFunction[];
}

/** One profile's registrations, by event (eventLabel), in the order the plugins registered them. */
export type QueueingHintMap = ReadonlyMap<string, QueueingHintEntry>;

/** What the queue does with a pod after an event: leave it where it is, or retry it once its backoff is over. */
export type QueueingStrategy = 'queueSkip' | 'queueAfterBackoff';

/** defaultQueueingHintFn: every event may help. */
export const queueAlways: QueueingHintFn = () => 'Queue';

/** The kinds a plugin without eventsToRegister is registered for, each with every action (framework.go's allClusterEvents). */
const DEFAULT_RESOURCES: readonly EventResource[] = [
  'Pod',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CSINode',
  'CSIDriver',
  'CSIStorageCapacity',
  'StorageClass',
  'ResourceClaim',
  'DeviceClass',
];
export const DEFAULT_EVENTS: readonly ClusterEvent[] = DEFAULT_RESOURCES.map((resource) => ({ resource, actions: ALL_ACTIONS }));

/** The plugins asked for events: those at PreFilter, Filter, Reserve or Permit, each once, in profile order. */
export function enqueueExtensionPlugins(plugins: Pick<ProfilePlugins, 'preFilter' | 'filter' | 'reserve' | 'permit'>): Plugin[] {
  const seen = new Set<string>();
  const out: Plugin[] = [];
  for (const p of [...plugins.preFilter, ...plugins.filter, ...plugins.reserve, ...plugins.permit]) {
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    out.push(p);
  }
  return out;
}

/** A profile's QueueingHintMap from its enqueue-extension plugins and its extenders' names. */
export function buildQueueingHintMap(plugins: readonly Plugin[], extenders: readonly string[] = []): QueueingHintMap {
  const map = new Map<string, QueueingHintEntry>();
  const register = (event: ClusterEvent, plugin: string, hint: QueueingHintFn) => {
    const key = eventLabel(event);
    const entry = map.get(key) ?? { event, fns: [] };
    entry.fns.push({ plugin, hint });
    map.set(key, entry);
  };
  const everything: ClusterEventWithHint[] = DEFAULT_EVENTS.map((event) => ({ event }));
  const registrations = [...plugins.map((p) => ({ name: p.name, events: p.eventsToRegister?.() ?? everything })), ...extenders.map((name) => ({ name, events: everything }))];
  for (const { name, events } of registrations) {
    // An empty list: nothing but the pod's own update can help (SchedulingGates upstream).
    let nodeAdd = false;
    let nodeTaint = false;
    for (const { event, hint } of events) {
      if (event.resource === 'Node') {
        nodeAdd ||= event.actions.includes('Add');
        nodeTaint ||= event.actions.includes('UpdateNodeTaint');
      }
      register(event, name, hint ?? queueAlways);
    }
    if (nodeAdd && !nodeTaint) register({ resource: 'Node', actions: ['UpdateNodeTaint'] }, name, queueAlways);
  }
  return map;
}

/** The hint maps of a scheduler's profiles, by schedulerName (queueingHintMapPerProfile). */
export type QueueingHintMaps = ReadonlyMap<string, QueueingHintMap>;

/** Whether some profile registered an event matching this one (isEventOfInterest); the wildcard always is. */
export function isEventOfInterest(maps: QueueingHintMaps, event: ClusterEvent): boolean {
  if (isWildcard(event)) return true;
  for (const map of maps.values()) for (const entry of map.values()) if (eventMatches(entry.event, event)) return true;
  return false;
}

/**
 * Whether an event may make the pod schedulable (isPodWorthRequeuing):
 *   - no rejectors (an Error, or no nodes at all)       => queueAfterBackoff
 *   - the wildcard (the 5-minute timeout)                => queueAfterBackoff, unless it names another pod
 *   - no hint map for the pod's profile                  => queueAfterBackoff
 *   - otherwise the hints of the rejectors registered for a matching event, in order: the
 *     first 'Queue' (or a hint that throws) => queueAfterBackoff; none => queueSkip.
 *
 *   rejected by NodeResourcesFit, node-1's labels changed   // => queueSkip (it registered no UpdateNodeLabel)
 *   rejected by NodeResourcesFit, node-1 got 4 more CPUs     // => queueAfterBackoff, if the pod fits node-1 now
 */
export function isPodWorthRequeuing(map: QueueingHintMap | undefined, info: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): QueueingStrategy {
  const rejectors = info.unschedulablePlugins;
  if (rejectors.size === 0) return 'queueAfterBackoff';
  if (isWildcard(event)) {
    const target = newObj as Readonly<Pod> | undefined;
    if (target !== undefined && (target.kind !== 'Pod' || !isSamePod(target, info.pod))) return 'queueSkip';
    return 'queueAfterBackoff';
  }
  if (map === undefined) return 'queueAfterBackoff';
  for (const entry of map.values()) {
    if (!eventMatches(entry.event, event)) continue;
    for (const fn of entry.fns) {
      if (!rejectors.has(fn.plugin)) continue;
      if (runHint(fn.hint, info.pod, oldObj, newObj) === 'QueueSkip') continue;
      return 'queueAfterBackoff';
    }
  }
  return 'queueSkip';
}

/** A hint's answer; one that throws (learner code not written yet, an unexpected object) is 'Queue'. */
function runHint(hint: QueueingHintFn, pod: Readonly<Pod>, oldObj: unknown, newObj: unknown): QueueingHint {
  try {
    return hint(pod, oldObj, newObj);
  } catch {
    return 'Queue';
  }
}
