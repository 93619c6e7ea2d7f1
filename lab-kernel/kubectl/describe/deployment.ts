import { selectorString } from '../../api/labels';
import { rfc1123z, virtualMs } from '../../api/time';
import type { Deployment, KubeEvent, ReplicaSet } from '../../api/types';
import { findNewReplicaSet, findOldReplicaSets } from '../../controllers/deployment/replica-set-lists';
import { describePodTemplate } from '../pod-template-describer';
import { describeEvents } from './events-section';
import { annotationsMultiline, labelsMultiline, PrefixWriter } from './writer';

/**
 * DeploymentDescriber (describe.go, 1.32): the Deployment, its pod template, its conditions,
 * its old and new ReplicaSets (`name (current/desired replicas created)`) and its Events.
 *
 *   describeDeployment(nginxDeployment, replicaSets, events, now)
 *   // Name:                   nginx-deployment
 *   // Namespace:              default
 *   // CreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000
 *   // ...
 *   // Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
 *   // StrategyType:           RollingUpdate
 *   // ...
 *   // NewReplicaSet:          nginx-deployment-7c5ddbdf54 (3/3 replicas created)
 *
 * Every field kubectl prints is modelled.
 */
export function describeDeployment(d: Readonly<Deployment>, replicaSets: readonly ReplicaSet[], events: readonly KubeEvent[], now: number): string {
  const w = new PrefixWriter();
  const s = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(virtualMs(d.metadata.creationTimestamp!))}\n`);
  w.write(0, labelsMultiline('Labels', d.metadata.labels));
  w.write(0, annotationsMultiline('Annotations', d.metadata.annotations));
  w.write(0, `Selector:\t${selectorString(d.spec.selector)}\n`);
  w.write(0, `Replicas:\t${d.spec.replicas} desired | ${s.updatedReplicas ?? 0} updated | ${s.replicas ?? 0} total | ${s.availableReplicas ?? 0} available | ${s.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${d.spec.strategy?.type}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
  const ru = d.spec.strategy?.rollingUpdate;
  if (ru !== undefined) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable} max unavailable, ${ru.maxSurge} max surge\n`);
  w.write(0, describePodTemplate(d.spec.template));
  if ((s.conditions ?? []).length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of s.conditions!) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  const newRS = findNewReplicaSet(d, replicaSets);
  const oldRSs = findOldReplicaSets(d, replicaSets);
  if (oldRSs.length > 0 || newRS !== undefined) {
    w.write(0, `OldReplicaSets:\t${created(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${created(newRS ? [newRS] : [])}\n`);
  }
  w.write(0, describeEvents(events, now));
  return w.toString();
}

/** printReplicaSetsByLabels: `web-1 (0/0 replicas created), web-2 (3/3 replicas created)`, or `<none>`. */
function created(rss: readonly ReplicaSet[]): string {
  return rss.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas} replicas created)`).join(', ') || '<none>';
}
