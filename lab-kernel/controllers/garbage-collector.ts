import { findResource, objectKey } from '../api/resources';
import type { Status } from '../api/status';
import type { KubeObject } from '../api/types';
import type { ApiRequest } from '../api/request';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../apiserver/deletion';
import type { Client } from '../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../client/controller-runner';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import { WorkQueue } from '../client/work-queue';
import type { Simulation } from '../sim/simulation';

/**
 * The garbage collector: kube-controller-manager's controller for ownerReferences. An object
 * that names an owner (a pod made by a ReplicaSet, a ReplicaSet made by a Deployment) is a
 * dependent; when the owner goes, what happens to the dependents depends on how the owner
 * was deleted (the DELETE's propagationPolicy, see apiserver/deletion.ts):
 *
 *   Background (the default)  the owner is removed at once; the collector then finds
 *                             dependents whose owners are all gone, and deletes them
 *   Foreground                the owner stays, marked, with finalizer foregroundDeletion;
 *                             the collector deletes the dependents, and when none is left
 *                             removes the finalizer, which lets the owner go
 *   Orphan                    the owner stays, marked, with finalizer orphan; the collector
 *                             removes the owner from each dependent's ownerReferences, then
 *                             the finalizer: the dependents live on without an owner
 *
 *   kubectl delete rs web                          => rs gone; a moment later its 3 pods are deleted
 *   kubectl delete rs web --cascade=orphan         => rs gone; its 3 pods stay, with no ownerReferences
 *   kubectl delete rs web --cascade=foreground     => pods deleted first; rs gone last
 *
 * Simplified: the real collector builds a graph of every resource the cluster serves and
 * checks an owner's absence with a live read; this one watches the kinds that take part in
 * ownership in the lab (WATCHED) and trusts its caches, checking with the API server only
 * before it deletes.
 */
export const GARBAGE_COLLECTOR = 'garbage-collector';
/** kube-controller-manager's --concurrent-gc-syncs default. */
export const GC_WORKERS = 20;

export const WATCHED: readonly string[] = ['pods', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'controllerrevisions', 'jobs', 'cronjobs', 'replicationcontrollers', 'configmaps', 'secrets', 'services', 'endpointslices'];

const BY_OWNER = 'byOwnerUid';
const BY_UID = 'byUid';

export class GarbageCollector {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly queue: WorkQueue;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
  ) {
    this.queue = new WorkQueue(sim);
    for (const resource of WATCHED) {
      const informer = informers.informerFor<KubeObject>(resource, {
        [BY_OWNER]: (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid),
        [BY_UID]: (o) => [o.metadata.uid!],
      });
      const enqueue = (o: Readonly<KubeObject>) => this.queue.add(`${resource}/${objectKey(o)}`);
      informer.addEventHandler({
        onAdd: enqueue,
        onUpdate: (_old, o) => enqueue(o),
        // An owner gone: each of its dependents must be looked at. A dependent gone: its
        // owners may be waiting for it (foreground deletion).
        onDelete: (o) => {
          this.dependentsOf(o.metadata.uid!).forEach(({ resource: r, obj }) => this.queue.add(`${r}/${objectKey(obj)}`));
          for (const ref of o.metadata.ownerReferences ?? []) this.ownerKeys(ref.uid).forEach((k) => this.queue.add(k));
        },
      });
      this.informers.set(resource, informer);
    }
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: GARBAGE_COLLECTOR, workers: GC_WORKERS });
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  private sync(key: string): ReconcileOutcome | PendingRequests {
    const slash = key.indexOf('/');
    const resource = key.slice(0, slash);
    const obj = this.informers.get(resource)?.lister.get(key.slice(slash + 1));
    if (obj === undefined) return 'done';
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp !== undefined && finalizers.includes(ORPHAN_FINALIZER)) return this.orphanDependents(resource, obj);
    if (obj.metadata.deletionTimestamp !== undefined && finalizers.includes(FOREGROUND_FINALIZER)) return this.deleteDependentsFirst(resource, obj);
    return this.collectIfOwnerless(resource, obj);
  }

  /** A dependent whose owners are all gone is garbage: delete it (in the background). */
  private collectIfOwnerless(resource: string, obj: Readonly<KubeObject>): ReconcileOutcome | PendingRequests {
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0 || obj.metadata.deletionTimestamp !== undefined) return 'done';
    if (refs.some((r) => this.exists(r.uid))) return 'done';
    // The caches may lag (a pod seen before the ReplicaSet that made it): ask the API server.
    // Only a 404, or an object of that name with another uid, proves an owner gone; any other
    // answer (a lost connection, a 500) proves nothing, and the dependent is looked at again later.
    const key = `${resource}/${objectKey(obj)}`;
    const owners = refs.map((ref) => ({ ref, info: findResource(ref.kind) }));
    const unknown = owners.find((o) => o.info === undefined);
    if (unknown !== undefined) return { retry: `owner kind ${unknown.ref.kind} of ${describe(resource, obj)} is not served by the lab` };
    // The sync lasts until every lookup (and the delete, if one follows) has been answered.
    const requests = new PendingRequests();
    let pending = refs.length;
    let ownerMayExist = false;
    for (const { ref, info } of owners) {
      const answered = requests.start();
      this.client.request({ verb: 'get', resource: info!.resource, namespace: info!.namespaced ? obj.metadata.namespace : undefined, name: ref.name }, (res) => {
        const gone = res.code === 404 || (res.code === 200 && (res.body as KubeObject).metadata.uid !== ref.uid);
        if (!gone) ownerMayExist = true;
        if (--pending === 0 && !ownerMayExist) this.collect(resource, obj, requests.start());
        answered(res.code !== 200 && res.code !== 404 ? `get ${ref.kind} ${ref.name}, owner of ${key}: ${(res.body as Status).message}` : undefined);
      });
    }
    return requests;
  }

  private collect(resource: string, obj: Readonly<KubeObject>, answered: (failure?: string) => void): void {
    const refs = obj.metadata.ownerReferences ?? [];
    this.trace(`${describe(resource, obj)} has no owner left (${refs.map((r) => `${r.kind} ${r.name}`).join(', ')}): deleting it`);
    this.call({ verb: 'delete', resource, namespace: obj.metadata.namespace, name: obj.metadata.name, propagationPolicy: 'Background' }, answered);
  }

  /** Orphan: drop the owner from every dependent's ownerReferences, then the finalizer. */
  private orphanDependents(resource: string, owner: Readonly<KubeObject>): ReconcileOutcome {
    const uid = owner.metadata.uid!;
    const dependents = this.dependentsOf(uid);
    for (const { resource: r, obj } of dependents) {
      const ownerReferences = (obj.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== uid);
      this.call({ verb: 'patch', resource: r, namespace: obj.metadata.namespace, name: obj.metadata.name, patchType: 'application/merge-patch+json', body: { metadata: { ownerReferences: ownerReferences.length > 0 ? ownerReferences : null } } });
    }
    if (dependents.length > 0) {
      this.trace(`orphaning ${dependents.length} dependents of ${describe(resource, owner)}`);
      return { retry: `waiting for ${dependents.length} dependents of ${describe(resource, owner)} to be orphaned` };
    }
    this.removeFinalizer(resource, owner, ORPHAN_FINALIZER);
    return 'done';
  }

  /** Foreground: delete every dependent; once none is left, remove the finalizer. */
  private deleteDependentsFirst(resource: string, owner: Readonly<KubeObject>): ReconcileOutcome {
    const dependents = this.dependentsOf(owner.metadata.uid!);
    for (const { resource: r, obj } of dependents) {
      if (obj.metadata.deletionTimestamp === undefined) this.call({ verb: 'delete', resource: r, namespace: obj.metadata.namespace, name: obj.metadata.name, propagationPolicy: 'Foreground' });
    }
    if (dependents.length > 0) {
      this.trace(`deleting ${dependents.length} dependents of ${describe(resource, owner)} before it`);
      return { retry: `waiting for ${dependents.length} dependents of ${describe(resource, owner)} to go` };
    }
    this.removeFinalizer(resource, owner, FOREGROUND_FINALIZER);
    return 'done';
  }

  private removeFinalizer(resource: string, obj: Readonly<KubeObject>, finalizer: string): void {
    const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    this.trace(`removing finalizer ${finalizer} from ${describe(resource, obj)}`);
    this.call({
      verb: 'patch',
      resource,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      patchType: 'application/merge-patch+json',
      body: { metadata: { finalizers: finalizers.length > 0 ? finalizers : null, resourceVersion: obj.metadata.resourceVersion } },
    });
  }

  private dependentsOf(uid: string): { resource: string; obj: Readonly<KubeObject> }[] {
    return [...this.informers].flatMap(([resource, informer]) => informer.indexer.byIndex(BY_OWNER, uid).map((obj) => ({ resource, obj })));
  }

  private ownerKeys(uid: string): string[] {
    return [...this.informers].flatMap(([resource, informer]) => informer.indexer.byIndex(BY_UID, uid).map((o) => `${resource}/${objectKey(o)}`));
  }

  private exists(uid: string): boolean {
    return [...this.informers.values()].some((i) => i.indexer.byIndex(BY_UID, uid).length > 0);
  }

  /**
   * Sends a request; a failure other than 404 (already gone) is traced. With `answered` the
   * sync waits for it and retries with backoff if it failed; without, the next event retries.
   */
  private call(req: ApiRequest, answered?: (failure?: string) => void): void {
    this.client.request(req, (res) => {
      const failed = res.code >= 300 && res.code !== 404;
      const why = failed ? `${req.verb} ${req.resource} ${req.name}: ${(res.body as Status).message}` : undefined;
      if (failed) this.sim.trace.error(this.sim.now(), this.client.component, `${GARBAGE_COLLECTOR}: ${why}`);
      answered?.(why);
    });
  }

  private trace(summary: string): void {
    this.sim.trace.action(this.sim.now(), this.client.component, `${GARBAGE_COLLECTOR}: ${summary}`);
  }
}

function describe(resource: string, obj: Readonly<KubeObject>): string {
  return `${findResource(resource)?.kind ?? resource} ${objectKey(obj)}`;
}
