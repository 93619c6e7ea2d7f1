import { objectKey } from '../../api/resources';
import type { LoadBalancerStatus, Node, Service } from '../../api/types';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import { ItemExponentialFailureRateLimiter } from '../../client/rate-limiter';
import type { SharedInformerFactory } from '../../client/shared-informer-factory';
import { typedClient } from '../../client/typed-client';
import { WorkQueue } from '../../client/work-queue';
import type { Simulation } from '../../sim/simulation';
import type { CloudProvider } from './cloud-provider';
import { exclusionChanged, hasCleanupFinalizer, LOAD_BALANCER_CLEANUP_FINALIZER, loadBalancerHosts, needsCleanup, needsUpdate, planLoadBalancer, wantsLoadBalancer } from './load-balancer-plan';

/**
 * The service controller (service-lb-controller): a load balancer in the cloud for each
 * Service of type LoadBalancer, its address in status.loadBalancer.ingress.
 *
 * In a real cluster it runs in the cloud-controller-manager, beside the cloud's own code
 * (k8s.io/cloud-provider controllers/service); kube-controller-manager has none since the
 * in-tree cloud providers were removed. The lab runs it in its controller manager, and only
 * in a cluster created with a cloud (`createCluster({ cloud: true })`). Without one a
 * LoadBalancer Service keeps EXTERNAL-IP <pending>, as on kind or minikube.
 *
 *   service handlers -> enqueue the key when it wants a load balancer, needs cleanup, or
 *                       changed in a way its load balancer follows (load-balancer-plan.ts)
 *   node handlers    -> enqueue a node sync when a node comes, goes, or its exclusion changes
 *   sync(service)    -> ensure: Event EnsuringLoadBalancer, finalizer on, cloud ensure,
 *                       Event EnsuredLoadBalancer, status; delete: cloud delete if it exists,
 *                       finalizer off, Event DeletedLoadBalancer, status cleared
 *   sync(nodes)      -> UpdateLoadBalancer for each load balancer whose node set changed
 *
 * Error branches, each with its retry decision:
 *   - a cloud call failed            -> Warning SyncLoadBalancerFailed, retry with backoff
 *                                       (5 s doubling to 300 s: the controller's own limiter)
 *   - the finalizer or status write failed -> the same
 *   - the status write found it gone (404) -> done: its finalizer was the last thing holding it
 *   - a node update failed           -> Warning UpdateLoadBalancerFailed, the service is queued again
 */
export const SERVICE_LB_CONTROLLER = 'service-lb-controller';
const EVENT_SOURCE = 'service-controller';
/** The cloud-controller-manager's --cluster-name default. */
const CLUSTER_NAME = 'kubernetes';
const MIN_RETRY_MS = 5_000;
const MAX_RETRY_MS = 300_000;
const NODE_SYNC_KEY = 'nodes';

export class ServiceController {
  readonly services: Informer<Service>;
  readonly nodes: Informer<Node>;
  private readonly queue: WorkQueue;
  private readonly nodeQueue: WorkQueue;
  private readonly recorder: EventRecorder;
  /** The services it has seen wanting a load balancer, by key (upstream's serviceCache). */
  private readonly known = new Map<string, Readonly<Service>>();
  /** The node set each load balancer was last given. */
  private readonly lastHosts = new Map<string, string[]>();

  constructor(
    sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    private readonly cloud: CloudProvider,
  ) {
    this.queue = new WorkQueue(sim, new ItemExponentialFailureRateLimiter(MIN_RETRY_MS, MAX_RETRY_MS));
    this.nodeQueue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: EVENT_SOURCE });
    this.services = informers.informerFor<Service>('services');
    this.nodes = informers.informerFor<Node>('nodes');
    this.services.addEventHandler({
      onAdd: (svc) => (wantsLoadBalancer(svc) || needsCleanup(svc) ? this.queue.add(objectKey(svc)) : undefined),
      onUpdate: (old, svc) => (needsUpdate(old, svc) || needsCleanup(svc) ? this.queue.add(objectKey(svc)) : undefined),
      // A deletion comes through the update that sets deletionTimestamp (the finalizer holds it).
      onDelete: () => undefined,
    });
    this.nodes.addEventHandler({
      onAdd: () => this.nodeQueue.add(NODE_SYNC_KEY),
      onUpdate: (old, node) => (exclusionChanged(old, node) ? this.nodeQueue.add(NODE_SYNC_KEY) : undefined),
      onDelete: () => this.nodeQueue.add(NODE_SYNC_KEY),
    });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: SERVICE_LB_CONTROLLER });
    runWorker(sim, client.component, this.nodeQueue, () => this.syncNodes(), { controller: SERVICE_LB_CONTROLLER });
  }

  hasSynced(): boolean {
    return this.services.hasSynced() && this.nodes.hasSynced();
  }

  shutDown(): void {
    this.queue.shutDown();
    this.nodeQueue.shutDown();
  }

  private sync(key: string): ReconcileOutcome | PendingRequests {
    const svc = this.services.lister.get(key);
    const requests = new PendingRequests();
    if (svc === undefined) {
      // Gone without the finalizer's cleanup (it was removed by hand): delete what it had.
      const last = this.known.get(key);
      if (last === undefined || !wantsLoadBalancer(last)) return 'done';
      const answered = requests.start();
      this.recorder.event(last, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
      this.cloud.ensureLoadBalancerDeleted(CLUSTER_NAME, last, (error) => {
        if (error !== undefined) {
          this.recorder.event(last, 'Warning', 'DeleteLoadBalancerFailed', `Error deleting load balancer: ${error}`);
          return answered(`delete load balancer: ${error}`);
        }
        this.forget(key);
        this.recorder.event(last, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
        answered();
      });
      return requests;
    }
    this.known.set(key, svc);
    const answered = requests.start();
    const failed = (error: string) => {
      this.recorder.event(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: ${error}`);
      answered(error);
    };
    if (planLoadBalancer(svc) === 'delete') {
      this.cloud.getLoadBalancer(CLUSTER_NAME, svc, (r) => {
        if ('error' in r) return failed(`failed to check if load balancer exists before cleanup: ${r.error}`);
        const finish = () =>
          this.setFinalizer(svc, false, (current, error) => {
            if (error !== undefined) return failed(`failed to remove load balancer cleanup finalizer: ${error}`);
            this.recorder.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
            this.forget(key);
            this.writeStatus(current, {}, answered);
          });
        if (!r.exists) return finish();
        this.recorder.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
        this.cloud.ensureLoadBalancerDeleted(CLUSTER_NAME, svc, (error) => (error !== undefined ? failed(`failed to delete load balancer: ${error}`) : finish()));
      });
      return requests;
    }
    this.recorder.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    // The finalizer goes on before the cloud is asked: the Service cannot go before its load balancer.
    this.setFinalizer(svc, true, (current, error) => {
      if (error !== undefined) return failed(`failed to add load balancer cleanup finalizer: ${error}`);
      const hosts = loadBalancerHosts(this.nodes.lister.list());
      if (hosts.length === 0) this.recorder.event(svc, 'Warning', 'UnAvailableLoadBalancer', 'There are no available nodes for LoadBalancer');
      this.lastHosts.set(key, hosts);
      this.cloud.ensureLoadBalancer(CLUSTER_NAME, current, hosts, (r) => {
        if ('error' in r) return failed(`failed to ensure load balancer: ${r.error}`);
        this.recorder.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
        this.writeStatus(current, r.status, answered);
      });
    });
    return requests;
  }

  /** Each known load balancer whose node set changed is pointed at the new one. */
  private syncNodes(): PendingRequests {
    const requests = new PendingRequests();
    const hosts = loadBalancerHosts(this.nodes.lister.list());
    for (const [key, last] of this.known) {
      const svc = this.services.lister.get(key) ?? last;
      if (!wantsLoadBalancer(svc)) continue;
      const before = this.lastHosts.get(key) ?? [];
      this.lastHosts.set(key, hosts);
      if (before.join(',') === hosts.join(',')) continue;
      const answered = requests.start();
      this.cloud.updateLoadBalancer(CLUSTER_NAME, svc, hosts, (error) => {
        if (error === undefined) {
          if (hosts.length === 0) this.recorder.event(svc, 'Warning', 'UnAvailableLoadBalancer', 'There are no available nodes for LoadBalancer');
          else this.recorder.event(svc, 'Normal', 'UpdatedLoadBalancer', 'Updated load balancer with new hosts');
        } else {
          this.recorder.event(svc, 'Warning', 'UpdateLoadBalancerFailed', `Error updating load balancer with new hosts [${hosts.join(' ')}] [node names limited, total number of nodes: ${hosts.length}], error: ${error}`);
          this.queue.add(key); // the service's own sync ensures it again, with its backoff
        }
        answered(); // the node sync itself is done either way
      });
    }
    return requests;
  }

  /** Adds or removes the cleanup finalizer (a merge patch), handing on the Service as it is now. */
  private setFinalizer(svc: Readonly<Service>, present: boolean, then: (current: Readonly<Service>, error?: string) => void): void {
    if (hasCleanupFinalizer(svc) === present) return then(svc);
    const others = (svc.metadata.finalizers ?? []).filter((f) => f !== LOAD_BALANCER_CLEANUP_FINALIZER);
    const finalizers = present ? [...others, LOAD_BALANCER_CLEANUP_FINALIZER] : others;
    typedClient<Service>(this.client, 'services', svc.metadata.namespace).patch(svc.metadata.name!, 'application/merge-patch+json', { metadata: { finalizers } }, (r) => {
      // Removing the last finalizer of a Service being deleted deletes it: nothing is left to write.
      if (r.kind === 'ok') return then(r.object);
      if (r.status.code === 404 && !present) return then(svc);
      then(svc, r.status.message);
    });
  }

  /** Writes status.loadBalancer when it differs; a Service already gone needs none. */
  private writeStatus(svc: Readonly<Service>, status: LoadBalancerStatus, answered: (failure?: string) => void): void {
    if (JSON.stringify(svc.status?.loadBalancer ?? {}) === JSON.stringify(status)) return answered();
    if (svc.metadata.deletionTimestamp !== undefined && !hasCleanupFinalizer(svc) && (svc.metadata.finalizers ?? []).length === 0) return answered();
    typedClient<Service>(this.client, 'services', svc.metadata.namespace).updateStatus(Object.assign({}, svc, { status: Object.assign({}, svc.status, { loadBalancer: status }) }), (r) => {
      answered(r.kind === 'error' && r.status.code !== 404 ? `failed to update load balancer status: ${r.status.message}` : undefined);
    });
  }

  private forget(key: string): void {
    this.known.delete(key);
    this.lastHosts.delete(key);
  }
}
