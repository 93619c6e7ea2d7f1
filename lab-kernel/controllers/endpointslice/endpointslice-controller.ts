import { objectKey } from '../../api/resources';
import type { Status } from '../../api/status';
import type { EndpointSlice, Node, Pod, Service } from '../../api/types';
import { isNamespaceTerminating } from '../../apiserver/admission/namespace-lifecycle';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import type { SharedInformerFactory } from '../../client/shared-informer-factory';
import { typedClient, type Result } from '../../client/typed-client';
import { WorkQueue } from '../../client/work-queue';
import type { Simulation } from '../../sim/simulation';
import { podsOf, servicesOf, servicesToUpdateOnPodChange } from '../service-pods';
import type { ReconcileSlicesFn } from './endpointslice-contract';
import { planSlices, type SlicePlan } from './reconciler';
import { CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from './slice-endpoints';
import { SliceTracker } from './slice-tracker';

/**
 * kube-controller-manager's EndpointSlice controller (pkg/controller/endpointslice, 1.32):
 * every Service with a selector has EndpointSlices listing the pods it selects, at most 100
 * a slice, labelled kubernetes.io/service-name=<service> and
 * endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io, owned by the Service
 * (so the garbage collector deletes them with it). reconciler.ts plans the writes, around the
 * decision it is given (endpointslice-contract.ts: the reference's, or a learner's).
 *
 *   kubectl apply my-service, 3 ready pods  // => create endpointslices default/my-service-x7k2p: 3 endpoints
 *   250 pods                                // => 3 slices (100, 100, 50)
 *   a pod deleted                           // => update the slice it was in
 *
 * Handlers only enqueue Service keys: a Service's events; a pod's, for each Service that
 * selects it; a slice's, 1 s later, only if it is news (not the controller's own write, which
 * the tracker, slice-tracker.ts, remembers). sync(key) reads the caches, compares, writes.
 *
 * Error branches, each with its retry decision:
 *   - Service gone from the cache           -> done: forget its slices (the garbage collector deletes them)
 *   - ExternalName, or no selector          -> done: its slices are someone else's to write
 *   - the slice cache behind its own writes -> retry with backoff ("EndpointSlice informer cache is out of date")
 *   - the decision threw                    -> retry with backoff ("reconcile for <key> failed: ...")
 *   - a pod on a node not in the cache      -> write the rest, then retry with backoff
 *   - a create refused, namespace terminating -> done
 *   - a create, update or delete failed     -> retry with backoff, with a Warning Event
 *                                              FailedToUpdateEndpointSlices
 *
 * Simplified: the writes of one sync are sent together (upstream sends them one by one and
 * stops at the first failure); no last-change-trigger-time annotation; the node informer is
 * read for zones and missing nodes only (no topology hints).
 */
export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller';
/** kube-controller-manager's --concurrent-service-endpoint-syncs default. */
export const ENDPOINTSLICE_WORKERS = 5;
/** --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** endpointSliceChangeMinSyncDelay: a slice event syncs its Service this much later, batching bursts. */
export const SLICE_CHANGE_DELAY_MS = 1000;

export class EndpointSliceController {
  readonly services: Informer<Service>;
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  readonly slices: Informer<EndpointSlice>;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly tracker = new SliceTracker();

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    private readonly reconcile: ReconcileSlicesFn,
    private readonly maxEndpointsPerSlice = MAX_ENDPOINTS_PER_SLICE,
  ) {
    this.queue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: ENDPOINTSLICE_CONTROLLER });
    this.services = informers.informerFor<Service>('services');
    this.pods = informers.informerFor<Pod>('pods');
    this.nodes = informers.informerFor<Node>('nodes');
    this.slices = informers.informerFor<EndpointSlice>('endpointslices');
    const enqueue = (keys: string[]) => keys.forEach((k) => this.queue.add(k));
    this.services.addEventHandler({
      onAdd: (svc) => this.queue.add(objectKey(svc)),
      onUpdate: (_old, svc) => this.queue.add(objectKey(svc)),
      onDelete: (svc) => this.queue.add(objectKey(svc)),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => enqueue(servicesOf(this.services.lister, pod)),
      onUpdate: (old, pod) => enqueue(servicesToUpdateOnPodChange(this.services.lister, old, pod)),
      onDelete: (pod) => enqueue(servicesOf(this.services.lister, pod)),
    });
    this.slices.addEventHandler({
      onAdd: (slice) => {
        if (managed(slice) && this.tracker.shouldSync(slice)) this.queueServiceOf(slice);
      },
      onUpdate: (old, slice) => {
        // A slice moved to another Service by hand: both Services look again.
        if (old.metadata.labels?.[LABEL_SERVICE_NAME] !== slice.metadata.labels?.[LABEL_SERVICE_NAME]) {
          this.queueServiceOf(slice);
          this.queueServiceOf(old);
        } else if (managed(old) !== managed(slice) || (managed(slice) && this.tracker.shouldSync(slice))) {
          this.queueServiceOf(slice);
        }
      },
      onDelete: (slice) => {
        // A slice deleted by someone else: its Service gets it back.
        if (managed(slice) && this.tracker.has(slice) && !this.tracker.handleDeletion(slice)) this.queueServiceOf(slice);
      },
    });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: ENDPOINTSLICE_CONTROLLER, workers: ENDPOINTSLICE_WORKERS });
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  hasSynced(): boolean {
    return this.services.hasSynced() && this.pods.hasSynced() && this.nodes.hasSynced() && this.slices.hasSynced();
  }

  private queueServiceOf(slice: Readonly<EndpointSlice>): void {
    const name = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (name) this.queue.addAfter(`${slice.metadata.namespace}/${name}`, SLICE_CHANGE_DELAY_MS);
  }

  private sync(key: string): ReconcileOutcome | PendingRequests {
    const svc = this.services.lister.get(key);
    if (svc === undefined) {
      this.tracker.deleteService(key);
      return 'done';
    }
    if (svc.spec.type === 'ExternalName' || svc.spec.selector === undefined) return 'done';
    const namespace = svc.metadata.namespace!;
    const existing = this.slices.lister
      .list(namespace, { matchLabels: { [LABEL_SERVICE_NAME]: svc.metadata.name!, [LABEL_MANAGED_BY]: CONTROLLER_NAME } })
      .filter((s) => s.metadata.deletionTimestamp === undefined);
    if (this.tracker.staleSlices(key, existing)) return { retry: 'EndpointSlice informer cache is out of date' };

    let plan: SlicePlan;
    try {
      plan = planSlices(svc, podsOf(this.pods.lister, svc), existing, (name) => this.nodes.lister.get(name), this.maxEndpointsPerSlice, this.reconcile);
    } catch (err) {
      return { retry: `reconcile for ${key} failed: ${(err as Error).message}` };
    }
    const requests = new PendingRequests();
    if (plan.missingNodes.length > 0) requests.start()(`skipping pods of ${key} on nodes not found: ${[...new Set(plan.missingNodes)].join(', ')}`);
    if (plan.create.length + plan.update.length + plan.delete.length === 0) return requests;
    this.sim.trace.action(this.sim.now(), this.client.component, `${ENDPOINTSLICE_CONTROLLER}: ${key}: create ${plan.create.length}, update ${plan.update.length}, delete ${plan.delete.length} endpointslices`, {
      key,
      create: plan.create.length,
      update: plan.update.length,
      delete: plan.delete.length,
    });
    const api = typedClient<EndpointSlice>(this.client, 'endpointslices', namespace);
    const failed = (what: string, status: Status) => {
      this.recorder.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${what}: ${status.message}`);
      return `${what}: ${status.message}`;
    };
    const written = (what: string, answered: (failure?: string) => void) => (r: Result<EndpointSlice>) => {
      if (r.kind === 'ok') this.tracker.update(r.object);
      answered(r.kind === 'ok' ? undefined : failed(what, r.status));
    };
    // Creates wait while the Service is being deleted: the garbage collector is removing its slices.
    if (svc.metadata.deletionTimestamp === undefined) {
      for (const slice of plan.create) {
        const answered = requests.start();
        api.create(slice, (r) => {
          if (r.kind === 'error' && isNamespaceTerminating(r.status.details?.causes)) return answered();
          written(`failed to create EndpointSlice for Service ${key}`, answered)(r);
        });
      }
    }
    for (const slice of plan.update) api.update(slice, written(`failed to update ${slice.metadata.name} EndpointSlice for Service ${key}`, requests.start()));
    for (const slice of plan.delete) {
      const answered = requests.start();
      api.delete(slice.metadata.name!, {}, (r) => {
        if (r.kind === 'ok') this.tracker.expectDeletion(slice);
        answered(r.kind === 'ok' ? undefined : failed(`failed to delete ${slice.metadata.name} EndpointSlice for Service ${key}`, r.status));
      });
    }
    return requests;
  }
}

/** Written by this controller (the managed-by label), not mirrored or made by hand. */
function managed(slice: Readonly<EndpointSlice>): boolean {
  return slice.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME;
}
