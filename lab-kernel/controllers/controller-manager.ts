import type { Client } from '../client/client';
import { SharedInformerFactory } from '../client/shared-informer-factory';
import type { Simulation } from '../sim/simulation';
import type { RolloutStepFn } from './deployment/rollout-contract';
import { DeploymentController } from './deployment/deployment-controller';
import { EndpointsController } from './endpoint/endpoints-controller';
import { EndpointSliceController } from './endpointslice/endpointslice-controller';
import { GarbageCollector } from './garbage-collector';
import { NamespaceController } from './namespace-controller';
import { NodeLifecycleController } from './node-lifecycle-controller';
import type { ReconcileReplicaSet } from './replicaset-contract';
import { ReplicaSetController } from './replicaset-controller';
import { ResourceQuotaController } from './resourcequota-controller';
import { ServiceAccountController } from './serviceaccount-controller';
import { TaintEvictionController } from './taint-eviction-controller';
import { JobController } from './job/job-controller';
import type { TaintTolerationFn } from '../scheduler/plugins/taint-toleration-contract';

/** The code kube-controller-manager's exercise-backed controllers run: the reference's or a learner's. */
export interface ControllerCode {
  replicaset: ReconcileReplicaSet;
  'deployment-rollout': RolloutStepFn;
  /** Whether a toleration tolerates a taint, for the taint eviction controller: the cluster passes the reference's, whoever runs the scheduler's exercise. */
  'taint-toleration': TaintTolerationFn;
}

/**
 * kube-controller-manager: one process, many control loops, one set of informers.
 *
 * Every controller is built first, asking the shared factory for the informers it reads and
 * adding its handlers; then the factory starts, so each resource is listed and watched once
 * for the whole process (client-go's SharedInformerFactory, as cmd/kube-controller-manager
 * starts it after its controllers are built):
 *
 *   replicaset-controller   replicasets, pods
 *   deployment-controller   deployments, replicasets, pods
 *   garbage-collector       pods, replicasets, deployments, ... (the kinds that own or are owned)
 *   namespace-controller    namespaces
 *   serviceaccount-controller  namespaces, serviceaccounts
 *   resourcequota-controller   resourcequotas, and each resource a quota counts
 *   node-lifecycle-controller  nodes, leases, pods
 *   taint-eviction-controller  pods, nodes
 *   job-controller             jobs, pods
 *   endpoint-controller        services, pods, endpoints
 *   endpointslice-controller   services, pods, nodes, endpointslices
 *
 *   => one watch on pods, not four; `controllers.informers.resources()` lists them.
 */
export class ControllerManager {
  readonly informers: SharedInformerFactory;
  readonly replicaSet: ReplicaSetController;
  readonly deployment: DeploymentController;
  readonly garbageCollector: GarbageCollector;
  readonly namespace: NamespaceController;
  readonly serviceAccount: ServiceAccountController;
  readonly resourceQuota: ResourceQuotaController;
  readonly nodeLifecycle: NodeLifecycleController;
  readonly taintEviction: TaintEvictionController;
  readonly job: JobController;
  readonly endpoints: EndpointsController;
  readonly endpointSlices: EndpointSliceController;

  constructor(sim: Simulation, client: Client, code: ControllerCode) {
    const informers = (this.informers = new SharedInformerFactory(sim, client));
    this.replicaSet = new ReplicaSetController(sim, client, informers, code.replicaset);
    this.deployment = new DeploymentController(sim, client, informers, code['deployment-rollout']);
    this.garbageCollector = new GarbageCollector(sim, client, informers);
    this.namespace = new NamespaceController(sim, client, informers);
    this.serviceAccount = new ServiceAccountController(sim, client, informers);
    this.resourceQuota = new ResourceQuotaController(sim, client, informers);
    this.nodeLifecycle = new NodeLifecycleController(sim, client, informers);
    this.taintEviction = new TaintEvictionController(sim, client, informers, code['taint-toleration']);
    this.job = new JobController(sim, client, informers);
    this.endpoints = new EndpointsController(sim, client, informers);
    this.endpointSlices = new EndpointSliceController(sim, client, informers);
  }

  /** Starts the shared informers, then the controllers' own timers. */
  start(): void {
    this.informers.start();
    this.resourceQuota.start();
    this.nodeLifecycle.start();
  }

  /** True once every controller's caches have listed (what /healthz waits for). */
  hasSynced(): boolean {
    return this.controllers().every((c) => c.hasSynced());
  }

  private controllers(): { hasSynced(): boolean }[] {
    return [this.replicaSet, this.deployment, this.garbageCollector, this.namespace, this.serviceAccount, this.resourceQuota, this.nodeLifecycle, this.taintEviction, this.job, this.endpoints, this.endpointSlices];
  }
}
