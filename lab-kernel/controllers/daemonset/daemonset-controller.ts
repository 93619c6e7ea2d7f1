import { selectorMatches } from '../../api/labels';
import { objectKey } from '../../api/resources';
import type { ControllerRevision, DaemonSet, Node, Pod } from '../../api/types';
import { TEMPLATE_GENERATION_ANNOTATION } from '../../apiserver/strategies/daemonset';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import type { SharedInformerFactory } from '../../client/shared-informer-factory';
import { typedClient } from '../../client/typed-client';
import { WorkQueue } from '../../client/work-queue';
import type { NodeAffinityFn } from '../../scheduler/plugins/node-affinity-contract';
import type { TaintTolerationFn } from '../../scheduler/plugins/taint-toleration-contract';
import type { Simulation } from '../../sim/simulation';
import { Expectations } from '../expectations';
import { isPodReady } from '../replicaset-contract';
import { CONTROLLER_REVISION_HASH_LABEL, revisionHash, revisionsToDelete } from '../history/controller-revisions';
import { syncRevision } from '../history/revision-sync';
import { newDaemonPod } from './daemon-pod';
import type { DaemonSetPlan, PlanDaemonSet, PodDeletion } from './daemonset-plan-contract';
import { FailedPodBackoffs } from './failed-pod-backoff';
import { planInput } from './plan-input';
import { applyClaims } from '../claim-applier';
import { claimPods } from '../claim-pods';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../slow-start-batch';
import { controllerRef } from '../../api/owner-references';

/**
 * kube-controller-manager's DaemonSet controller (pkg/controller/daemon): a copy of a pod on
 * every node that should run one.
 *
 *   handlers  a DaemonSet added or changed, one of its pods (or its revisions) gone or
 *             changed, a node added or with new labels or taints: the DaemonSet's key
 *             (a node: every DaemonSet's; upstream first asks which it concerns)
 *   sync      the revision of the current template (created if missing: <name>-<hash>), the
 *             pods claimed, then planDaemonSet (exercise daemonset-nodes) on the nodes and the DaemonSet's pods,
 *             then, once the pods it last created and deleted have been seen (expectations, as
 *             in the ReplicaSet controller): create pods in slow-start batches (1, 2, 4 ...,
 *             at most 250 a sync), delete the ones to go, drop old revisions beyond
 *             revisionHistoryLimit; and always the status
 *
 * Each pod carries the node affinity `matchFields metadata.name In [<node>]`, the daemon
 * tolerations and the controller-revision-hash label (daemon-pod.ts); the default scheduler
 * binds it. Events, as kube-controller-manager words them: `SuccessfulCreate Created pod: x`,
 * `SuccessfulDelete Deleted pod: x`, `FailedCreate Error creating: ...`, and
 * `FailedDaemonPod Found failed daemon pod <ns>/<pod> on node <node>, will try to kill it`
 * (Warning) before a failed pod is deleted; a failed pod on the same node is deleted again only
 * after a back-off (1 s doubling, at most 15 min: failed-pod-backoff.ts).
 *
 * Before planning, it claims the namespace's pods (claim-pods.ts): it adopts orphans its
 * selector matches and releases its own that stopped matching.
 *
 * Simplified: no adoption of orphan revisions that match the selector, no
 * deduplication of two revisions of one template, no maxSurge (a DaemonSet asking for one
 * updates one pod at a time), and the nodes are looked at in name order where upstream walks
 * a Go map. Scheduled pods on a node that was deleted are the pod garbage collector's, which
 * the lab does not run: they stay.
 */
export const DAEMONSET_CONTROLLER = 'daemonset-controller';
/** kube-controller-manager's --concurrent-daemonset-syncs default. */
export const DAEMONSET_WORKERS = 2;
/** BurstReplicas: at most this many creations (and deletions) in one sync. */
export const BURST_REPLICAS = 250;

export interface DaemonSetCode {
  /** The decision: exercise daemonset-nodes (the reference's, or a learner's). */
  plan: PlanDaemonSet;
  /** Chapter 05's answers the input is made with (the reference's). */
  taintToleration: TaintTolerationFn;
  nodeAffinity: NodeAffinityFn;
}

export class DaemonSetController {
  readonly daemonSets: Informer<DaemonSet>;
  readonly revisions: Informer<ControllerRevision>;
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  private readonly queue: WorkQueue;
  private readonly expectations = new Expectations();
  private readonly backoffs = new FailedPodBackoffs();
  private readonly recorder: EventRecorder;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    private readonly code: DaemonSetCode,
  ) {
    this.queue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: DAEMONSET_CONTROLLER });
    this.daemonSets = informers.informerFor<DaemonSet>('daemonsets');
    this.revisions = informers.informerFor<ControllerRevision>('controllerrevisions');
    this.pods = informers.informerFor<Pod>('pods');
    this.nodes = informers.informerFor<Node>('nodes');
    this.daemonSets.addEventHandler({
      onAdd: (ds) => this.queue.add(objectKey(ds)),
      onUpdate: (_old, ds) => this.queue.add(objectKey(ds)),
      onDelete: (ds) => {
        this.expectations.forget(objectKey(ds));
        this.queue.add(objectKey(ds));
      },
    });
    this.revisions.addEventHandler({ onDelete: (r) => this.enqueueOwner(r) });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(undefined, pod),
      onUpdate: (old, pod) => this.podChanged(old, pod),
      onDelete: (pod) => {
        const key = this.enqueueOwner(pod);
        if (key !== undefined) this.expectations.observeDelete(key);
      },
    });
    const everyDaemonSet = () => this.daemonSets.lister.list().forEach((ds) => this.queue.add(objectKey(ds)));
    this.nodes.addEventHandler({
      onAdd: everyDaemonSet,
      // Only labels and taints decide where daemon pods run (shouldIgnoreNodeUpdate).
      onUpdate: (old, node) => {
        if (JSON.stringify([old.metadata.labels, old.spec?.taints]) !== JSON.stringify([node.metadata.labels, node.spec?.taints])) everyDaemonSet();
      },
    });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: DAEMONSET_CONTROLLER, workers: DAEMONSET_WORKERS });
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  hasSynced(): boolean {
    return this.daemonSets.hasSynced() && this.revisions.hasSynced() && this.pods.hasSynced() && this.nodes.hasSynced();
  }

  /** The key of the DaemonSet that controls `obj`, queued; undefined if none does. */
  private enqueueOwner(obj: Readonly<Pod | ControllerRevision>): string | undefined {
    const owner = obj.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'DaemonSet');
    const key = owner && `${obj.metadata.namespace}/${owner.name}`;
    const ds = key && this.daemonSets.lister.get(key);
    if (!ds || ds.metadata.uid !== owner!.uid) return undefined;
    this.queue.add(key!);
    return key;
  }

  /**
   * A pod added or changed: its DaemonSet looks again. A new pod is a creation observed; a pod
   * marked for deletion a deletion observed (upstream counts one at each such update, and again
   * when it goes). One just turned Ready is looked at again once minReadySeconds (+1 s) pass.
   */
  private podChanged(old: Readonly<Pod> | undefined, pod: Readonly<Pod>): void {
    const before = old === undefined ? undefined : controllerRef(old);
    if (old !== undefined && before !== undefined && before.uid !== controllerRef(pod)?.uid) this.enqueueOwner(old);
    const key = this.enqueueOwner(pod);
    if (key === undefined) {
      // An orphan, new, relabelled or just released: the DaemonSets that select it may adopt it.
      const labelsChanged = old !== undefined && JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
      if (old === undefined || labelsChanged || before !== undefined) this.enqueueSelecting(pod);
      return;
    }
    if (pod.metadata.deletionTimestamp !== undefined) return this.expectations.observeDelete(key);
    if (old === undefined) return this.expectations.observeAdd(key);
    const minReadySeconds = this.daemonSets.lister.get(key)?.spec.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(key, minReadySeconds * 1000 + 1000);
  }

  /** An orphan pod: the DaemonSets whose selector matches it, queued (getDaemonSetsForPod). */
  private enqueueSelecting(pod: Readonly<Pod>): void {
    if (controllerRef(pod) !== undefined) return;
    for (const ds of this.daemonSets.lister.list(pod.metadata.namespace)) {
      if (selectorMatches(ds.spec.selector, pod.metadata.labels)) this.queue.add(objectKey(ds));
    }
  }

  /** The revision of the current template first (made if missing: syncRevision), then the rest of the sync. */
  private sync(key: string): ReconcileOutcome | PendingRequests {
    const ds = this.daemonSets.lister.get(key);
    if (ds === undefined) {
      this.expectations.forget(key);
      return 'done';
    }
    // Being deleted: its pods and revisions may be going too; nothing to count reliably.
    if (ds.metadata.deletionTimestamp !== undefined) return 'done';
    const owned = this.revisions.lister.list(ds.metadata.namespace).filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === ds.metadata.uid));
    const requests = new PendingRequests();
    syncRevision(this.client, 'daemonsets', ds, owned, requests, (current, old) => this.claimPods(key, ds, current, old, requests));
    return requests;
  }

  /**
   * getDaemonPods: claim the namespace's pods (claim-pods.ts: adopt matching orphans, release
   * its own that stopped matching), then plan with the pods it owns; a failed claim ends the
   * sync, which retries.
   */
  private claimPods(key: string, ds: Readonly<DaemonSet>, current: Readonly<ControllerRevision>, old: ControllerRevision[], requests: PendingRequests): void {
    const claims = claimPods(ds, ds.spec.selector, this.pods.lister.list(ds.metadata.namespace));
    const claimed = requests.start();
    const owner = { object: ds, apiVersion: 'apps/v1', kind: 'DaemonSet', resource: 'daemonsets' };
    applyClaims({ sim: this.sim, client: this.client, controller: DAEMONSET_CONTROLLER, owner, resource: 'pods', claims, requests }, (pods, failed) => {
      if (!failed) this.syncPods(key, ds, current, old, pods, requests);
      claimed();
    });
  }

  /** The plan, and what it says: creations, deletions and old revisions once expectations are met; the status always. */
  private syncPods(key: string, ds: Readonly<DaemonSet>, current: Readonly<ControllerRevision>, old: ControllerRevision[], pods: readonly Readonly<Pod>[], requests: PendingRequests): void {
    const now = this.sim.now();
    const hash = current.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? revisionHash(ds);
    const nodes = this.nodes.lister.list();
    const backoffPrefix = `${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/`;
    const failedPodBackoff = this.backoffs.forNodes(backoffPrefix, nodes.map((n) => n.metadata.name!), now);
    let plan: DaemonSetPlan;
    try {
      plan = this.code.plan(planInput({ ds, nodes, pods, hash, nowMs: now, failedPodBackoff, taintToleration: this.code.taintToleration, nodeAffinity: this.code.nodeAffinity }));
    } catch (err) {
      return requests.start()(`planDaemonSet for ${key} failed: ${(err as Error).message}`);
    }
    const malformed = checkPlan(plan, nodes, pods);
    if (malformed !== undefined) return requests.start()(`planDaemonSet for ${key} returned ${malformed}`);
    // Don't act on a DaemonSet until the pods it last created and deleted have been seen.
    const satisfied = this.expectations.satisfied(key, now);
    const st = plan.status;
    const acting = satisfied ? ` -> create ${plan.create.length}${plan.create.length ? ` (${plan.create.join(', ')})` : ''}, delete ${plan.delete.length}${plan.delete.length ? ` (${plan.delete.map((d) => `${d.pod} ${d.reason}`).join(', ')})` : ''}` : ', waiting for its last creations and deletions';
    this.sim.trace.action(now, this.client.component, `${DAEMONSET_CONTROLLER}: sync ${key}: desired ${st.desiredNumberScheduled}, current ${st.currentNumberScheduled}, ready ${st.numberReady}, updated ${st.updatedNumberScheduled}${acting}`, { key });
    if (satisfied) {
      const creates = plan.create.slice(0, BURST_REPLICAS);
      const deletes = plan.delete.slice(0, BURST_REPLICAS);
      this.expectations.expect(key, { adds: creates.length, deletes: deletes.length }, now);
      this.deletePods(key, ds, deletes, backoffPrefix, requests);
      this.createPods(key, ds, creates, hash, requests);
      if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
      const revisions = typedClient<ControllerRevision>(this.client, 'controllerrevisions', ds.metadata.namespace);
      for (const name of revisionsToDelete(old, pods, ds.spec.revisionHistoryLimit ?? 10)) {
        const answered = requests.start();
        revisions.delete(name, {}, (r) => answered(r.kind === 'ok' || r.status.code === 404 ? undefined : `delete revision ${name}: ${r.status.message}`));
      }
    }
    this.writeStatus(ds, plan, satisfied, requests);
  }

  /**
   * syncNodes' creations, in slow-start batches: 1 pod, then 2, 4, 8 ... each batch once the
   * one before has been answered; a batch with a failure ends it (the pods not tried are no
   * longer expected, and the next sync tries again).
   */
  private createPods(key: string, ds: Readonly<DaemonSet>, nodes: string[], hash: string, requests: PendingRequests): void {
    if (nodes.length === 0) return;
    const podsApi = typedClient<Pod>(this.client, 'pods', ds.metadata.namespace);
    const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
    const batches = requests.start();
    let tried = 0;
    slowStartBatch(
      nodes.length,
      SLOW_START_INITIAL_BATCH_SIZE,
      (i, ok) => {
        tried++;
        const node = nodes[i];
        const answered = requests.start();
        podsApi.create(newDaemonPod(ds, node, hash, generation), (r) => {
          if (r.kind === 'ok') {
            this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${r.object.metadata.name}`);
          } else {
            this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${r.status.message}`);
            this.expectations.observeAdd(key);
          }
          ok(r.kind === 'ok');
          answered(r.kind === 'ok' ? undefined : `create pod for ${node}: ${r.status.message}`);
        });
      },
      () => {
        for (let i = tried; i < nodes.length; i++) this.expectations.observeAdd(key);
        batches();
      },
    );
  }

  /** The deletions, each announced as upstream does: a failed pod with FailedDaemonPod (and its node's back-off moves on). */
  private deletePods(key: string, ds: Readonly<DaemonSet>, deletions: PodDeletion[], backoffPrefix: string, requests: PendingRequests): void {
    const podsApi = typedClient<Pod>(this.client, 'pods', ds.metadata.namespace);
    const ns = ds.metadata.namespace;
    for (const { pod, node, reason } of deletions) {
      if (reason === 'failed') {
        this.backoffs.next(`${backoffPrefix}${node}`, this.sim.now());
        this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${ns}/${pod} on node ${node}, will try to kill it`);
      } else if (reason === 'succeeded') {
        this.recorder.event(ds, 'Normal', 'SucceededDaemonPod', `Found succeeded daemon pod ${ns}/${pod} on node ${node}, will try to delete it`);
      }
      const answered = requests.start();
      podsApi.delete(pod, {}, (r) => {
        if (r.kind === 'ok') {
          this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod}`);
          return answered();
        }
        this.expectations.observeDelete(key);
        if (r.status.code === 404) return answered();
        this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${r.status.message}`);
        answered(`delete pod ${pod}: ${r.status.message}`);
      });
    }
  }

  /**
   * storeDaemonSetStatus: the counts, and observedGeneration only from a sync that acted
   * (expectations met); nothing written when neither moved. With minReadySeconds and pods
   * ready but not yet available, the DaemonSet is looked at again that much later.
   */
  private writeStatus(ds: Readonly<DaemonSet>, plan: DaemonSetPlan, observed: boolean, requests: PendingRequests): void {
    const minReadySeconds = ds.spec.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && plan.status.numberReady !== plan.status.numberAvailable) this.queue.addAfter(objectKey(ds), minReadySeconds * 1000);
    const old = ds.status;
    const status = Object.assign({}, old, plan.status, { observedGeneration: observed ? ds.metadata.generation : old?.observedGeneration });
    if (status.observedGeneration === undefined) delete status.observedGeneration;
    if (JSON.stringify(status) === JSON.stringify(old ?? {})) return;
    const answered = requests.start();
    typedClient<DaemonSet>(this.client, 'daemonsets', ds.metadata.namespace).updateStatus(Object.assign({}, ds, { status }), (r) => {
      // 409: the DaemonSet changed meanwhile; its update event has already queued it again.
      answered(r.kind === 'error' && r.status.code !== 409 ? `update status: ${r.status.message}` : undefined);
    });
  }
}

/** What is wrong with a plan, or undefined if it creates on known nodes, deletes known pods and counts. */
function checkPlan(plan: DaemonSetPlan, nodes: readonly Readonly<Node>[], pods: readonly Readonly<Pod>[]): string | undefined {
  if (plan === null || typeof plan !== 'object') return `${JSON.stringify(plan)} instead of { create, delete, status }`;
  const nodeNames = new Set(nodes.map((n) => n.metadata.name));
  const podNames = new Set(pods.map((p) => p.metadata.name));
  if (!Array.isArray(plan.create) || plan.create.some((n) => !nodeNames.has(n))) return `a create list that is not a list of node names: ${JSON.stringify(plan.create)}`;
  if (!Array.isArray(plan.delete) || plan.delete.some((d) => d === null || typeof d !== 'object' || !podNames.has(d.pod))) return `a delete list that is not a list of its pods: ${JSON.stringify(plan.delete)}`;
  const st = plan.status as unknown as Record<string, unknown> | null;
  if (st === null || typeof st !== 'object' || ['desiredNumberScheduled', 'currentNumberScheduled', 'numberReady', 'numberMisscheduled', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'].some((k) => typeof st[k] !== 'number')) return 'no status with every count';
  return undefined;
}
