import type { KubeObject, ReplicaSet, ReplicationController } from '../api/types';

/**
 * Which kind the ReplicaSet controller runs on. kube-controller-manager runs one controller
 * code for two kinds (pkg/controller/replication): the replication manager is the ReplicaSet
 * controller given the RC informer, an adapter that converts each RC to a ReplicaSet
 * (conversion.go), the GroupVersionKind v1 ReplicationController for the pods' controller
 * reference, its own queue name (`replicationmanager`) and its own Event source
 * (`replication-controller`). The lab's kind carries the same differences:
 *
 *   REPLICASET_KIND.toReplicaSet(rs)           // => rs itself
 *   REPLICATIONCONTROLLER_KIND.toReplicaSet(rc)
 *   // => { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: rc.metadata,
 *   //      spec: { replicas, minReadySeconds, selector: { matchLabels: rc.spec.selector }, template }, status: rc.status }
 */
export interface ReplicatedKind<T extends KubeObject> {
  /** The informer's resource, and where status updates go. */
  readonly resource: 'replicasets' | 'replicationcontrollers';
  /** The owner reference's apiVersion and kind on the pods it creates. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Its name in kube-controller-manager (the trace's, and --controllers'). */
  readonly controller: string;
  /** The `source.component` of its Events. */
  readonly eventComponent: string;
  /** The object as the reconcile reads it: a ReplicaSet. */
  toReplicaSet(obj: Readonly<T>): Readonly<ReplicaSet>;
}

export const REPLICASET_KIND: ReplicatedKind<ReplicaSet> = {
  resource: 'replicasets',
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  controller: 'replicaset-controller',
  eventComponent: 'replicaset-controller',
  toReplicaSet: (rs) => rs,
};

/**
 * A ReplicationController as a ReplicaSet: its equality-based selector (a plain label map)
 * becomes matchLabels; replicas, minReadySeconds, the template, metadata and status carry
 * over as they are (the two kinds' status fields are the same).
 */
export function replicationControllerAsReplicaSet(rc: Readonly<ReplicationController>): Readonly<ReplicaSet> {
  const { replicas, minReadySeconds, selector, template } = rc.spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: rc.metadata,
    spec: Object.assign({}, replicas !== undefined ? { replicas } : {}, minReadySeconds !== undefined ? { minReadySeconds } : {}, {
      selector: { matchLabels: { ...selector } },
      // Validation requires a template (and defaulting fills the selector from its labels).
      template: template!,
    }),
    ...(rc.status !== undefined ? { status: rc.status } : {}),
  };
}

export const REPLICATIONCONTROLLER_KIND: ReplicatedKind<ReplicationController> = {
  resource: 'replicationcontrollers',
  apiVersion: 'v1',
  kind: 'ReplicationController',
  // kube-controller-manager 1.32's name for it (names.ReplicationControllerController).
  controller: 'replicationcontroller-controller',
  eventComponent: 'replication-controller',
  toReplicaSet: replicationControllerAsReplicaSet,
};
