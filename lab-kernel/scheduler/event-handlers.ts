import { objectKey } from '../api/resources';
import type { Node, PersistentVolumeClaim, Pod } from '../api/types';
import type { Informer } from '../client/informer';
import type { SchedulerCache } from './cache';
import {
  EVENT_ASSIGNED_POD_ADD,
  EVENT_ASSIGNED_POD_DELETE,
  EVENT_NODE_ADD,
  EVENT_NODE_DELETE,
  nodeSchedulingPropertiesChange,
  podSchedulingPropertiesChange,
  UPDATE_ACTIONS,
  type ClusterEvent,
} from './cluster-events';
import type { SchedulingQueue } from './scheduling-queue';

/**
 * How the scheduler's informers feed its cache and its queue: kube-scheduler's
 * eventhandlers.go (addAllEventHandlers), with QueueingHints on, as in 1.32:
 *
 *   node added / deleted                 Node Add / Node Delete
 *   node updated                         one move per nodeSchedulingPropertiesChange event
 *                                        (uncordon and taints: UpdateNodeTaint; allocatable, labels,
 *                                        condition statuses, annotations); anything else: none
 *   bound pod added (a bind, too)        AssignedPod Add
 *   bound pod updated                    one move per podSchedulingPropertiesChange event
 *   bound pod deleted or finished        AssignedPod Delete
 *   claim added / updated / deleted      PersistentVolumeClaim Add / Update / Delete
 *   pending pod added                    into activeQ, if a profile of this scheduler serves it
 *   pending pod updated                  only that pod's own hints (SchedulingQueue.update)
 *
 * (The scheduler itself sends one more: AssignedPod Delete when it forgets an assumed pod after
 * a binding-cycle failure.)
 *
 * A finished pod (Succeeded or Failed) is out of the scheduler's view, as kube-scheduler's pod
 * informer lists only pods that are not: becoming finished is its deletion.
 */
export interface EventHandlerTarget {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  /** Whether some profile of the scheduler serves the pod (its spec.schedulerName). */
  responsibleFor(pod: Readonly<Pod>): boolean;
  /** MoveAllToActiveOrBackoffQueue, then the flushes for whatever moved. */
  move(event: ClusterEvent, oldObj: unknown, newObj: unknown): void;
  /** The queue may now hold pods for its periodic flushes. */
  armFlushes(): void;
}

export interface SchedulerInformers {
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  readonly claims: Informer<PersistentVolumeClaim>;
}

export function addAllEventHandlers(informers: SchedulerInformers, s: EventHandlerTarget): void {
  const onPodAdd = (pod: Readonly<Pod>) => {
    if (isTerminal(pod)) return;
    if (pod.spec.nodeName) {
      s.cache.addPod(pod);
      s.move(EVENT_ASSIGNED_POD_ADD, undefined, pod);
    } else if (s.responsibleFor(pod) && !pod.metadata.deletionTimestamp) s.queue.add(pod);
  };
  const onPodDelete = (pod: Readonly<Pod>) => {
    if (isTerminal(pod)) return;
    if (pod.spec.nodeName) {
      s.cache.removePod(pod);
      s.move(EVENT_ASSIGNED_POD_DELETE, pod, undefined);
    } else s.queue.delete(pod);
  };
  const onPodUpdate = (old: Readonly<Pod>, pod: Readonly<Pod>) => {
    if (isTerminal(old)) return;
    if (isTerminal(pod)) return onPodDelete(old);
    if (pod.spec.nodeName) {
      if (!old.spec.nodeName) {
        // Bound (by us or anyone): gone from the pending pods, added to the assigned ones.
        s.queue.delete(pod);
        s.cache.addPod(pod);
        s.move(EVENT_ASSIGNED_POD_ADD, undefined, pod);
        return;
      }
      s.cache.updatePod(pod);
      for (const event of podSchedulingPropertiesChange(old, pod)) s.move(event, old, pod);
    } else if (s.responsibleFor(pod)) {
      if (pod.metadata.deletionTimestamp) s.queue.delete(pod);
      else if (!s.cache.isAssumed(objectKey(pod))) {
        s.queue.update(old, pod);
        // An update may have moved it to the backoff queue: make sure that queue is flushed.
        s.armFlushes();
      }
    }
  };
  informers.pods.addEventHandler({ onAdd: onPodAdd, onUpdate: onPodUpdate, onDelete: onPodDelete });
  informers.nodes.addEventHandler({
    onAdd: (n) => {
      s.cache.addNode(n);
      s.move(EVENT_NODE_ADD, undefined, n);
    },
    onUpdate: (o, n) => {
      s.cache.updateNode(n);
      for (const event of nodeSchedulingPropertiesChange(o, n)) s.move(event, o, n);
    },
    onDelete: (n) => {
      s.move(EVENT_NODE_DELETE, n, undefined);
      s.cache.removeNode(n);
    },
  });
  informers.claims.addEventHandler({
    onAdd: (c) => s.move({ resource: 'PersistentVolumeClaim', actions: ['Add'] }, undefined, c),
    onUpdate: (o, c) => s.move({ resource: 'PersistentVolumeClaim', actions: UPDATE_ACTIONS }, o, c),
    onDelete: (c) => s.move({ resource: 'PersistentVolumeClaim', actions: ['Delete'] }, c, undefined),
  });
}

function isTerminal(pod: Readonly<Pod>): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}
