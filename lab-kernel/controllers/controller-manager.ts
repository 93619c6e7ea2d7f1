import type { Client } from '../client/client';
import { EventRecorder } from '../client/event-recorder';
import { electionIdentity, LeaderElector } from '../client/leader-elector';
import { SharedInformerFactory } from '../client/shared-informer-factory';
import type { Simulation } from '../sim/simulation';
import type { RolloutStepFn } from './deployment/rollout-contract';
import type { PlanJob } from './job/job-plan-contract';
import type { CronScheduleFn } from './cronjob/cron-schedule-contract';
import { CronJobController } from './cronjob/cronjob-controller';
import type { PlanDaemonSet } from './daemonset/daemonset-plan-contract';
import { DaemonSetController } from './daemonset/daemonset-controller';
import type { PlanStatefulSet } from './statefulset/statefulset-plan-contract';
import { StatefulSetController } from './statefulset/statefulset-controller';
import { DeploymentController } from './deployment/deployment-controller';
import { EndpointsController } from './endpoint/endpoints-controller';
import type { ReconcileSlicesFn } from './endpointslice/endpointslice-contract';
import { EndpointSliceController } from './endpointslice/endpointslice-controller';
import { GarbageCollector } from './garbage-collector';
import type { HpaReplicasFn } from './podautoscaler/hpa-replicas-contract';
import { HorizontalPodAutoscalerController } from './podautoscaler/hpa-controller';
import { NamespaceController } from './namespace-controller';
import { NodeLifecycleController } from './node-lifecycle-controller';
import { PodGcController } from './pod-gc-controller';
import type { ReconcileReplicaSet } from './replicaset-contract';
import { ReplicaSetController } from './replicaset-controller';
import { REPLICATIONCONTROLLER_KIND } from './replicated-kind';
import type { ReplicationController } from '../api/types';
import type { CloudProvider } from './service/cloud-provider';
import { ServiceController } from './service/service-controller';
import { ResourceQuotaController } from './resourcequota-controller';
import { ServiceAccountController } from './serviceaccount-controller';
import { TaintEvictionController } from './taint-eviction-controller';
import { NodeIpamController, type NodeIpamOptions } from './node-ipam/node-ipam-controller';
import { TtlAfterFinishedController } from './ttl-after-finished-controller';
import { JobController } from './job/job-controller';
import { PersistentVolumeController } from './volume/pv-controller';
import type { NodeAffinityFn } from '../scheduler/plugins/node-affinity-contract';
import type { TaintTolerationFn } from '../scheduler/plugins/taint-toleration-contract';

/** The code kube-controller-manager's exercise-backed controllers run: the reference's or a learner's. */
export interface ControllerCode {
  replicaset: ReconcileReplicaSet;
  'deployment-rollout': RolloutStepFn;
  'job-reconcile': PlanJob;
  'daemonset-nodes': PlanDaemonSet;
  'statefulset-ordinals': PlanStatefulSet;
  'cron-schedule': CronScheduleFn;
  'hpa-replicas': HpaReplicasFn;
  'endpointslice-reconcile': ReconcileSlicesFn;
  /** Whether a toleration tolerates a taint, for the taint eviction and DaemonSet controllers: the cluster passes the reference's, whoever runs the scheduler's exercise. */
  'taint-toleration': TaintTolerationFn;
  /** Whether a node matches a pod's node affinity, for the DaemonSet controller: the reference's, likewise. */
  'node-affinity': NodeAffinityFn;
}

export interface ControllerManagerOptions {
  /** Elect a leader (--leader-elect); `hostname` begins its identity. Left out, it runs its controllers from start(). */
  leaderElection?: { hostname: string };
  /** A cloud to run the service controller on (cloud-controller-manager's, in a real cluster); without one it does not run. */
  cloud?: CloudProvider;
  /** --allocate-node-cidrs with --cluster-cidr and --node-cidr-mask-size: the node IPAM controller runs (node-ipam/). */
  nodeIpam?: NodeIpamOptions;
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
 *   cronjob-controller         cronjobs, jobs
 *   ttl-after-finished-controller  jobs
 *   daemonset-controller       daemonsets, controllerrevisions, pods, nodes
 *   statefulset-controller     statefulsets, pods, controllerrevisions, persistentvolumeclaims
 *   endpoint-controller        services, pods, endpoints
 *   endpointslice-controller   services, pods, nodes, endpointslices
 *   pod-garbage-collector      pods, nodes
 *   persistentvolume-binder-controller  persistentvolumes, persistentvolumeclaims, storageclasses, pods
 *   replicationcontroller-controller    replicationcontrollers, pods (the ReplicaSet controller's code)
 *   node-ipam-controller       nodes (with --allocate-node-cidrs: a pod CIDR for each Node)
 *
 *   => one watch on pods, not four; `controllers.informers.resources()` lists them.
 *
 * The cluster runs it with --leader-elect=true (kubeadm's manifest): start() only joins the
 * election for the Lease kube-system/kube-controller-manager. The instance that holds it
 * starts the informers and the controllers; another instance stands by, listing and watching nothing,
 * until the holder stops renewing for 15 s (leader-elector.ts). A leader whose renewals fail
 * for 10 s exits ("leaderelection lost"); stop() is the process dying some other way:
 *
 *   const [a, b] = createCluster({ controllerManagers: 2 }).controllerManagers;
 *   a.isLeader()  // => true; b stands by
 *   a.stop();     // the process dies: its informers stop, its queues shut down, its client is closed
 *   // b takes the Lease 15 to 19.4 s after it last saw a renew it, and its controllers take over
 */
export class ControllerManager {
  readonly informers: SharedInformerFactory;
  /** Its part in the election for kube-system/kube-controller-manager (with leaderElection). */
  readonly elector: LeaderElector | undefined;
  readonly replicaSet: ReplicaSetController;
  readonly deployment: DeploymentController;
  readonly garbageCollector: GarbageCollector;
  readonly namespace: NamespaceController;
  readonly serviceAccount: ServiceAccountController;
  readonly resourceQuota: ResourceQuotaController;
  readonly nodeLifecycle: NodeLifecycleController;
  readonly taintEviction: TaintEvictionController;
  readonly job: JobController;
  readonly cronJob: CronJobController;
  readonly ttlAfterFinished: TtlAfterFinishedController;
  readonly daemonSet: DaemonSetController;
  readonly statefulSet: StatefulSetController;
  readonly endpoints: EndpointsController;
  readonly endpointSlices: EndpointSliceController;
  readonly podGc: PodGcController;
  readonly persistentVolume: PersistentVolumeController;
  readonly replicationController: ReplicaSetController<ReplicationController>;
  /** The service controller, in a cluster with a cloud (service/service-controller.ts). */
  readonly service: ServiceController | undefined;
  readonly horizontalPodAutoscaler: HorizontalPodAutoscalerController;
  /** The node IPAM controller, with --allocate-node-cidrs (node-ipam/node-ipam-controller.ts). */
  readonly nodeIpam: NodeIpamController | undefined;

  /** Whether its controllers run: it leads (or runs without an election) and is alive. */
  private running = false;
  private exited = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    code: ControllerCode,
    options: ControllerManagerOptions = {},
  ) {
    const informers = (this.informers = new SharedInformerFactory(sim, client));
    this.replicaSet = new ReplicaSetController(sim, client, informers, code.replicaset);
    this.deployment = new DeploymentController(sim, client, informers, code['deployment-rollout']);
    this.garbageCollector = new GarbageCollector(sim, client, informers);
    this.namespace = new NamespaceController(sim, client, informers);
    this.serviceAccount = new ServiceAccountController(sim, client, informers);
    this.resourceQuota = new ResourceQuotaController(sim, client, informers);
    this.nodeLifecycle = new NodeLifecycleController(sim, client, informers);
    this.taintEviction = new TaintEvictionController(sim, client, informers, code['taint-toleration']);
    this.job = new JobController(sim, client, informers, code['job-reconcile']);
    this.cronJob = new CronJobController(sim, client, informers, code['cron-schedule']);
    this.ttlAfterFinished = new TtlAfterFinishedController(sim, client, informers);
    this.daemonSet = new DaemonSetController(sim, client, informers, { plan: code['daemonset-nodes'], taintToleration: code['taint-toleration'], nodeAffinity: code['node-affinity'] });
    this.statefulSet = new StatefulSetController(sim, client, informers, code['statefulset-ordinals']);
    this.endpoints = new EndpointsController(sim, client, informers);
    this.endpointSlices = new EndpointSliceController(sim, client, informers, code['endpointslice-reconcile']);
    this.podGc = new PodGcController(sim, client, informers);
    this.persistentVolume = new PersistentVolumeController(sim, client, informers);
    this.replicationController = new ReplicaSetController(sim, client, informers, code.replicaset, REPLICATIONCONTROLLER_KIND);
    this.service = options.cloud && new ServiceController(sim, client, informers, options.cloud);
    this.horizontalPodAutoscaler = new HorizontalPodAutoscalerController(sim, client, informers, code['hpa-replicas']);
    this.nodeIpam = options.nodeIpam && new NodeIpamController(sim, client, informers, options.nodeIpam);
    const election = options.leaderElection;
    this.elector =
      election &&
      new LeaderElector(sim, client, {
        lease: 'kube-controller-manager',
        identity: electionIdentity(sim, client.component, election.hostname),
        recorder: new EventRecorder(sim, client, { component: 'kube-controller-manager' }),
        onStartedLeading: () => this.run(),
        onStoppedLeading: () => {
          sim.trace.error(sim.now(), client.component, 'leaderelection lost');
          this.exit();
        },
      });
  }

  /** Its name in the trace: kube-controller-manager, kube-controller-manager-2, ... */
  get component(): string {
    return this.client.component;
  }

  /** Joins the election, and runs the controllers once this instance holds the Lease (without an election, at once). */
  start(): void {
    if (this.elector === undefined) this.run();
    else this.elector.run();
  }

  /** The process dies (a crash, a kill): it renews nothing more, and its Lease runs out on its own. */
  stop(): void {
    if (this.exited) return;
    this.sim.trace.action(this.sim.now(), this.client.component, 'stopped: the process exits');
    this.exit();
  }

  /** Whether its controllers run: it holds the Lease (or runs without an election) and is alive. */
  isLeader(): boolean {
    return this.running;
  }

  /** True once every controller's caches have listed (what /healthz waits for). */
  hasSynced(): boolean {
    return this.controllers().every((c) => c.hasSynced());
  }

  /** Leading: the shared informers start, then the controllers' own timers. */
  private run(): void {
    this.running = true;
    this.informers.start();
    this.resourceQuota.start();
    this.nodeLifecycle.start();
    this.podGc.start();
    this.persistentVolume.start();
  }

  /** The process is gone: informers stopped, queues shut down, nothing more reaches the API server. */
  private exit(): void {
    this.exited = true;
    this.running = false;
    this.elector?.stop();
    this.informers.shutdown();
    for (const controller of this.controllers()) controller.shutDown();
    this.client.close();
  }

  private controllers(): { hasSynced(): boolean; shutDown(): void }[] {
    return [this.replicaSet, this.deployment, this.garbageCollector, this.namespace, this.serviceAccount, this.resourceQuota, this.nodeLifecycle, this.taintEviction, this.job, this.cronJob, this.ttlAfterFinished, this.daemonSet, this.statefulSet, this.endpoints, this.endpointSlices, this.podGc, this.persistentVolume, this.replicationController, this.horizontalPodAutoscaler, ...(this.service ? [this.service] : []), ...(this.nodeIpam ? [this.nodeIpam] : [])];
  }
}
