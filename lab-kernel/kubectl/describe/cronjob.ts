import { selectorString } from '../../api/labels';
import { rfc1123z, virtualMs } from '../../api/time';
import type { CronJob, KubeEvent } from '../../api/types';
import { describePodTemplate } from '../pod-template-describer';
import { describeEvents } from './events-section';
import { annotationsMultiline, labelsMultiline, PrefixWriter } from './writer';

/**
 * CronJobDescriber (describe.go, 1.32): schedule, policies, history limits, the job
 * template (selector, parallelism, completions, pod template), the last schedule time, the
 * active Jobs and the Events.
 *
 *   describeCronJob(hello, events, now)
 *   // Schedule:                      * * * * *
 *   // Concurrency Policy:            Allow
 *   // Suspend:                       False
 *   // Time Zone:                     <unset>
 *   // Successful Job History Limit:  3
 *   // ...
 *   // Active Jobs:                   hello-28936801
 *
 * Every field kubectl prints is modelled.
 */
export function describeCronJob(cj: Readonly<CronJob>, events: readonly KubeEvent[], now: number): string {
  const w = new PrefixWriter();
  const spec = cj.spec;
  const unset = (v: number | string | undefined, unit = '') => (v === undefined ? '<unset>' : `${v}${unit}`);
  w.write(0, `Name:\t${cj.metadata.name}\n`);
  w.write(0, `Namespace:\t${cj.metadata.namespace}\n`);
  w.write(0, labelsMultiline('Labels', cj.metadata.labels));
  w.write(0, annotationsMultiline('Annotations', cj.metadata.annotations));
  w.write(0, `Schedule:\t${spec.schedule}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
  w.write(0, `Suspend:\t${spec.suspend === undefined ? '<unset>' : spec.suspend ? 'True' : 'False'}\n`);
  w.write(0, `Time Zone:\t${unset(spec.timeZone)}\n`);
  w.write(0, `Successful Job History Limit:\t${unset(spec.successfulJobsHistoryLimit)}\n`);
  w.write(0, `Failed Job History Limit:\t${unset(spec.failedJobsHistoryLimit)}\n`);
  w.write(0, `Starting Deadline Seconds:\t${unset(spec.startingDeadlineSeconds, 's')}\n`);
  const jobSpec = spec.jobTemplate.spec;
  w.write(0, `Selector:\t${jobSpec.selector ? selectorString(jobSpec.selector) : '<unset>'}\n`);
  w.write(0, `Parallelism:\t${unset(jobSpec.parallelism)}\n`);
  w.write(0, `Completions:\t${unset(jobSpec.completions)}\n`);
  if (jobSpec.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${jobSpec.activeDeadlineSeconds}s\n`);
  w.write(0, describePodTemplate(jobSpec.template));
  const last = cj.status?.lastScheduleTime;
  w.write(0, `Last Schedule Time:\t${last ? rfc1123z(virtualMs(last)) : '<unset>'}\n`);
  const active = cj.status?.active ?? [];
  w.write(0, `Active Jobs:\t${active.length === 0 ? '<none>' : active.map((j) => j.name).join(', ')}\n`);
  w.write(0, describeEvents(events, now));
  return w.toString();
}
