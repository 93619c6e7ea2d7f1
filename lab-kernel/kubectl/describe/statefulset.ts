import { selectorString } from '../../api/labels';
import { rfc1123z, virtualMs } from '../../api/time';
import type { KubeEvent, PersistentVolumeClaim, StatefulSet } from '../../api/types';
import { describePodTemplate } from '../pod-template-describer';
import { describeEvents } from './events-section';
import { annotationsMultiline, labelsMultiline, PrefixWriter } from './writer';

/**
 * StatefulSetDescriber (describe.go, 1.32): replicas, update strategy (partition and
 * maxUnavailable under a partition), the pods' phases, the pod template, the volume claim
 * templates and the Events.
 *
 *   describeStatefulSet(web, '3 Running / 0 Waiting / 0 Succeeded / 0 Failed', events, now)
 *   // Replicas:           3 desired | 3 total
 *   // Update Strategy:    RollingUpdate
 *   //   Partition:        0
 *   // ...
 *   // Volume Claims:
 *   //   Name:          www
 *   //   StorageClass:  my-storage-class
 *
 * Every field kubectl prints is modelled.
 */
export function describeStatefulSet(ss: Readonly<StatefulSet>, podsStatus: string, events: readonly KubeEvent[], now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ss.metadata.name}\n`);
  w.write(0, `Namespace:\t${ss.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(virtualMs(ss.metadata.creationTimestamp!))}\n`);
  w.write(0, `Selector:\t${selectorString(ss.spec.selector)}\n`);
  w.write(0, labelsMultiline('Labels', ss.metadata.labels));
  w.write(0, annotationsMultiline('Annotations', ss.metadata.annotations));
  w.write(0, `Replicas:\t${ss.spec.replicas} desired | ${ss.status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${ss.spec.updateStrategy?.type}\n`);
  const ru = ss.spec.updateStrategy?.rollingUpdate;
  if (ru?.partition !== undefined) {
    w.write(1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined) w.write(1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
  }
  w.write(0, `Pods Status:\t${podsStatus}\n`);
  w.write(0, describePodTemplate(ss.spec.template));
  w.write(0, volumeClaimTemplates(ss.spec.volumeClaimTemplates ?? []));
  w.write(0, describeEvents(events, now));
  return w.toString();
}

/** describeVolumeClaimTemplates: name, class, labels, annotations, requested storage, access modes (Go's `[ReadWriteOnce]`). */
function volumeClaimTemplates(list: readonly PersistentVolumeClaim[]): string {
  if (list.length === 0) return 'Volume Claims:\t<none>\n';
  let s = 'Volume Claims:\n';
  for (const pvc of list) {
    s += `  Name:\t${pvc.metadata.name}\n`;
    s += `  StorageClass:\t${pvc.spec.storageClassName ?? pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''}\n`;
    s += labelsMultiline('  Labels', pvc.metadata.labels);
    s += labelsMultiline('  Annotations', pvc.metadata.annotations);
    s += `  Capacity:\t${pvc.spec.resources?.requests?.storage ?? '<default>'}\n`;
    s += `  Access Modes:\t[${(pvc.spec.accessModes ?? []).join(' ')}]\n`;
  }
  return s;
}
