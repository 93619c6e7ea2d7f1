import { selectorString } from '../../api/labels';
import type { KubeEvent, ReplicaSet } from '../../api/types';
import { describePodTemplate } from '../pod-template-describer';
import { controlledBy } from './controller-pods';
import { describeEvents } from './events-section';
import { annotationsMultiline, labelsMultiline, PrefixWriter } from './writer';

/**
 * ReplicaSetDescriber (describe.go, 1.32): selector, labels, controller, replicas, the pods'
 * phases (controller-pods.ts), the pod template and the Events.
 *
 *   describeReplicaSet(rs, '3 Running / 0 Waiting / 0 Succeeded / 0 Failed', events, now)
 *   // Name:           nginx-deployment-7c5ddbdf54
 *   // ...
 *   // Controlled By:  Deployment/nginx-deployment
 *   // Replicas:       3 current / 3 desired
 *   // Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed
 *
 * Left out: the Conditions table (the lab's ReplicaSets carry no conditions; kubectl prints
 * nothing without them).
 */
export function describeReplicaSet(rs: Readonly<ReplicaSet>, podsStatus: string, events: readonly KubeEvent[], now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${selectorString(rs.spec.selector) || '<none>'}\n`);
  w.write(0, labelsMultiline('Labels', rs.metadata.labels));
  w.write(0, annotationsMultiline('Annotations', rs.metadata.annotations));
  w.write(0, controlledBy(rs));
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas} desired\n`);
  w.write(0, `Pods Status:\t${podsStatus}\n`);
  w.write(0, describePodTemplate(rs.spec.template));
  w.write(0, describeEvents(events, now));
  return w.toString();
}
