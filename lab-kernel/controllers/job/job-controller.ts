import { objectKey } from '../../api/resources';
import { timestamp, virtualMs } from '../../api/time';
import { selectorMatches } from '../../api/labels';
import type { Condition, Job, Pod } from '../../api/types';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import type { SharedInformerFactory } from '../../client/shared-informer-factory';
import { typedClient } from '../../client/typed-client';
import { WorkQueue } from '../../client/work-queue';
import type { Simulation } from '../../sim/simulation';
import { applyClaims } from '../claim-applier';
import { claimPods } from '../claim-pods';
import { COMPLETION_INDEX, TRACKING_FINALIZER, type BackoffRecord, type JobPlan, type PlanJob } from './job-plan-contract';
import { controllerRef } from '../../api/owner-references';

/**
 * kube-controller-manager's Job controller (pkg/controller/job): runs a Job's pods to
 * completion, and counts them.
 *
 *   handlers  a Job added or changed: its key now; one of its pods changed: its key in 1 s
 *             (syncJobBatchPeriod: many pod changes, one sync)
 *   sync      read the Job and the namespace's pods, claim them (adopt matching orphans,
 *             release its own that stopped matching: claim-pods.ts), planJob (exercise
 *             job-reconcile) with the pods it owns, then write:
 *             create pods (with the tracking finalizer), delete the ones to go,
 *             the status (finished pods first listed in uncountedTerminatedPods), the
 *             tracking finalizer off the pods now counted, the conditions once finished
 *
 * Counting through a finalizer (job tracking, on since 1.26) is what lets the controller count
 * a pod exactly once even if the pod is deleted right after it finished: the pod cannot go
 * until the controller has written it into the status and taken its finalizer off.
 *
 * Pods are named <job>-<5 random characters> (<job>-<index>-<random> for Indexed Jobs, with
 * the batch.kubernetes.io/job-completion-index annotation and label, and hostname <job>-<index>).
 *
 * Simplified: no slow-start batches of creations, no JOB_COMPLETION_INDEX environment
 * variable, no podFailurePolicy or successPolicy, no ttlSecondsAfterFinished (the TTL
 * controller's work), no managedBy.
 */
export const JOB_CONTROLLER = 'job-controller';
/** kube-controller-manager's --concurrent-job-syncs default. */
export const JOB_WORKERS = 5;
const SYNC_JOB_BATCH_PERIOD_MS = 1_000;

export class JobController {
  readonly jobs: Informer<Job>;
  readonly pods: Informer<Pod>;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  /** Per Job: the pod failure back-off, and the finished pods already taken into it. */
  private readonly backoffs = new Map<string, BackoffRecord & { seen: Set<string> }>();

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    /** The decision: exercise job-reconcile (the reference's, or a learner's). */
    private readonly planJob: PlanJob,
  ) {
    this.queue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: JOB_CONTROLLER });
    this.jobs = informers.informerFor<Job>('jobs');
    this.pods = informers.informerFor<Pod>('pods');
    this.jobs.addEventHandler({
      onAdd: (j) => this.queue.add(objectKey(j)),
      onUpdate: (_old, j) => this.queue.add(objectKey(j)),
      onDelete: (j) => this.backoffs.delete(objectKey(j)),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podChanged(p, 'add'),
      onUpdate: (old, p) => this.podChanged(p, 'update', old),
      onDelete: (p) => this.podChanged(p, 'delete'),
    });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: JOB_CONTROLLER, workers: JOB_WORKERS });
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  hasSynced(): boolean {
    return this.jobs.hasSynced() && this.pods.hasSynced();
  }

  /**
   * A pod event matters, a second later, to the Job that controls it; one whose controller
   * changed, to the old one too; an orphan's, when it arrives or its labels change, to every
   * Job whose selector matches it, which may adopt it (job_controller.go addPod, updatePod).
   */
  private podChanged(p: Readonly<Pod>, what: 'add' | 'update' | 'delete', old?: Readonly<Pod>): void {
    const controller = controllerRef(p);
    const before = old === undefined ? undefined : controllerRef(old);
    const enqueue = (name: string) => this.queue.addAfter(`${p.metadata.namespace}/${name}`, SYNC_JOB_BATCH_PERIOD_MS);
    if (before !== undefined && before.uid !== controller?.uid && before.kind === 'Job') enqueue(before.name);
    if (controller !== undefined) {
      if (controller.kind === 'Job') enqueue(controller.name);
      return;
    }
    const labelsChanged = old !== undefined && JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(p.metadata.labels ?? {});
    if (what !== 'add' && !labelsChanged && before === undefined) return;
    for (const job of this.jobs.lister.list(p.metadata.namespace)) {
      if (job.spec.selector !== undefined && selectorMatches(job.spec.selector, p.metadata.labels)) enqueue(job.metadata.name!);
    }
  }

  /**
   * One sync: claim the namespace's pods (claim-pods.ts; an adopted pod also gets the tracking
   * finalizer, a released one loses it), then plan with the pods the Job owns and write.
   * A failed claim skips the plan, and the sync retries.
   */
  private sync(key: string): ReconcileOutcome | PendingRequests {
    const job = this.jobs.lister.get(key);
    if (job === undefined || job.metadata.deletionTimestamp !== undefined) return 'done';
    if ((job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return 'done';
    // The API server always gives a Job a selector (its generated controller-uid one, or the user's).
    const claims = claimPods(job, job.spec.selector!, this.pods.lister.list(job.metadata.namespace));
    const requests = new PendingRequests();
    const claimed = requests.start();
    const owner = { object: job, apiVersion: 'batch/v1', kind: 'Job', resource: 'jobs' };
    applyClaims({ sim: this.sim, client: this.client, controller: JOB_CONTROLLER, owner, resource: 'pods', claims, requests, finalizers: [TRACKING_FINALIZER] }, (pods, failed) => {
      if (!failed) this.manage(key, job, pods, requests);
      claimed();
    });
    return requests;
  }

  /** Plans the Job with the pods it owns, and writes the plan out. */
  private manage(key: string, job: Readonly<Job>, pods: readonly Readonly<Pod>[], requests: PendingRequests): void {
    const backoff = this.observeFailures(key, pods);
    const now = this.sim.now();
    let plan: JobPlan;
    try {
      plan = this.planJob({ job, pods, nowMs: now, backoff: { failuresAfterLastSuccess: backoff.failuresAfterLastSuccess, lastFailureMs: backoff.lastFailureMs } });
    } catch (err) {
      return requests.start()(`planJob for ${key} failed: ${(err as Error).message}`);
    }
    this.sim.trace.action(now, this.client.component, `${JOB_CONTROLLER}: sync ${key}: active ${plan.active}, succeeded ${plan.succeeded}, failed ${plan.failed} -> create ${plan.createCount + plan.createIndexes.length}, delete ${plan.delete.length}${plan.finished ? `; ${plan.finished.reason}` : ''}`, { key });
    if (plan.requeueAfterMs !== undefined && plan.finished === undefined) this.queue.addAfter(key, plan.requeueAfterMs);

    const podsApi = typedClient<Pod>(this.client, 'pods', job.metadata.namespace);
    const creations = [...Array(plan.createCount).fill(undefined), ...plan.createIndexes];
    for (const index of creations) {
      const answered = requests.start();
      podsApi.create(podFor(job, index), (r) => {
        if (r.kind === 'ok') this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${r.object.metadata.name}`);
        else this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${r.status.message}`);
        answered(r.kind === 'ok' ? undefined : `create pod: ${r.status.message}`);
      });
    }
    for (const name of plan.delete) {
      const answered = requests.start();
      podsApi.delete(name, {}, (r) => {
        if (r.kind === 'ok') this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        answered(r.kind === 'ok' || r.status.code === 404 ? undefined : `delete pod ${name}: ${r.status.message}`);
      });
    }
    this.writeStatus(job, pods, plan, requests);
  }

  /**
   * The status, then the finalizers: finished pods still carrying the tracking finalizer go
   * into uncountedTerminatedPods; pods already listed there whose finalizer is off (or which
   * are gone) move into succeeded / failed.
   */
  private writeStatus(job: Readonly<Job>, pods: readonly Readonly<Pod>[], plan: JobPlan, requests: PendingRequests): void {
    const old = job.status ?? {};
    const byUid = new Map(pods.map((p) => [p.metadata.uid!, p]));
    const stillTracked = (uid: string) => byUid.get(uid)?.metadata.finalizers?.includes(TRACKING_FINALIZER) === true;
    const uncounted = { succeeded: [...(old.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(old.uncountedTerminatedPods?.failed ?? [])] };
    let succeeded = old.succeeded ?? 0;
    let failed = old.failed ?? 0;
    for (const [list, add] of [[uncounted.succeeded, (n: number) => (succeeded += n)], [uncounted.failed, (n: number) => (failed += n)]] as const) {
      const counted = list.filter((uid) => !stillTracked(uid));
      add(counted.length);
      list.splice(0, list.length, ...list.filter((uid) => stillTracked(uid)));
    }
    const toRelease: Readonly<Pod>[] = [];
    for (const p of pods) {
      const phase = p.status?.phase;
      if ((phase !== 'Succeeded' && phase !== 'Failed') || !p.metadata.finalizers?.includes(TRACKING_FINALIZER)) continue;
      const list = phase === 'Succeeded' ? uncounted.succeeded : uncounted.failed;
      if (!list.includes(p.metadata.uid!)) list.push(p.metadata.uid!);
      toRelease.push(p);
    }
    const now = this.sim.now();
    const conditions = [...(old.conditions ?? [])];
    const addCondition = (type: string, f: NonNullable<JobPlan['finished']>) => {
      if (!conditions.some((c) => c.type === type)) conditions.push({ type, status: 'True', reason: f.reason, message: f.message, lastTransitionTime: timestamp(now) } as Condition);
    };
    const f = plan.finished;
    // The terminal condition waits for the last pods to stop and be counted.
    const terminal = f !== undefined && plan.terminal && toRelease.length === 0 && uncounted.succeeded.length + uncounted.failed.length === 0;
    if (f !== undefined) addCondition(f.type === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget', f);
    if (terminal) addCondition(f!.type, f!);
    const status = Object.assign({}, old, {
      startTime: old.startTime ?? timestamp(now),
      active: plan.active + plan.createCount + plan.createIndexes.length - plan.delete.length,
      ready: plan.ready,
      terminating: plan.terminating + plan.delete.length,
      succeeded,
      failed,
      ...(plan.completedIndexes !== undefined ? { completedIndexes: plan.completedIndexes } : {}),
      uncountedTerminatedPods: uncounted,
      ...(conditions.length > 0 ? { conditions } : {}),
      ...(terminal && f!.type === 'Complete' ? { completionTime: timestamp(now) } : {}),
    });
    if (JSON.stringify(status) === JSON.stringify(old)) return;
    const answered = requests.start();
    typedClient<Job>(this.client, 'jobs', job.metadata.namespace).updateStatus(Object.assign({}, job, { status }), (r) => {
      if (r.kind === 'error') return answered(r.status.code === 409 ? undefined : `update status: ${r.status.message}`);
      if (terminal) {
        if (f!.type === 'Complete') this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
        else this.recorder.event(job, 'Warning', f!.reason, f!.message);
      }
      // Counted in the status: now the pods may go.
      for (const p of toRelease) {
        const released = requests.start();
        const finalizers = (p.metadata.finalizers ?? []).filter((x) => x !== TRACKING_FINALIZER);
        this.client.request(
          { verb: 'patch', resource: 'pods', namespace: p.metadata.namespace, name: p.metadata.name, patchType: 'application/merge-patch+json', body: { metadata: { finalizers: finalizers.length > 0 ? finalizers : null } } },
          (res) => released(res.code === 200 || res.code === 404 ? undefined : `remove the tracking finalizer of ${p.metadata.name}`),
        );
      }
      answered();
    });
  }

  /** The back-off record (newBackoffRecord): pods that failed since the last success, and when the last one did. */
  private observeFailures(key: string, pods: readonly Readonly<Pod>[]): BackoffRecord {
    const record = this.backoffs.get(key) ?? { failuresAfterLastSuccess: 0, seen: new Set<string>() };
    this.backoffs.set(key, record);
    const finishedAt = (p: Readonly<Pod>) => {
      const times = (p.status?.containerStatuses ?? []).map((c) => c.state?.terminated?.finishedAt).filter((t): t is string => t !== undefined).map(virtualMs);
      return times.length > 0 ? Math.max(...times) : this.sim.now();
    };
    const fresh = pods.filter((p) => (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') && !record.seen.has(p.metadata.uid!)).sort((a, b) => finishedAt(a) - finishedAt(b));
    for (const p of fresh) {
      record.seen.add(p.metadata.uid!);
      if (p.status?.phase === 'Succeeded') {
        record.failuresAfterLastSuccess = 0;
      } else {
        record.failuresAfterLastSuccess++;
        record.lastFailureMs = finishedAt(p);
      }
    }
    return record;
  }
}

/** A pod for the Job: its template, owned by it, carrying the tracking finalizer (and its completion index). */
function podFor(job: Readonly<Job>, index: number | undefined): Pod {
  const template = structuredClone(job.spec.template);
  const name = job.metadata.name!;
  const indexed = index !== undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: indexed ? `${name}-${index}-` : `${name}-`,
      namespace: job.metadata.namespace,
      labels: Object.assign({}, template.metadata?.labels, indexed ? { [COMPLETION_INDEX]: String(index) } : {}),
      annotations: Object.assign({}, template.metadata?.annotations, indexed ? { [COMPLETION_INDEX]: String(index) } : {}),
      finalizers: [TRACKING_FINALIZER],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: Object.assign({}, template.spec!, indexed ? { hostname: `${name}-${index}` } : {}),
  };
}
