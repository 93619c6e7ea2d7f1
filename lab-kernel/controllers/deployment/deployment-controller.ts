import { selectorMatches } from '../../api/labels';
import { objectKey } from '../../api/resources';
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../../api/types';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import type { SharedInformerFactory } from '../../client/shared-informer-factory';
import { typedClient } from '../../client/typed-client';
import { WorkQueue } from '../../client/work-queue';
import type { Simulation } from '../../sim/simulation';
import { applyClaims } from '../claim-applier';
import { claimObjects } from '../claim-pods';
import { addPodControllerUIDIndex, podsControlledBy } from '../pod-controller-uid-index';
import { FAILED_RS_CREATE_REASON, newCondition, setCondition } from './conditions';
import { hasProgressDeadline } from './deployment-status';
import { rolloutRecreate } from './recreate';
import { equalIgnoreHash, specReplicas } from './replica-set-lists';
import { rolloutRolling } from './rolling';
import type { RolloutStepFn } from './rollout-contract';
import { checkPausedConditions, isScalingEvent, syncScaling, syncStatusOnly } from './sync';
import { SyncPlan } from './sync-plan';
import { controllerRef } from '../../api/owner-references';

/**
 * kube-controller-manager's Deployment controller (pkg/controller/deployment), around the
 * exercise's rolling-update step (rollout-contract.ts):
 *
 *   event handlers -> only enqueue the Deployment's key (a ReplicaSet's or a pod's: its owner's;
 *                     an orphan ReplicaSet's: every Deployment whose selector matches it)
 *   worker         -> sync(key): claim the ReplicaSets (adopt matching orphans, release its own
 *                     that stopped matching: claim-pods.ts, ClaimReplicaSets), decide on working
 *                     copies (sync-plan.ts), then write
 *
 *   being deleted           -> the status only
 *   paused                  -> Progressing Unknown DeploymentPaused; scale, clean up, status: no rollout
 *   replicas changed        -> scale the only active ReplicaSet (syncScaling)
 *   RollingUpdate           -> rolling.ts, the step deciding how far to scale new and old
 *   Recreate                -> recreate.ts: old ones to 0, wait for their pods to be gone, then the new one
 *
 * Every ReplicaSet it sizes is an Event about the Deployment, with 1.32's wording: `Normal
 * ScalingReplicaSet Scaled up replica set web-7c5ddbdf54 from 0 to 1`, `... Scaled down
 * replica set web-6b7f6bb8d9 from 3 to 2`; a failed create is `Warning ReplicaSetCreateError
 * Failed to create new replica set "web-...": <message>`.
 *
 * Error branches, each with its retry decision:
 *   - Deployment gone from the cache        -> done, nothing to retry (the garbage collector removes its ReplicaSets)
 *   - a claim patch failed, or the fresh read says it may not adopt -> retry with backoff, deciding nothing
 *   - the step threw, or returned something malformed -> retry with backoff (the message is in the trace)
 *   - an update answered 409                -> done: the newer version's event has queued the Deployment again
 *   - the new ReplicaSet exists already     -> ours with this template: done (its event queues us); another's:
 *                                              a hash collision, collisionCount + 1, retry with backoff
 *   - any other failed write                -> retry with backoff, once every write of the sync has been answered
 *   - no progress yet, deadline ahead       -> done, and queued again for when it would pass (requeueStuckDeployment)
 *
 * A Deployment resized while several of its ReplicaSets have pods (mid-rollout, or paused)
 * spreads the change over them in proportion (proportional-scale.ts). `kubectl rollout undo`
 * is kubectl's own work (it patches the Deployment's template, kubectl/rollout-undo.ts).
 *
 * Simplified for now (later slices): no SelectingAll refusal of an empty selector; the deprecated rollbackTo field (extensions/v1beta1, apps/v1beta1) does
 * not exist in apps/v1 and is not modelled; no ReplicaFailure condition; one write per object
 * and sync, where upstream may write a Deployment's status twice.
 */
export const DEPLOYMENT_CONTROLLER = 'deployment-controller';
/** kube-controller-manager's --concurrent-deployment-syncs default. */
export const DEPLOYMENT_WORKERS = 5;

export class DeploymentController {
  readonly deployments: Informer<Deployment>;
  readonly replicaSets: Informer<ReplicaSet>;
  readonly pods: Informer<Pod>;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    private readonly step: RolloutStepFn,
  ) {
    this.queue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: DEPLOYMENT_CONTROLLER });
    this.deployments = informers.informerFor<Deployment>('deployments');
    this.replicaSets = informers.informerFor<ReplicaSet>('replicasets');
    this.pods = informers.informerFor<Pod>('pods');
    addPodControllerUIDIndex(this.pods);
    this.deployments.addEventHandler({
      onAdd: (d) => this.queue.add(objectKey(d)),
      onUpdate: (_old, d) => this.queue.add(objectKey(d)),
      onDelete: (d) => this.queue.add(objectKey(d)),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.enqueueOwner(rs) ?? this.enqueueSelecting(rs),
      onUpdate: (old, rs) => {
        const was = this.ownerKey(old);
        if (was !== undefined && was !== this.ownerKey(rs)) this.queue.add(was);
        const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(rs.metadata.labels ?? {});
        if (this.enqueueOwner(rs) === undefined && (labelsChanged || was !== undefined)) this.enqueueSelecting(rs);
      },
      onDelete: (rs) => this.enqueueOwner(rs),
    });
    // Only the last pod of a Recreate Deployment's old ReplicaSets matters: then the new one may start.
    this.pods.addEventHandler({ onDelete: (pod) => this.podDeleted(pod) });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: DEPLOYMENT_CONTROLLER, workers: DEPLOYMENT_WORKERS });
  }

  hasSynced(): boolean {
    return this.deployments.hasSynced() && this.replicaSets.hasSynced() && this.pods.hasSynced();
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  /** The key of the Deployment that controls this object, if it is one we know (same uid). */
  private ownerKey(obj: Readonly<KubeObject>): string | undefined {
    const ref = obj.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
    if (ref === undefined) return undefined;
    const key = `${obj.metadata.namespace}/${ref.name}`;
    return this.deployments.lister.get(key)?.metadata.uid === ref.uid ? key : undefined;
  }

  /** The key of the Deployment that controls the ReplicaSet, queued; undefined if none does. */
  private enqueueOwner(rs: Readonly<ReplicaSet>): string | undefined {
    const key = this.ownerKey(rs);
    if (key !== undefined) this.queue.add(key);
    return key;
  }

  /** An orphan ReplicaSet: the Deployments whose selector matches it, queued (getDeploymentsForReplicaSet). */
  private enqueueSelecting(rs: Readonly<ReplicaSet>): void {
    if (controllerRef(rs) !== undefined) return;
    for (const d of this.deployments.lister.list(rs.metadata.namespace)) {
      if (selectorMatches(d.spec.selector, rs.metadata.labels)) this.queue.add(objectKey(d));
    }
  }

  private podDeleted(pod: Readonly<Pod>): void {
    const rsRef = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'ReplicaSet');
    const rs = rsRef === undefined ? undefined : this.replicaSets.lister.get(`${pod.metadata.namespace}/${rsRef.name}`);
    const key = rs === undefined ? undefined : this.ownerKey(rs);
    if (key !== undefined && this.deployments.lister.get(key)?.spec.strategy?.type === 'Recreate') this.queue.add(key);
  }

  /**
   * One sync: claim the namespace's ReplicaSets (claim-pods.ts: adopt matching orphans,
   * release its own that stopped matching; getReplicaSetsForDeployment), then decide on the
   * ones it owns and their pods, and write. A failed claim ends the sync, which retries.
   */
  private sync(key: string): ReconcileOutcome | PendingRequests {
    const d = this.deployments.lister.get(key);
    if (d === undefined) return 'done';
    const claims = claimObjects(d, d.spec.selector, this.replicaSets.lister.list(d.metadata.namespace));
    const requests = new PendingRequests();
    const claimed = requests.start();
    const owner = { object: d, apiVersion: 'apps/v1', kind: 'Deployment', resource: 'deployments' };
    applyClaims({ sim: this.sim, client: this.client, controller: DEPLOYMENT_CONTROLLER, owner, resource: 'replicasets', claims, requests }, (replicaSets, failed) => {
      if (!failed) this.syncOwned(key, d, replicaSets, requests);
      claimed();
    });
    return requests;
  }

  /** The decision on the ReplicaSets it owns and their pods, then the writes. */
  private syncOwned(key: string, d: Readonly<Deployment>, replicaSets: readonly Readonly<ReplicaSet>[], requests: PendingRequests): void {
    // The pods its ReplicaSets control, from the informer's controller-uid index (not a scan of the namespace).
    const pods = () => replicaSets.flatMap((rs) => podsControlledBy(this.pods, rs.metadata.uid!));
    const plan = new SyncPlan(d, replicaSets, pods, this.sim.now());
    try {
      if (d.metadata.deletionTimestamp !== undefined) syncStatusOnly(plan);
      else {
        checkPausedConditions(plan);
        const type = d.spec.strategy?.type;
        if (d.spec.paused || isScalingEvent(plan)) syncScaling(plan);
        else if (type === 'Recreate') rolloutRecreate(plan);
        else if (type === 'RollingUpdate') rolloutRolling(plan, this.step);
        else return requests.start()(`unexpected deployment strategy type: ${type}`);
      }
    } catch (err) {
      return requests.start()((err as Error).message);
    }
    if (plan.checkAgain === 'now') this.queue.addRateLimited(key);
    else if (plan.checkAgain !== undefined) this.queue.addAfter(key, plan.checkAgain);
    this.write(key, plan, requests);
  }

  /** Carries the plan out: one write per changed object; the Deployment's status after a create succeeded. */
  private write(key: string, plan: SyncPlan, requests: PendingRequests): void {
    if (!plan.hasWrites()) return;
    const d = plan.cached;
    const changed = plan.changedReplicaSets();
    this.sim.trace.action(this.sim.now(), this.client.component, `${DEPLOYMENT_CONTROLLER}: sync ${key}: ${summary(plan, changed)}`, { key });
    const rsApi = typedClient<ReplicaSet>(this.client, 'replicasets', d.metadata.namespace);
    const events = (name: string) => {
      for (const message of plan.events.get(name) ?? []) this.recorder.event(d, 'Normal', 'ScalingReplicaSet', message);
    };
    const writeStatus = () => {
      if (!plan.deploymentChanged()) return;
      const answered = requests.start();
      typedClient<Deployment>(this.client, 'deployments', d.metadata.namespace).updateStatus(plan.deployment, (r) =>
        answered(r.kind === 'error' && r.status.code !== 409 ? `update status: ${r.status.message}` : undefined),
      );
    };
    for (const rs of changed) {
      const answered = requests.start();
      rsApi.update(rs, (r) => {
        if (r.kind === 'ok') events(rs.metadata.name!);
        answered(r.kind === 'error' && r.status.code !== 409 ? `update replica set ${rs.metadata.name}: ${r.status.message}` : undefined);
      });
    }
    for (const name of plan.deletes) {
      const answered = requests.start();
      rsApi.delete(name, {}, (r) => answered(r.kind === 'error' && r.status.code !== 404 ? `delete replica set ${name}: ${r.status.message}` : undefined));
    }
    const created = plan.create;
    if (created === undefined) return writeStatus();
    const answered = requests.start();
    rsApi.create(created, (r) => {
      if (r.kind === 'ok') {
        events(created.metadata.name!);
        writeStatus();
        return answered();
      }
      answered(this.createFailed(plan, created, r.status.code, r.status.message ?? '', requests));
    });
  }

  /** What a failed create of the new ReplicaSet means, and the retry reason (undefined: none). */
  private createFailed(plan: SyncPlan, rs: ReplicaSet, code: number, message: string, requests: PendingRequests): string | undefined {
    const d = plan.cached;
    const name = rs.metadata.name!;
    const statusWrite = (next: Deployment) => {
      const answered = requests.start();
      typedClient<Deployment>(this.client, 'deployments', d.metadata.namespace).updateStatus(next, () => answered());
    };
    if (code === 409) {
      const existing = this.replicaSets.lister.get(`${d.metadata.namespace}/${name}`);
      if (existing === undefined) return `create replica set ${name}: ${message}`;
      const ours = existing.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid) ?? false;
      if (ours && equalIgnoreHash(existing.spec.template, d.spec.template)) return undefined;
      // A hash collision: another template (or owner) under this name. Count it: the next hash differs.
      const next = structuredClone(d) as Deployment;
      next.status = Object.assign({}, next.status, { collisionCount: (d.status?.collisionCount ?? 0) + 1 });
      statusWrite(next);
      return `hash collision: replica set ${name} exists and is not this template's; collisionCount is now ${next.status.collisionCount}`;
    }
    const why = `Failed to create new replica set "${name}": ${message}`;
    if (hasProgressDeadline(d)) {
      const next = structuredClone(d) as Deployment;
      next.status ??= {};
      setCondition(next.status, newCondition('Progressing', 'False', FAILED_RS_CREATE_REASON, why, this.sim.now()));
      statusWrite(next);
    }
    this.recorder.event(d, 'Warning', FAILED_RS_CREATE_REASON, why);
    return `create replica set ${name}: ${message}`;
  }
}

/** The trace's line for a sync: `create web-7c5ddbdf54 (1); web-6b7f6bb8d9 3 -> 2; delete web-...; status`. */
function summary(plan: SyncPlan, changed: readonly ReplicaSet[]): string {
  const parts: string[] = [];
  if (plan.create !== undefined) parts.push(`create ${plan.create.metadata.name} (${specReplicas(plan.create)})`);
  for (const rs of changed) {
    const before = specReplicas(plan.cachedOf(rs)!);
    parts.push(before === specReplicas(rs) ? `${rs.metadata.name} annotations` : `${rs.metadata.name} ${before} -> ${specReplicas(rs)}`);
  }
  for (const name of plan.deletes) parts.push(`delete ${name}`);
  if (plan.deploymentChanged()) parts.push('status');
  return parts.join('; ');
}
