import { invalidValue, notSupported, required, type StatusCause } from '../status';
import type { CronJob, Job, JobSpec } from '../types';
import { scheduleError } from './cron-schedule';
import { effectiveRestartPolicy, validatePodTemplate } from './pod';
import { immutable, isObject, isString, nonNegative, requiredBecause } from './rules';
import { validateLabelSelector } from './selector';

/**
 * Job and CronJob validation (pkg/apis/batch/validation).
 *
 *   validateJob({ spec: { template: { spec: { restartPolicy: 'Always', containers } } } })
 *   // => [ spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never" ]
 *   validateCronJob({ metadata: { name: 'hello' }, spec: { schedule: 'every minute', jobTemplate } })
 *   // => [ spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute] ]
 */
export function validateJobSpec(spec: Readonly<JobSpec> | undefined, field: string): StatusCause[] {
  if (!isObject(spec)) return [required(field)];
  const causes = [
    ...nonNegative(`${field}.parallelism`, spec.parallelism),
    ...nonNegative(`${field}.completions`, spec.completions),
    ...nonNegative(`${field}.activeDeadlineSeconds`, spec.activeDeadlineSeconds),
    ...nonNegative(`${field}.backoffLimit`, spec.backoffLimit),
    ...nonNegative(`${field}.ttlSecondsAfterFinished`, spec.ttlSecondsAfterFinished),
  ];
  if (spec.completionMode !== undefined && !['NonIndexed', 'Indexed'].includes(spec.completionMode)) {
    causes.push(notSupported(`${field}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
  }
  if (spec.completionMode === 'Indexed' && spec.completions === undefined) causes.push(requiredBecause(`${field}.completions`, 'when completion mode is Indexed'));
  if (spec.manualSelector === true) {
    if (!isObject(spec.selector)) causes.push(required(`${field}.selector`));
    else causes.push(...validateLabelSelector(spec.selector, `${field}.selector`));
  }
  causes.push(...validatePodTemplate(spec.template, `${field}.template`));
  // A Job's pods run to completion: they may restart on failure, never always.
  const policy = effectiveRestartPolicy(spec.template);
  if (policy !== 'OnFailure' && policy !== 'Never') causes.push(notSupported(`${field}.template.spec.restartPolicy`, policy, ['OnFailure', 'Never']));
  return causes;
}

/** Once created, a Job's selector, pod template, completion mode and (NonIndexed) completions are fixed. */
export function validateJob(job: Readonly<Job>, old?: Readonly<Job>): StatusCause[] {
  const causes = validateJobSpec(job.spec, 'spec');
  if (old === undefined || !isObject(old.spec) || !isObject(job.spec)) return causes;
  causes.push(...immutable('spec.selector', job.spec.selector, old.spec.selector));
  causes.push(...immutable('spec.template', job.spec.template, old.spec.template));
  causes.push(...immutable('spec.completionMode', job.spec.completionMode, old.spec.completionMode));
  if (job.spec.completionMode !== 'Indexed') causes.push(...immutable('spec.completions', job.spec.completions, old.spec.completions));
  return causes;
}

/** Jobs are named `<cronjob>-<scheduled minute>`: 11 characters are kept for the suffix. */
export const CRONJOB_NAME_MAX = 52;

export function validateCronJob(cj: Readonly<CronJob>): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = cj.metadata.name;
  if (isString(name) && name.length > CRONJOB_NAME_MAX) causes.push(invalidValue('metadata.name', name, `must be no more than ${CRONJOB_NAME_MAX} characters`));
  const spec = cj.spec;
  if (!isObject(spec)) return [...causes, required('spec')];
  if (!isString(spec.schedule) || spec.schedule === '') causes.push(required('spec.schedule'));
  else {
    const err = scheduleError(spec.schedule);
    if (err !== undefined) causes.push(invalidValue('spec.schedule', spec.schedule, err));
    if (spec.schedule.includes('TZ')) causes.push(invalidValue('spec.schedule', spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  const policies = ['Allow', 'Forbid', 'Replace'];
  if (spec.concurrencyPolicy !== undefined && !policies.includes(spec.concurrencyPolicy)) causes.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, policies));
  causes.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  causes.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
  causes.push(...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
  const template = isObject(spec.jobTemplate) ? spec.jobTemplate : undefined;
  causes.push(...validateJobSpec(template?.spec, 'spec.jobTemplate.spec'));
  return causes;
}
