import { selectorString } from '../../api/labels';
import { age, rfc1123z, virtualMs } from '../../api/time';
import type { Job, KubeEvent } from '../../api/types';
import { describePodTemplate } from '../pod-template-describer';
import { controlledBy } from './controller-pods';
import { describeEvents } from './events-section';
import { annotationsMultiline, labelsMultiline, PrefixWriter } from './writer';

/**
 * JobDescriber (describe.go, 1.32): selector, parallelism and completions, backoff limit,
 * start and completion times and the duration between, the pods' counts from the Job's
 * status (`1 Active (0 Ready) / 0 Succeeded / 0 Failed`), the pod template and the Events.
 *
 *   describeJob(pi, events, now)
 *   // Name:             pi
 *   // ...
 *   // Completions:      1
 *   // Completion Mode:  NonIndexed
 *   // Suspend:          false
 *   // Backoff Limit:    4
 *   // Start Time:       Wed, 01 Jan 2025 00:00:00 +0000
 *
 * Every field kubectl prints is modelled (Completed Indexes for an Indexed Job included).
 */
export function describeJob(job: Readonly<Job>, events: readonly KubeEvent[], now: number): string {
  const w = new PrefixWriter();
  const spec = job.spec;
  const s = job.status ?? {};
  w.write(0, `Name:\t${job.metadata.name}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace}\n`);
  w.write(0, `Selector:\t${spec.selector ? selectorString(spec.selector) : ''}\n`);
  w.write(0, labelsMultiline('Labels', job.metadata.labels));
  w.write(0, annotationsMultiline('Annotations', job.metadata.annotations));
  w.write(0, controlledBy(job));
  if (spec.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec.completions ?? '<unset>'}\n`);
  if (spec.completionMode !== undefined) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished !== undefined) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (s.startTime) w.write(0, `Start Time:\t${rfc1123z(virtualMs(s.startTime))}\n`);
  if (s.completionTime) w.write(0, `Completed At:\t${rfc1123z(virtualMs(s.completionTime))}\n`);
  if (s.startTime && s.completionTime) w.write(0, `Duration:\t${age(virtualMs(s.startTime), virtualMs(s.completionTime))}\n`);
  if (spec.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const ready = s.ready === undefined ? '' : ` (${s.ready} Ready)`;
  w.write(0, `Pods Statuses:\t${s.active ?? 0} Active${ready} / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed\n`);
  if (spec.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${capIndexes(s.completedIndexes ?? '')}\n`);
  w.write(0, describePodTemplate(spec.template));
  w.write(0, describeEvents(events, now));
  return w.toString();
}

/** capIndexesListOrNone: `<none>`, or the list cut at the first comma from the 50th character on, then `...`. */
function capIndexes(indexes: string): string {
  if (indexes === '') return '<none>';
  const comma = indexes.indexOf(',', 50);
  return comma < 0 ? indexes : `${indexes.slice(0, comma + 1)}...`;
}
