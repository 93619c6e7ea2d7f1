import type { KubeEvent, ObjectMeta, ObjectReference } from '../api/types';

/**
 * A core/v1 Event as client-go's recorder writes it (event-recorder.ts) and its correlator
 * counts it (event-correlator.ts): a KubeEvent with every field set.
 *
 *   { type: 'Normal', reason: 'SuccessfulCreate', message: 'Created pod: web-x7k2p', count: 1,
 *     involvedObject: { kind: 'ReplicaSet', name: 'web', ... }, source: { component: 'replicaset-controller' }, ... }
 */
export type EventType = 'Normal' | 'Warning';

/** Who reports: a component, and for per-node components (kubelets) the node. */
export interface EventSource {
  component: string;
  host?: string;
}

/** A core/v1 Event as the recorder writes it: every field of KubeEvent set. */
export interface CoreEvent extends KubeEvent {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: ObjectMeta & { name: string; namespace: string };
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  type: EventType;
  source: EventSource;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  reportingComponent: string;
  reportingInstance: string;
}
