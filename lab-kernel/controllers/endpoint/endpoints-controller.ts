import { objectKey } from '../../api/resources';
import type { Status } from '../../api/status';
import type { Endpoints, Pod, Service } from '../../api/types';
import { sameJson } from '../../api/validation/rules';
import { isNamespaceTerminating } from '../../apiserver/admission/namespace-lifecycle';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import type { SharedInformerFactory } from '../../client/shared-informer-factory';
import { typedClient } from '../../client/typed-client';
import { WorkQueue } from '../../client/work-queue';
import type { Simulation } from '../../sim/simulation';
import { podsOf, servicesOf, servicesToUpdateOnPodChange, withHeadlessLabel } from '../service-pods';
import { endpointSubsets } from './subsets';

/**
 * kube-controller-manager's Endpoints controller (pkg/controller/endpoint, 1.32): every
 * Service with a selector has an Endpoints object of the same name listing the pods it
 * selects (subsets.ts says how).
 *
 *   kubectl apply my-service (selector app.kubernetes.io/name=MyApp, port 80 -> 9376), 3 ready pods
 *   // => create endpoints default/my-service: 10.244.1.5:9376,10.244.2.3:9376,10.244.1.6:9376
 *   a pod deleted        // => update endpoints default/my-service, its address gone
 *   the Service deleted  // => delete endpoints default/my-service (404 is fine: the API server deleted them with it)
 *
 * Handlers only enqueue Service keys: a Service's own events; a pod's, for each Service that
 * selects it (an update only if what an endpoint shows, or the labels, changed); an Endpoints
 * deleted while its Service is still there. sync(key) reads the caches, compares, writes.
 *
 * Error branches, each with its retry decision:
 *   - Service gone from the cache          -> delete its Endpoints; 404 is done, another failure retries
 *   - ExternalName, or no selector         -> done: its Endpoints are someone else's to write
 *   - Endpoints already as wanted          -> done, nothing written
 *   - create refused, namespace terminating -> done: nothing can be created there any more
 *   - create or update failed              -> retry with backoff, with a Warning Event
 *                                             (FailedToCreateEndpoint / FailedToUpdateEndpoint);
 *                                             a 409 means the cache was behind: the retry reads it again
 *
 * Simplified: no endpoints.kubernetes.io/last-change-trigger-time annotation, no
 * over-capacity truncation at 1,000 addresses, no sweep for leftover Endpoints at start.
 */
export const ENDPOINT_CONTROLLER = 'endpoint-controller';
/** kube-controller-manager's --concurrent-endpoint-syncs default. */
export const ENDPOINT_WORKERS = 5;

export class EndpointsController {
  readonly services: Informer<Service>;
  readonly pods: Informer<Pod>;
  readonly endpoints: Informer<Endpoints>;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
  ) {
    this.queue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: ENDPOINT_CONTROLLER });
    this.services = informers.informerFor<Service>('services');
    this.pods = informers.informerFor<Pod>('pods');
    this.endpoints = informers.informerFor<Endpoints>('endpoints');
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
    // Endpoints deleted by someone else are made again, if their Service still wants them.
    this.endpoints.addEventHandler({ onDelete: (ep) => this.queue.add(objectKey(ep)) });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: ENDPOINT_CONTROLLER, workers: ENDPOINT_WORKERS });
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  hasSynced(): boolean {
    return this.services.hasSynced() && this.pods.hasSynced() && this.endpoints.hasSynced();
  }

  private sync(key: string): ReconcileOutcome | PendingRequests {
    const [namespace, name] = key.split('/') as [string, string];
    const api = typedClient<Endpoints>(this.client, 'endpoints', namespace);
    const requests = new PendingRequests();
    const svc = this.services.lister.get(key);
    if (svc === undefined) {
      const answered = requests.start();
      api.delete(name, {}, (r) => answered(r.kind === 'error' && r.status.code !== 404 ? `delete endpoints ${key}: ${r.status.message}` : undefined));
      return requests;
    }
    if (svc.spec.type === 'ExternalName' || svc.spec.selector === undefined) return 'done';

    const subsets = endpointSubsets(svc, podsOf(this.pods.lister, svc));
    // The Service's labels, and service.kubernetes.io/headless for a Service without a cluster IP.
    const labels = withHeadlessLabel(svc.metadata.labels ?? {}, svc);
    const current = this.endpoints.lister.get(key);
    if (current !== undefined && sameJson(current.subsets ?? [], subsets) && sameJson(current.metadata.labels ?? {}, labels)) return 'done';

    const creating = current === undefined;
    // Empty labels and subsets are left out, as Go's omitempty leaves them out of the JSON.
    const body: Endpoints = creating ? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } } : Object.assign({}, current, { metadata: { ...current.metadata } });
    delete body.metadata.labels;
    delete body.subsets;
    if (Object.keys(labels).length > 0) body.metadata.labels = labels;
    if (subsets.length > 0) body.subsets = subsets;
    const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
    const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
    this.sim.trace.action(this.sim.now(), this.client.component, `${ENDPOINT_CONTROLLER}: ${creating ? 'create' : 'update'} endpoints ${key}: ${ready} ready, ${notReady} not ready`, { key });
    const answered = requests.start();
    const done = (r: { kind: 'ok' } | { kind: 'error'; status: Status }) => {
      if (r.kind === 'ok') return answered();
      if (creating && isNamespaceTerminating(r.status.details?.causes)) return answered();
      if (creating) this.recorder.event(body, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${key}: ${r.status.message}`);
      else this.recorder.event(body, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${key}: ${r.status.message}`);
      answered(`${creating ? 'create' : 'update'} endpoints ${key}: ${r.status.message}`);
    };
    if (creating) api.create(body, done);
    else api.update(body, done);
    return requests;
  }
}
