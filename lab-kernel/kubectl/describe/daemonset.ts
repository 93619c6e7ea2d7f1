import { selectorString } from '../../api/labels';
import type { DaemonSet, KubeEvent } from '../../api/types';
import { describePodTemplate } from '../pod-template-describer';
import { describeEvents } from './events-section';
import { annotationsMultiline, labelsMultiline, PrefixWriter } from './writer';

/**
 * DaemonSetDescriber (describe.go, 1.32): selector, node selector, the five node counts of
 * its status, the pods' phases, the pod template and the Events.
 *
 *   describeDaemonSet(fluentd, '2 Running / 0 Waiting / 0 Succeeded / 0 Failed', events, now)
 *   // Name:           fluentd-elasticsearch
 *   // Selector:       name=fluentd-elasticsearch
 *   // Node-Selector:  <none>
 *   // ...
 *   // Desired Number of Nodes Scheduled: 2
 *
 * Every field kubectl prints is modelled.
 */
export function describeDaemonSet(ds: Readonly<DaemonSet>, podsStatus: string, events: readonly KubeEvent[], now: number): string {
  const w = new PrefixWriter();
  const s = ds.status;
  const nodeSelector = ds.spec.template.spec.nodeSelector;
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Namespace:\t${ds.metadata.namespace}\n`);
  w.write(0, `Selector:\t${selectorString(ds.spec.selector)}\n`);
  w.write(0, `Node-Selector:\t${selectorString({ matchLabels: nodeSelector }) || '<none>'}\n`);
  w.write(0, labelsMultiline('Labels', ds.metadata.labels));
  w.write(0, annotationsMultiline('Annotations', ds.metadata.annotations));
  w.write(0, `Desired Number of Nodes Scheduled: ${s?.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${s?.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${s?.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${s?.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${s?.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podsStatus}\n`);
  w.write(0, describePodTemplate(ds.spec.template));
  w.write(0, describeEvents(events, now));
  return w.toString();
}
