import type { Container, Node, Pod, PodSpec } from '../../api/types';
import type { ActionType, ClusterEvent, EventResource } from '../cluster-events';
import { snapshotOf, type Handle, type NodeInfo, type Plugin, type QueueingHint } from '../framework-types';
import { buildQueueingHintMap, isPodWorthRequeuing } from '../queueing-hint-map';

/**
 * Small builders for the plugins' tests: a pod, a node, a Handle whose snapshot holds the
 * given node infos, and a plugin's QueueingHint for one event.
 *
 *   testPod('web', { labels: { app: 'web' } }, { priority: 10 })
 *   testNode('node-1', { labels: { zone: 'a' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } })
 *   testHandle([nodeInfoFor(node1), nodeInfoFor(node2)]).snapshot().get('node-1')
 */
export function testPod(name: string, meta: { labels?: Record<string, string>; namespace?: string } = {}, spec: Partial<PodSpec> = {}, containers?: Container[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: meta.namespace ?? 'default', uid: `uid-${name}`, ...(meta.labels ? { labels: meta.labels } : {}) },
    spec: { containers: containers ?? [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  };
}

export function testNode(name: string, options: { labels?: Record<string, string>; allocatable?: Record<string, string>; spec?: Node['spec']; images?: { names: string[]; sizeBytes: number }[] } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...options.labels } },
    spec: options.spec ?? {},
    status: { allocatable: options.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' }, ...(options.images ? { images: options.images } : {}) } as Node['status'],
  };
}

export function testHandle(infos: NodeInfo[]): Handle {
  const snapshot = snapshotOf(infos);
  return { snapshot: () => snapshot };
}

/**
 * What a plugin's registrations say of one event for a pod it alone rejected, through the
 * hint map (so buildQueueingHintMap's quirk counts): 'Queue' or 'QueueSkip'.
 *
 *   requeueHint(nodeResourcesFit, bigPod, { resource: 'Node', actions: ['UpdateNodeLabel'] }, node, relabelled)  // => 'QueueSkip'
 */
export function requeueHint(plugin: Plugin, pod: Readonly<Pod>, event: ClusterEvent, oldObj?: unknown, newObj?: unknown): QueueingHint {
  const info = { pod, timestamp: 0, attempts: 1, unschedulablePlugins: new Set([plugin.name]) };
  return isPodWorthRequeuing(buildQueueingHintMap([plugin]), info, event, oldObj, newObj) === 'queueAfterBackoff' ? 'Queue' : 'QueueSkip';
}

/** A cluster event in one line: event('Node', 'UpdateNodeLabel'). */
export function event(resource: EventResource, ...actions: ActionType[]): ClusterEvent {
  return { resource, actions };
}
