import { objectKey } from '../api/resources';
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
import { addPodControllerUIDIndex, podsControlledBy } from './pod-controller-uid-index';
import { REPLICASET_KIND, type ReplicatedKind } from './replicated-kind';

/**
 * The ReplicaSet controller's runtime: the thin part around the pure reconcile.
 *
 *   event handlers  -> only enqueue the ReplicaSet's key
 *   worker          -> reconcile(key): read the cache, call the pure reconcile, act
 *
 * Error branches, each with its retry decision:
 *   - ReplicaSet gone from the cache       -> done, nothing to retry
 *   - ReplicaSet being deleted             -> done: it makes no more pods while it goes
 *   - waiting to observe earlier creations -> done; the pod events will enqueue it again
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
 *
 * Deliberately minimal for now: no adoption of orphan pods that match the selector, and no
 * slow-start batching of creations; the controller-manager chapter adds both.
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
      onUpdate: (_old, pod) => this.podChanged(pod, 'update'),
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

  /** A pod event matters to the ReplicaSet (or RC) that controls it. */
  private podChanged(pod: Readonly<Pod>, what: 'add' | 'update' | 'delete'): void {
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === this.kind.kind);
    if (owner === undefined) return;
    const key = `${pod.metadata.namespace}/${owner.name}`;
    if (what === 'add') this.expectations.observeAdd(key);
    if (what === 'delete') this.expectations.observeDelete(key);
    this.queue.add(key);
  }

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
    if (!this.expectations.satisfied(key, this.sim.now())) return 'done';
    const pods = podsControlledBy(this.pods, rs.metadata.uid!);

    let actions: ReplicaSetActions;
    try {
      actions = this.reconcileFn({ replicaSet: rs, pods, now: this.sim.now() });
    } catch (err) {
      return { retry: (err as Error).message };
    }
    const malformed = checkActions(actions);
    if (malformed !== undefined) return { retry: `reconcile returned ${malformed}` };

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
    const requests = new PendingRequests();
    const podsApi = typedClient<Pod>(this.client, 'pods', rs.metadata.namespace);
    for (const pod of actions.create) {
      const answered = requests.start();
      podsApi.create(this.ownedByKind(pod, rs), (r) => {
        if (r.kind === 'ok') {
          this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${r.object.metadata.name}`);
          return answered();
        }
        this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${r.status.message}`);
        this.expectations.observeAdd(key); // an expected pod that will never come
        answered(`create pod: ${r.status.message}`);
      });
    }
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
      typedClient<T>(this.client, this.kind.resource, rs.metadata.namespace).updateStatus({ ...owner, status: actions.status } as T, (r) => {
        // 409: the ReplicaSet changed meanwhile; its update event has already requeued it.
        answered(r.kind === 'error' && r.status.code !== 409 ? `update status: ${r.status.message}` : undefined);
      });
    }
    return requests;
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
    const refs = (pod.metadata.ownerReferences ?? []).map((r) => (r.controller && r.uid === rs.metadata.uid ? { ...r, apiVersion: this.kind.apiVersion, kind: this.kind.kind } : r));
    return { ...pod, metadata: { ...pod.metadata, ownerReferences: refs } };
  }
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
