import { selectorMatches } from '../../api/labels';
import { objectKey } from '../../api/resources';
import type { ControllerRevision, PersistentVolumeClaim, Pod, StatefulSet, StatefulSetStatus } from '../../api/types';
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
import { isPodAvailable } from '../daemonset/plan-input';
import { CONTROLLER_REVISION_HASH_LABEL, revisionsToDelete, revisionTemplate } from '../history/controller-revisions';
import { syncRevision } from '../history/revision-sync';
import { isPodReady } from '../replicaset-contract';
import { claimName, newClaim, newStatefulSetPod, ordinalOf } from './stateful-pod';
import type { PlanStatefulSet, PodPhase, StatefulPod, StatefulSetAction, StatefulSetPlanInput } from './statefulset-plan-contract';
import { controllerRef } from '../../api/owner-references';

/**
 * kube-controller-manager's StatefulSet controller (pkg/controller/statefulset): pods with
 * stable names <set>-<ordinal>, each with its own claims, made and removed in order.
 *
 *   handlers  a StatefulSet added or changed or gone, one of its pods added, changed or gone,
 *             one of its revisions gone: the StatefulSet's key; an orphan pod added or
 *             relabelled: the keys of the sets that select it; a pod just turned Ready with
 *             minReadySeconds: again that much (+1 s) later
 *   sync      claim the namespace's pods named <set>-<ordinal> (claim-pods.ts: adopt matching
 *             orphans, release its own that stopped matching), the revision of the current
 *             template (made if missing: syncRevision), then
 *             planStatefulSet (exercise statefulset-ordinals) on the set's pods by ordinal and
 *             the claims that exist, then what it says: create a pod (its missing claims
 *             first), delete a pod, or wait; old revisions beyond revisionHistoryLimit go; and
 *             the status (replicas, ready, available, current, updated, the two revisions)
 *
 * Events, as stateful_pod_control.go words them: `SuccessfulCreate create Claim www-web-0 Pod
 * web-0 in StatefulSet web success`, `SuccessfulCreate create Pod web-0 in StatefulSet web
 * successful`, `SuccessfulDelete delete Pod web-1 in StatefulSet web successful`, and
 * FailedCreate / FailedDelete (Warning) with "... failed error: <why>".
 *
 * Simplified: no adoption or release of ControllerRevisions by selector (the set's own, by
 * owner reference, only; its pods are claimed), no repair of a pod whose identity or volumes were edited
 * (UpdateStatefulPod), no claims made for a Pending pod whose claims were deleted, no
 * whenScaled: Delete (claims of scaled-down pods are kept; whenDeleted: Delete is modelled by the
 * claim's owner reference), and maxUnavailable (alpha in 1.32) is ignored. A pod that already
 * exists when created (the cache is behind) is left for its add event to queue the set again,
 * where upstream returns the AlreadyExists error and retries.
 */
export const STATEFULSET_CONTROLLER = 'statefulset-controller';
/** kube-controller-manager's --concurrent-statefulset-syncs default. */
export const STATEFULSET_WORKERS = 5;

export class StatefulSetController {
  readonly sets: Informer<StatefulSet>;
  readonly pods: Informer<Pod>;
  readonly revisions: Informer<ControllerRevision>;
  readonly claims: Informer<PersistentVolumeClaim>;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    /** The decision: exercise statefulset-ordinals (the reference's, or a learner's). */
    private readonly plan: PlanStatefulSet,
  ) {
    this.queue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: STATEFULSET_CONTROLLER });
    this.sets = informers.informerFor<StatefulSet>('statefulsets');
    this.pods = informers.informerFor<Pod>('pods');
    this.revisions = informers.informerFor<ControllerRevision>('controllerrevisions');
    this.claims = informers.informerFor<PersistentVolumeClaim>('persistentvolumeclaims');
    this.sets.addEventHandler({
      onAdd: (set) => this.queue.add(objectKey(set)),
      onUpdate: (_old, set) => this.queue.add(objectKey(set)),
      onDelete: (set) => this.queue.add(objectKey(set)),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.enqueueOwner(pod) ?? this.enqueueSelecting(pod),
      onUpdate: (old, pod) => {
        const before = controllerRef(old);
        if (before !== undefined && before.uid !== controllerRef(pod)?.uid) this.enqueueOwner(old);
        const key = this.enqueueOwner(pod);
        const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
        if (key === undefined && (labelsChanged || before !== undefined)) this.enqueueSelecting(pod);
        const minReadySeconds = key === undefined ? 0 : (this.sets.lister.get(key)?.spec.minReadySeconds ?? 0);
        if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(key!, minReadySeconds * 1000 + 1000);
      },
      onDelete: (pod) => this.enqueueOwner(pod),
    });
    this.revisions.addEventHandler({ onDelete: (r) => this.enqueueOwner(r) });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: STATEFULSET_CONTROLLER, workers: STATEFULSET_WORKERS });
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  hasSynced(): boolean {
    return this.sets.hasSynced() && this.pods.hasSynced() && this.revisions.hasSynced() && this.claims.hasSynced();
  }

  /** The key of the StatefulSet that controls `obj`, queued; undefined if none does. */
  private enqueueOwner(obj: Readonly<Pod | ControllerRevision>): string | undefined {
    const owner = obj.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'StatefulSet');
    const key = owner && `${obj.metadata.namespace}/${owner.name}`;
    const set = key && this.sets.lister.get(key);
    if (!set || set.metadata.uid !== owner!.uid) return undefined;
    this.queue.add(key!);
    return key;
  }

  /** An orphan pod: the StatefulSets whose selector matches it, queued (they may adopt it). */
  private enqueueSelecting(pod: Readonly<Pod>): void {
    if (controllerRef(pod) !== undefined) return;
    for (const set of this.sets.lister.list(pod.metadata.namespace)) {
      if (selectorMatches(set.spec.selector, pod.metadata.labels)) this.queue.add(objectKey(set));
    }
  }

  private sync(key: string): ReconcileOutcome | PendingRequests {
    const set = this.sets.lister.get(key);
    // Gone, or being deleted: its pods go with it (the garbage collector), nothing to make.
    if (set === undefined || set.metadata.deletionTimestamp !== undefined) return 'done';
    const ns = set.metadata.namespace;
    const owned = this.revisions.lister.list(ns).filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === set.metadata.uid));
    const requests = new PendingRequests();
    // getPodsForStatefulSet: claim the namespace's pods named <set>-<ordinal> that the selector matches.
    const isMember = (p: Readonly<Pod>) => ordinalOf(set.metadata.name!, p.metadata.name!) !== undefined;
    const claims = claimPods(set, set.spec.selector, this.pods.lister.list(ns), isMember);
    const claimed = requests.start();
    const owner = { object: set, apiVersion: 'apps/v1', kind: 'StatefulSet', resource: 'statefulsets' };
    applyClaims({ sim: this.sim, client: this.client, controller: STATEFULSET_CONTROLLER, owner, resource: 'pods', claims, requests }, (pods, failed) => {
      if (!failed) syncRevision(this.client, 'statefulsets', set, owned, requests, (update) => this.syncPods(key, set, owned, pods, update, requests));
      claimed();
    });
    return requests;
  }

  /** The plan on the set's pods, what it says, the history kept short, and the status. */
  private syncPods(key: string, set: Readonly<StatefulSet>, owned: readonly ControllerRevision[], pods: readonly Readonly<Pod>[], update: Readonly<ControllerRevision>, requests: PendingRequests): void {
    const ns = set.metadata.namespace;
    const current = owned.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    const input = this.planInput(set, pods, update.metadata.name!);
    let actions: StatefulSetAction[];
    try {
      actions = this.plan(input);
    } catch (err) {
      return requests.start()(`planStatefulSet for ${key} failed: ${(err as Error).message}`);
    }
    const malformed = checkPlan(actions, input);
    if (malformed !== undefined) return requests.start()(`planStatefulSet for ${key} returned ${malformed}`);
    const said = actions.map((a) => (a.type === 'create' ? `create ${a.pod}${a.claims.length ? ` (claims ${a.claims.join(', ')})` : ''}` : a.type === 'delete' ? `delete ${a.pod} (${a.reason})` : `wait for ${a.pod} (${a.reason})`));
    this.sim.trace.action(this.sim.now(), this.client.component, `${STATEFULSET_CONTROLLER}: sync ${key}: replicas ${set.spec.replicas ?? 1}, pods ${pods.length} -> ${said.length ? said.join(', ') : 'nothing to do'}`, { key });
    const deleted = new Set<string>();
    for (const action of actions) {
      if (action.type === 'create') this.createPod(set, action, action.revision === 'current' ? current : update, requests);
      else if (action.type === 'delete' && !deleted.has(action.pod)) {
        deleted.add(action.pod);
        this.deletePod(set, action.pod, requests);
      }
    }
    // truncateHistory: the revisions neither current, nor the update's, nor a pod's are history.
    const live = new Set([current.metadata.name, update.metadata.name, ...pods.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL])]);
    const history = owned.filter((r) => !live.has(r.metadata.name));
    const revisions = typedClient<ControllerRevision>(this.client, 'controllerrevisions', ns);
    for (const name of revisionsToDelete(history, [], set.spec.revisionHistoryLimit ?? 10)) {
      const answered = requests.start();
      revisions.delete(name, {}, (r) => answered(r.kind === 'ok' || r.status.code === 404 ? undefined : `delete revision ${name}: ${r.status.message}`));
    }
    this.writeStatus(set, pods, current, update, requests);
  }

  /** What the plan is told: the set's pods by ordinal and the claims that exist. */
  private planInput(set: Readonly<StatefulSet>, pods: readonly Readonly<Pod>[], updateRevision: string): StatefulSetPlanInput {
    const now = this.sim.now();
    const strategy = set.spec.updateStrategy;
    return {
      setName: set.metadata.name!,
      replicas: set.spec.replicas ?? 1,
      startOrdinal: set.spec.ordinals?.start ?? 0,
      podManagementPolicy: set.spec.podManagementPolicy ?? 'OrderedReady',
      updateStrategy: strategy?.type === 'OnDelete' ? { type: 'OnDelete' } : { type: 'RollingUpdate', partition: strategy?.rollingUpdate?.partition ?? 0 },
      claimTemplates: (set.spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name!),
      claims: this.claims.lister.list(set.metadata.namespace).filter((c) => c.metadata.deletionTimestamp === undefined).map((c) => c.metadata.name!),
      pods: pods.map(
        (p): StatefulPod => ({
          name: p.metadata.name!,
          ordinal: ordinalOf(set.metadata.name!, p.metadata.name!)!,
          phase: (p.status?.phase ?? 'Pending') as PodPhase,
          ready: isPodReady(p),
          available: isPodAvailable(p, set.spec.minReadySeconds ?? 0, now),
          deleting: p.metadata.deletionTimestamp !== undefined,
          updated: p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === updateRevision,
        }),
      ),
    };
  }

  /** CreateStatefulPod: the claims it lacks, then (once all are made) the pod. */
  private createPod(set: Readonly<StatefulSet>, action: Extract<StatefulSetAction, { type: 'create' }>, revision: Readonly<ControllerRevision>, requests: PendingRequests): void {
    const ns = set.metadata.namespace;
    const setName = set.metadata.name!;
    const templates = (set.spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name!).filter((t) => action.claims.includes(claimName(setName, t, action.ordinal)));
    let left = templates.length;
    let failed = false;
    const pod = () => {
      const answered = requests.start();
      typedClient<Pod>(this.client, 'pods', ns).create(newStatefulSetPod(set, revisionTemplate(revision), action.ordinal, revision.metadata.name!), (r) => {
        if (r.kind === 'ok') this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${action.pod} in StatefulSet ${setName} successful`);
        else if (r.status.code !== 409) this.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${action.pod} in StatefulSet ${setName} failed error: ${r.status.message}`);
        answered(r.kind === 'ok' || r.status.code === 409 ? undefined : `create pod ${action.pod}: ${r.status.message}`);
      });
    };
    if (left === 0) return pod();
    for (const t of templates) {
      const claim = newClaim(set, t, action.ordinal);
      const answered = requests.start();
      typedClient<PersistentVolumeClaim>(this.client, 'persistentvolumeclaims', ns).create(claim, (r) => {
        const ok = r.kind === 'ok' || r.status.code === 409;
        if (r.kind === 'ok') this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${action.pod} in StatefulSet ${setName} success`);
        else if (!ok) this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${action.pod} in StatefulSet ${setName} failed error: ${r.status.message}`);
        failed ||= !ok;
        if (--left === 0 && !failed) pod();
        answered(ok ? undefined : `create claim ${claim.metadata.name}: ${r.kind === 'error' ? r.status.message : ''}`);
      });
    }
  }

  /** DeleteStatefulPod: the pod goes; its claims stay. */
  private deletePod(set: Readonly<StatefulSet>, name: string, requests: PendingRequests): void {
    const answered = requests.start();
    typedClient<Pod>(this.client, 'pods', set.metadata.namespace).delete(name, {}, (r) => {
      if (r.kind === 'ok') this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${set.metadata.name} successful`);
      else if (r.status.code !== 404) this.recorder.event(set, 'Warning', 'FailedDelete', `delete Pod ${name} in StatefulSet ${set.metadata.name} failed error: ${r.status.message}`);
      answered(r.kind === 'ok' || r.status.code === 404 ? undefined : `delete pod ${name}: ${r.status.message}`);
    });
  }

  /**
   * updateStatefulSetStatus: the counts over its pods (computeReplicaStatus), the revisions and
   * observedGeneration; a RollingUpdate whose pods are all updated and ready completes
   * (completeRollingUpdate: the update revision becomes the current one). Written only when it
   * changed.
   */
  private writeStatus(set: Readonly<StatefulSet>, pods: readonly Readonly<Pod>[], current: Readonly<ControllerRevision>, update: Readonly<ControllerRevision>, requests: PendingRequests): void {
    const now = this.sim.now();
    const minReadySeconds = set.spec.minReadySeconds ?? 0;
    const runningAndReady = pods.filter((p) => p.status?.phase === 'Running' && isPodReady(p));
    const live = pods.filter((p) => p.metadata.deletionTimestamp === undefined);
    const revisionOf = (p: Readonly<Pod>) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
    const status: StatefulSetStatus = {
      observedGeneration: set.metadata.generation,
      replicas: pods.length,
      readyReplicas: runningAndReady.length,
      currentReplicas: live.filter((p) => revisionOf(p) === current.metadata.name).length,
      updatedReplicas: live.filter((p) => revisionOf(p) === update.metadata.name).length,
      currentRevision: current.metadata.name,
      updateRevision: update.metadata.name,
      collisionCount: set.status?.collisionCount ?? 0,
      availableReplicas: runningAndReady.filter((p) => isPodAvailable(p, minReadySeconds, now)).length,
    };
    if (set.spec.updateStrategy?.type !== 'OnDelete' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
      status.currentReplicas = status.updatedReplicas;
      status.currentRevision = status.updateRevision;
    }
    if (minReadySeconds > 0 && status.readyReplicas !== status.availableReplicas) this.queue.addAfter(objectKey(set), minReadySeconds * 1000);
    if (JSON.stringify(status) === JSON.stringify(set.status ?? {})) return;
    const answered = requests.start();
    typedClient<StatefulSet>(this.client, 'statefulsets', set.metadata.namespace).updateStatus(Object.assign({}, set, { status }), (r) => {
      // 409: the StatefulSet changed meanwhile; its update event has already queued it again.
      answered(r.kind === 'error' && r.status.code !== 409 ? `update status: ${r.status.message}` : undefined);
    });
  }
}

/** What is wrong with a plan, or undefined if its actions name the set's ordinals, pods and claims as they must. */
function checkPlan(actions: StatefulSetAction[], input: StatefulSetPlanInput): string | undefined {
  if (!Array.isArray(actions)) return `${JSON.stringify(actions)} instead of a list of actions`;
  for (const a of actions) {
    if (a === null || typeof a !== 'object' || !Number.isInteger(a.ordinal) || a.ordinal < 0) return `an action without an ordinal: ${JSON.stringify(a)}`;
    if (a.pod !== `${input.setName}-${a.ordinal}`) return `pod ${JSON.stringify(a.pod)} for ordinal ${a.ordinal} (a StatefulSet's pods are named <set>-<ordinal>)`;
    if (a.type === 'create') {
      const expected = input.claimTemplates.map((t) => claimName(input.setName, t, a.ordinal));
      if (!Array.isArray(a.claims) || a.claims.some((c) => !expected.includes(c))) return `claims ${JSON.stringify(a.claims)} for ${a.pod} (its claims are ${expected.join(', ') || 'none'})`;
      if (a.revision !== 'current' && a.revision !== 'update') return `revision ${JSON.stringify(a.revision)} for ${a.pod}`;
    } else if (a.type === 'delete') {
      if (!input.pods.some((p) => p.name === a.pod)) return `a deletion of ${a.pod}, which does not exist`;
    } else if (a.type !== 'wait') {
      return `an action of unknown type: ${JSON.stringify(a)}`;
    }
  }
  return undefined;
}
