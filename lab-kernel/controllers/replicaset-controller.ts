import { objectKey, sortedByKey } from '../api/resources';
import { selectorMatches } from '../api/labels';
import type { KubeObject, Pod, ReplicaSet } from '../api/types';
import type { Client } from '../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../client/controller-runner';
import { EventRecorder } from '../client/event-recorder';
import { typedClient } from '../client/typed-client';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import { WorkQueue } from '../client/work-queue';
import type { Simulation } from '../sim/simulation';
import type { ReconcileReplicaSet, ReplicaSetActions } from './replicaset-contract';
import { Expectations } from './expectations';
import { applyClaims } from './claim-applier';
import { claimPods } from './claim-pods';
import { addPodControllerUIDIndex, orphanPodsIn, podsControlledBy } from './pod-controller-uid-index';
import { REPLICASET_KIND, type ReplicatedKind } from './replicated-kind';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from './slow-start-batch';
import { controllerRef } from '../api/owner-references';

/**
 * The ReplicaSet controller's runtime: the thin part around the pure reconcile.
 *
 *   event handlers  -> only enqueue the ReplicaSet's key (an orphan pod's: every ReplicaSet
 *                      whose selector matches it)
 *   worker          -> sync(key): read the cache, claim the pods (claim-pods.ts: adopt matching
 *                      orphans, release its own that stopped matching, claim-applier.ts sends
 *                      the patches), call the pure reconcile with the pods it then owns, act
 *
 * Creations go out slow start (slow-start-batch.ts): 1, then 2, 4, ... once the batch before
 * has been answered; after a failed batch the rest are skipped until the retry.
 *
 * Error branches, each with its retry decision:
 *   - ReplicaSet gone from the cache       -> done, nothing to retry
 *   - ReplicaSet being deleted             -> done: it makes no more pods (and claims none) while it goes
 *   - a claim patch failed, or the fresh
 *     read says it may not adopt           -> retry with backoff, without reconciling
 *   - waiting to observe earlier creations -> done after claiming; the pod events will enqueue it again
 *   - the reconcile function failed        -> retry with backoff (the error is in the trace)
 *   - its result is malformed              -> retry with backoff
 *   - a create/delete/status call failed   -> retry with backoff, once every write of the sync
 *                                             has been answered (controller-runner.ts)
 *   - every pod Ready, not all available   -> done, and queued again in minReadySeconds, when
 *                                             they will be (nothing else would trigger it)
 *
 * Each pod it creates or deletes is also an Event about the ReplicaSet, with the reasons and
 * messages of kube-controller-manager (controller_utils.go): `Normal SuccessfulCreate
 * Created pod: web-x7k2p`, `Normal SuccessfulDelete Deleted pod: web-x7k2p`, and
 * `Warning FailedCreate Error creating: ...` / `Warning FailedDelete Error deleting: ...`.
 *
 * The same code runs ReplicationControllers (replicated-kind.ts): kube-controller-manager's
 * replication manager is the ReplicaSet controller run on RCs through a conversion adapter.
 * The kind says which informer to read, how its object becomes a ReplicaSet for the
 * reconcile, whose owner reference the pods get, and the name its Events carry.
 *
 *   new ReplicaSetController(sim, client, informers, reconcile)                          // ReplicaSets
 *   new ReplicaSetController(sim, client, informers, reconcile, REPLICATIONCONTROLLER_KIND)  // RCs
 */
export const REPLICASET_CONTROLLER = REPLICASET_KIND.controller;
/** kube-controller-manager's --concurrent-replicaset-syncs default. */
export const REPLICASET_WORKERS = 5;

export class ReplicaSetController<T extends KubeObject = ReplicaSet> {
  /** The informer of the kind it runs (replicasets, or replicationcontrollers). */
  readonly replicaSets: Informer<T>;
  readonly pods: Informer<Pod>;
  private readonly queue: WorkQueue;
  private readonly expectations = new Expectations();
  private readonly recorder: EventRecorder;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    private readonly reconcileFn: ReconcileReplicaSet,
    private readonly kind: ReplicatedKind<T> = REPLICASET_KIND as unknown as ReplicatedKind<T>,
  ) {
    this.queue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: kind.eventComponent });
    this.replicaSets = informers.informerFor<T>(kind.resource);
    this.pods = informers.informerFor<Pod>('pods');
    addPodControllerUIDIndex(this.pods);
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.queue.add(objectKey(rs)),
      onUpdate: (_old, rs) => this.queue.add(objectKey(rs)),
      onDelete: (rs) => this.queue.add(objectKey(rs)),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(pod, 'add'),
      onUpdate: (old, pod) => this.podChanged(pod, 'update', old),
      onDelete: (pod) => this.podChanged(pod, 'delete'),
    });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: kind.controller, workers: REPLICASET_WORKERS });
  }

  hasSynced(): boolean {
    return this.replicaSets.hasSynced() && this.pods.hasSynced();
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  /**
   * A pod event matters to the ReplicaSet (or RC) that controls it; one whose controller
   * changed, to the old controller too (it lost a pod); an orphan's, when it arrives or its
   * labels change, to every one whose selector matches it, which may adopt it (replica_set.go
   * addPod, updatePod).
   */
  private podChanged(pod: Readonly<Pod>, what: 'add' | 'update' | 'delete', old?: Readonly<Pod>): void {
    const controller = controllerRef(pod);
    const before = old === undefined ? undefined : controllerRef(old);
    if (before !== undefined && before.uid !== controller?.uid && before.kind === this.kind.kind) this.queue.add(`${pod.metadata.namespace}/${before.name}`);
    if (controller === undefined) {
      // An orphan: new, relabelled, or just released.
      const labelsChanged = old !== undefined && JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
      if (what === 'add' || labelsChanged || before !== undefined) this.enqueueSelecting(pod);
      return;
    }
    if (controller.kind !== this.kind.kind) return;
    const key = `${pod.metadata.namespace}/${controller.name}`;
    if (what === 'add') this.expectations.observeAdd(key);
    if (what === 'delete') this.expectations.observeDelete(key);
    this.queue.add(key);
  }

  /** Queues every owner of the pod's namespace whose selector matches it (getPodReplicaSets). */
  private enqueueSelecting(pod: Readonly<Pod>): void {
    for (const owner of this.replicaSets.lister.list(pod.metadata.namespace)) {
      if (selectorMatches(this.kind.toReplicaSet(owner).spec.selector, pod.metadata.labels)) this.queue.add(objectKey(owner));
    }
  }

  /**
   * One sync: claim the pods (adopt matching orphans, release its pods that no longer match),
   * then hand the pods it owns to the pure reconcile and carry its actions out. As in
   * replica_set.go syncReplicaSet, claiming happens even while earlier creations are still
   * awaited; a claim that failed skips the reconcile, and the sync retries.
   */
  private sync(key: string): ReconcileOutcome | PendingRequests {
    const owner = this.replicaSets.lister.get(key);
    if (owner === undefined) {
      this.expectations.forget(key);
      return 'done';
    }
    // Being deleted (foreground, or orphaning its pods): replace nothing, as kube-controller-manager does.
    if (owner.metadata.deletionTimestamp !== undefined) return 'done';
    // What the reconcile sees: the ReplicaSet itself, or an RC converted to one.
    const rs = this.kind.toReplicaSet(owner);
    const needsSync = this.expectations.satisfied(key, this.sim.now());
    // The pods it controls and the namespace's orphans; only active ones are claimed (FilterActivePods).
    // Its finished pods stay its own without being claimed; the reconcile sees them too.
    const active: Readonly<Pod>[] = [];
    const finished: Readonly<Pod>[] = [];
    for (const pod of podsControlledBy(this.pods, rs.metadata.uid!)) (isActive(pod) ? active : finished).push(pod);
    const candidates = active.concat(orphanPodsIn(this.pods, rs.metadata.namespace!).filter(isActive));
    const claims = claimPods(rs, rs.spec.selector, candidates);
    const requests = new PendingRequests();
    const claimed = requests.start();
    const claimOwner = { object: owner, apiVersion: this.kind.apiVersion, kind: this.kind.kind, resource: this.kind.resource };
    applyClaims({ sim: this.sim, client: this.client, controller: this.kind.controller, owner: claimOwner, resource: 'pods', claims, requests }, (owned, failed) => {
      if (!failed && needsSync) {
        // `owned` comes sorted already: with no finished pods, it is the list.
        const pods = finished.length === 0 ? owned : sortedByKey([...finished, ...owned]);
        this.manage(key, owner, rs, pods, requests);
      }
      claimed();
    });
    return requests;
  }

  /** Calls the pure reconcile on the pods the ReplicaSet owns, and carries its actions out. */
  private manage(key: string, owner: Readonly<T>, rs: Readonly<ReplicaSet>, pods: readonly Readonly<Pod>[], requests: PendingRequests): void {
    let actions: ReplicaSetActions;
    try {
      actions = this.reconcileFn({ replicaSet: rs, pods, now: this.sim.now() });
    } catch (err) {
      return requests.start()((err as Error).message);
    }
    const malformed = checkActions(actions);
    if (malformed !== undefined) return requests.start()(`reconcile returned ${malformed}`);

    this.sim.trace.action(
      this.sim.now(),
      this.client.component,
      `${this.kind.controller}: reconcile ${key}: want ${rs.spec.replicas ?? 1}, have ${actions.status.replicas} -> create ${actions.create.length}, delete ${actions.delete.length}`,
      { key, create: actions.create.length, delete: actions.delete.length },
    );
    this.expectations.expect(key, { adds: actions.create.length, deletes: actions.delete.length }, this.sim.now());
    // Every pod Ready but not all available yet: nothing else may happen when minReadySeconds
    // pass, so look again then (replica_set.go syncReplicaSet's AddAfter).
    const wanted = rs.spec.replicas ?? 1;
    const minReadySeconds = rs.spec.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && actions.status.readyReplicas === wanted && actions.status.availableReplicas !== wanted) this.queue.addAfter(key, minReadySeconds * 1000);
    // The sync ends when every write has been answered; a failed one makes it retry with backoff.
    const podsApi = typedClient<Pod>(this.client, 'pods', rs.metadata.namespace);
    this.createPods(key, owner, rs, actions.create, requests);
    for (const name of actions.delete) {
      const answered = requests.start();
      // Deleted, or marked for a graceful deletion the kubelet finishes: either way, done here.
      podsApi.delete(name, {}, (r) => {
        if (r.kind === 'ok') {
          this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
          return answered();
        }
        // Like kube-controller-manager: a pod already gone is no news worth an Event.
        if (r.status.code !== 404) this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${r.status.message}`);
        this.expectations.observeDelete(key);
        answered(`delete pod ${name}: ${r.status.message}`);
      });
    }
    if (JSON.stringify(actions.status) !== JSON.stringify(rs.status ?? {})) {
      const answered = requests.start();
      typedClient<T>(this.client, this.kind.resource, rs.metadata.namespace).updateStatus(Object.assign({}, owner, { status: actions.status }) as T, (r) => {
        // 409: the ReplicaSet changed meanwhile; its update event has already requeued it.
        answered(r.kind === 'error' && r.status.code !== 409 ? `update status: ${r.status.message}` : undefined);
      });
    }
  }

  /**
   * The creations, slow start (slow-start-batch.ts): batches of 1, 2, 4, ...; after a batch
   * with a failure the rest are skipped, and the expectations no longer wait for them
   * (replica_set.go manageReplicas). Each failed creation is its own failed write.
   */
  private createPods(key: string, owner: Readonly<T>, rs: Readonly<ReplicaSet>, create: readonly Pod[], requests: PendingRequests): void {
    if (create.length === 0) return;
    const podsApi = typedClient<Pod>(this.client, 'pods', rs.metadata.namespace);
    const batches = requests.start();
    let tried = 0;
    slowStartBatch(
      create.length,
      SLOW_START_INITIAL_BATCH_SIZE,
      (i, ok) => {
        tried++;
        const answered = requests.start();
        podsApi.create(this.ownedByKind(create[i], rs), (r) => {
          if (r.kind === 'ok') {
            this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${r.object.metadata.name}`);
            answered();
            return ok(true);
          }
          this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${r.status.message}`);
          this.expectations.observeAdd(key); // an expected pod that will never come
          answered(`create pod: ${r.status.message}`);
          ok(false);
        });
      },
      (successes, failed) => {
        if (failed) {
          this.sim.trace.action(
            this.sim.now(),
            this.client.component,
            `${this.kind.controller}: Slow-start failure. Skipping creation of pods, decrementing expectations podsSkipped=${create.length - successes} kind=${this.kind.kind} replicaSet=${key}`,
            { key, skipped: create.length - successes },
          );
        }
        for (let i = tried; i < create.length; i++) this.expectations.observeAdd(key);
        batches();
      },
    );
  }

  /**
   * The pod as the API server gets it: podFromTemplate names a ReplicaSet as its controller;
   * for another kind the reference names that kind instead (upstream's pod control adapter).
   *
   *   ownedByKind(pod, rcAsReplicaSet).metadata.ownerReferences
   *   // => [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'nginx', uid, controller: true, blockOwnerDeletion: true }]
   */
  private ownedByKind(pod: Pod, rs: Readonly<ReplicaSet>): Pod {
    if (this.kind.kind === 'ReplicaSet') return pod;
    const refs = (pod.metadata.ownerReferences ?? []).map((r) => (r.controller && r.uid === rs.metadata.uid ? Object.assign({}, r, { apiVersion: this.kind.apiVersion, kind: this.kind.kind }) : r));
    return Object.assign({}, pod, { metadata: Object.assign({}, pod.metadata, { ownerReferences: refs }) });
  }
}


/** Whether a pod still counts: not finished and not being deleted (controller_utils.go IsPodActive). */
function isActive(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

/** What is wrong with a reconcile result, or undefined if it has the right shape. */
function checkActions(a: unknown): string | undefined {
  const actions = a as ReplicaSetActions;
  if (actions === null || typeof actions !== 'object') return `${JSON.stringify(a)} instead of { create, delete, status }`;
  if (!Array.isArray(actions.create)) return 'no create list';
  if (!Array.isArray(actions.delete) || actions.delete.some((n) => typeof n !== 'string')) return 'a delete list that is not a list of pod names';
  if (actions.create.some((p) => p === null || typeof p !== 'object' || (p as Pod).kind !== 'Pod')) return 'a create list with something that is not a Pod';
  if (actions.status === null || typeof actions.status !== 'object' || typeof actions.status.replicas !== 'number') return 'no status with a replicas count';
  return undefined;
}
