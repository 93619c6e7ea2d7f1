import { jsonClone } from '../api/json-clone';
import type { Condition, Pod, ReplicaSet, ReplicaSetStatus } from '../api/types';

/**
 * The contract of the ReplicaSet reconcile: a pure function from what is wanted and what is
 * there to what should be done. The controller runtime (replicaset-controller.ts) reads the
 * cache, calls it, and carries the actions out through the API server.
 *
 *   reconcileReplicaSet({ replicaSet: rsWanting3, pods: [onePod], now: 60_000 })
 *   // => { create: [podFromTemplate(rs), podFromTemplate(rs)], delete: [], status: { replicas: 1, ... } }
 *
 * Exercise `replicaset` (exercises/replicaset/reconcile.ts) implements it; the reference is in
 * solutions/replicaset/reconcile.ts.
 */
export interface ReplicaSetInput {
  /** The ReplicaSet as the cache has it. */
  readonly replicaSet: Readonly<ReplicaSet>;
  /** The pods this ReplicaSet controls (ownerReference with controller: true), any phase. */
  readonly pods: readonly Readonly<Pod>[];
  /** Virtual time now, in ms (for minReadySeconds). */
  readonly now: number;
}

export interface ReplicaSetActions {
  /** Pods to create, each built with podFromTemplate(). */
  create: Pod[];
  /** Names of pods to delete, the first to go first. */
  delete: string[];
  /** The status the ReplicaSet should report. */
  status: ReplicaSetStatus;
}

export type ReconcileReplicaSet = (input: ReplicaSetInput) => ReplicaSetActions;

/** Kubernetes' burstReplicas: a ReplicaSet never creates or deletes more than this in one sync. */
export const BURST_REPLICAS = 500;

/**
 * A new pod from the ReplicaSet's template: the template's labels, annotations and spec, a
 * generated name (`web-` + 5 random characters, chosen by the API server), and an owner
 * reference that marks the ReplicaSet as its controller.
 *
 *   podFromTemplate(web).metadata
 *   // => { generateName: 'web-', namespace: 'default', labels: { app: 'web' },
 *   //      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid, controller: true, blockOwnerDeletion: true }] }
 */
export function podFromTemplate(rs: Readonly<ReplicaSet>): Pod {
  const template = rs.spec.template;
  const labels = template.metadata?.labels;
  const annotations = template.metadata?.annotations;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      ...(labels ? { labels: { ...labels } } : {}),
      ...(annotations ? { annotations: { ...annotations } } : {}),
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: jsonClone(template.spec) as Pod['spec'],
  };
}

/** Whether a pod's Ready condition is True. */
export function isPodReady(pod: Readonly<Pod>): boolean {
  // An index loop: asked of every pod at every sync, it makes no iterator.
  const conditions = pod.status?.conditions ?? NO_CONDITIONS;
  for (let i = 0; i < conditions.length; i++) if (conditions[i].type === 'Ready' && conditions[i].status === 'True') return true;
  return false;
}

const NO_CONDITIONS: readonly Condition[] = [];
