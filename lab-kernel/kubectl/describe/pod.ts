import { age, virtualMs } from '../../api/time';
import type { KubeEvent, Pod } from '../../api/types';
import { qosClass } from '../../runtime/qos-class';
import { describeContainers, describeVolumes, tolerationsMultiline } from '../pod-template-describer';
import { controlledBy } from './controller-pods';
import { describeEvents } from './events-section';
import { annotationsMultiline, describeTime, labelsMultiline, PrefixWriter } from './writer';

/**
 * PodDescriber (describe.go, 1.32): where the pod runs and since when, its labels, phase,
 * IP, controller, each container with its state (pod-template-describer.ts's
 * describeContainers), conditions, volumes, QoS class, node selector, tolerations and Events.
 *
 *   describePod(pod, events, now)
 *   // Name:             nginx-deployment-7c5ddbdf54-x7k2p
 *   // Namespace:        default
 *   // Priority:         0
 *   // Service Account:  default
 *   // Node:             node-1/172.18.0.3
 *   // Start Time:       Wed, 01 Jan 2025 00:00:01 +0000
 *   // ...
 *   // Status:           Running
 *   // IP:               10.244.1.2
 *
 * A pod being deleted reads `Terminating (lasts 5s)` with its grace period. Left out: nominated node, readiness gates, runtime class, seccomp profiles and
 * topology spread constraints (kubectl prints nothing for them when unset).
 */
export function describePod(pod: Readonly<Pod>, events: readonly KubeEvent[], now: number): string {
  const w = new PrefixWriter();
  const spec = pod.spec;
  const status = pod.status ?? {};
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${describeTime(status.startTime)}\n`);
  w.write(0, labelsMultiline('Labels', pod.metadata.labels));
  w.write(0, annotationsMultiline('Annotations', pod.metadata.annotations));
  const deletion = pod.metadata.deletionTimestamp;
  if (deletion !== undefined && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${age(virtualMs(deletion), now)})\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  // describePodIPs
  if ((status.podIPs ?? []).length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const { ip } of status.podIPs!) w.write(1, `IP:\t${ip}\n`);
  }
  w.write(0, controlledBy(pod));
  if ((spec.initContainers ?? []).length > 0) w.write(0, describeContainers('Init Containers', spec.initContainers!, status.initContainerStatuses ?? [], ''));
  w.write(0, describeContainers('Containers', spec.containers, status.containerStatuses ?? [], ''));
  if ((status.conditions ?? []).length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions!) w.write(1, `${c.type} \t${c.status} \n`);
  }
  w.write(0, describeVolumes(spec.volumes ?? [], ''));
  w.write(0, `QoS Class:\t${status.qosClass ?? qosClass(pod)}\n`);
  w.write(0, labelsMultiline('Node-Selectors', spec.nodeSelector));
  w.write(0, tolerationsMultiline('Tolerations', spec.tolerations ?? []));
  w.write(0, describeEvents(events, now));
  return w.toString();
}
