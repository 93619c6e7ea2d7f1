import type { CronJob, Job } from '../api/types';
import { checked, KubectlError, type Send } from './kubectl-error';

/**
 * `kubectl create job <name> --from=cronjob/<cronJob>` (kubectl 1.32: cmd/create/create_job.go,
 * createJobFromCronJob): run a CronJob's job now, by hand. kubectl reads the CronJob and
 * creates a Job from its jobTemplate: the template's labels, its annotations plus
 * cronjob.kubernetes.io/instantiate: manual, its spec, and an owner reference to the CronJob
 * (controller: true, but without blockOwnerDeletion, which would need the cronjobs/finalizers
 * permission). Deleting the CronJob deletes it too (the garbage collector follows the
 * reference), and the CronJob's history limits count it once it has finished.
 *
 *   jobFromCronJob(helloCronJob, 'hello-manual')
 *   // => { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'hello-manual',
 *   //      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' }, labels: <template's>,
 *   //      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid, controller: true }] },
 *   //      spec: <the jobTemplate's spec> }
 *   createJobFromCronJob(send, 'default', 'hello-manual', 'hello')   // => 'job.batch/hello-manual created'
 */
export const INSTANTIATE_ANNOTATION = 'cronjob.kubernetes.io/instantiate';

export function createJobFromCronJob(send: Send, namespace: string, name: string, cronJob: string): string {
  const cj = checked(send({ verb: 'get', resource: 'cronjobs', namespace, name: cronJob })).body as CronJob;
  const res = send({ verb: 'create', resource: 'jobs', namespace, body: jobFromCronJob(cj, name) });
  if (res.code >= 400) throw new KubectlError(`error: failed to create job: ${(res.body as { message?: string }).message}`);
  return `job.batch/${name} created`;
}

export function jobFromCronJob(cj: Readonly<CronJob>, name: string): Job {
  const template = cj.spec.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      annotations: { [INSTANTIATE_ANNOTATION]: 'manual', ...template.metadata?.annotations },
      ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name!, uid: cj.metadata.uid!, controller: true }],
    },
    spec: structuredClone(template.spec) as Job['spec'],
  };
}
