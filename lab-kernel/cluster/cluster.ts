import { ApiServer, API_SERVER, ETCD } from '../apiserver/api-server';
import { LocalEtcd } from '../apiserver/storage';
import { EtcdClient } from '../etcd/etcd-client';
import { EtcdCluster } from '../etcd/etcd-cluster';
import { Client } from '../client/client';
import { REPLICASET_CONTROLLER, ReplicaSetController } from '../controllers/replicaset-controller';
import { PlaceholderKubelet } from '../kubelet/placeholder-kubelet';
import { Kubectl } from '../kubectl/kubectl';
import { PlaceholderScheduler, SCHEDULER } from '../scheduler/placeholder-scheduler';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { formatEvent, type Trace } from '../sim/trace';
import { loadSlot, SLOT_IDS, type SlotId, type SlotSource, type SlotTypes } from '../slots/slots';
import { MvccStore } from '../store/mvcc-store';
import { controlPlaneStaticPods } from './static-pods';

/**
 * A whole simulated cluster: etcd, the API server, the controller manager and the scheduler
 * on a control-plane node, and a kubelet with its container runtime on every node.
 *
 *   const cluster = createCluster({ seed: 1, workers: 2 });
 *   cluster.apply(`apiVersion: apps/v1\nkind: ReplicaSet ...`);
 *   cluster.runFor(5_000);                       // five seconds of virtual time
 *   console.log(cluster.kubectl.get('pods').toString());
 *
 * Run a slot on your own code instead of the reference solution:
 *
 *   createCluster({ use: { replicaset: 'exercise' } })
 *
 * createCluster returns once the cluster has booted (nodes registered, caches synced,
 * control-plane pods running), a second or two into virtual time.
 */
export interface ClusterOptions {
  /** Seeds every random choice; the same seed gives the same run (default 1). */
  seed?: number;
  /** How many worker nodes besides the control-plane node (default 2). */
  workers?: number;
  /** Which code runs each exercise slot (default: 'solution' for all). */
  use?: Partial<Record<SlotId, SlotSource>>;
  /** How long one call of slot code may run before it counts as an endless loop (default 1000 ms). */
  slotTimeoutMs?: number;
  /**
   * etcd replicated over this many members (etcd-0, etcd-1, ...), each a Raft peer on its own
   * machine. Leave it out for one etcd inside the API server's process: simpler traces, and
   * a cluster that boots without an election.
   */
  etcdMembers?: number;
}

export type ComponentRole = 'control plane' | 'node' | 'client';

export interface ComponentInfo {
  /** The name it has in the trace. */
  name: string;
  role: ComponentRole;
  /** The machine it runs on. */
  host: string;
  /** How it is run (T00.5): a static pod, a system service, a process on a laptop. */
  runsAs: string;
  what: string;
}

export const CONTROL_PLANE_NODE = 'control-plane';
export const CONTROLLER_MANAGER = 'kube-controller-manager';
export const KUBECTL = 'kubectl';
const BOOT_LIMIT_MS = 30_000;

export class Cluster {
  readonly sim: Simulation;
  readonly net: Network;
  /** The in-process etcd's store (when etcdMembers is left out). */
  readonly etcd: MvccStore;
  /** The replicated etcd (when etcdMembers is set). */
  readonly etcdCluster?: EtcdCluster;
  readonly apiServer: ApiServer;
  readonly replicaSetController: ReplicaSetController;
  readonly scheduler: PlaceholderScheduler;
  readonly kubelets: PlaceholderKubelet[];
  readonly kubectl: Kubectl;
  /** Which code each slot runs. */
  readonly slots: Record<SlotId, SlotSource>;

  constructor(options: ClusterOptions = {}) {
    this.sim = new Simulation({ seed: options.seed ?? 1, slotTimeoutMs: options.slotTimeoutMs });
    this.net = new Network(this.sim);
    this.slots = Object.fromEntries(SLOT_IDS.map((id) => [id, options.use?.[id] ?? 'solution'])) as Record<SlotId, SlotSource>;
    const slot = <K extends SlotId>(id: K): SlotTypes[K] => loadSlot(id, this.slots[id], { timeoutMs: options.slotTimeoutMs });
    this.etcd = new MvccStore({ versionAt: slot('mvcc-read') });

    if (options.etcdMembers !== undefined) {
      this.etcdCluster = new EtcdCluster(this.sim, this.net, slot('raft'), options.etcdMembers, slot('mvcc-read'));
    }
    const storage = this.etcdCluster ? new EtcdClient(this.sim, this.net, this.etcdCluster, API_SERVER) : new LocalEtcd(this.sim, this.etcd, API_SERVER);
    this.apiServer = new ApiServer(this.sim, this.net, storage);
    const client = (name: string) => new Client(name, this.net, this.apiServer);
    this.replicaSetController = new ReplicaSetController(this.sim, client(CONTROLLER_MANAGER), slot('replicaset'));
    this.scheduler = new PlaceholderScheduler(this.sim, client(SCHEDULER));
    const nodeNames = [CONTROL_PLANE_NODE, ...Array.from({ length: options.workers ?? 2 }, (_, i) => `node-${i + 1}`)];
    this.kubelets = nodeNames.map((name, index) => {
      const controlPlane = name === CONTROL_PLANE_NODE;
      return new PlaceholderKubelet(this.sim, client(`kubelet/${name}`), { name, index, controlPlane }, controlPlane ? controlPlaneStaticPods() : []);
    });
    this.kubectl = new Kubectl(this.sim, client(KUBECTL));

    this.apiServer.addHealthProbe({ name: 'etcd-0', component: ETCD, healthz: () => ({ healthy: true, message: '{"health":"true","reason":""}' }) });
    this.apiServer.addHealthProbe({ name: 'scheduler', component: SCHEDULER, healthz: () => health(this.scheduler.hasSynced()) });
    this.apiServer.addHealthProbe({ name: 'controller-manager', component: CONTROLLER_MANAGER, healthz: () => health(this.replicaSetController.hasSynced()) });
    for (const k of this.kubelets) this.apiServer.registerKubelet(k.node.name, k);
    this.boot();
  }

  get trace(): Trace {
    return this.sim.trace;
  }

  /** Virtual time now, in ms. */
  now(): number {
    return this.sim.now();
  }

  /** `kubectl apply` a YAML manifest (one or more documents). */
  apply(yamlText: string): string {
    return this.kubectl.apply(yamlText);
  }

  /** Lets `ms` of virtual time pass. */
  runFor(ms: number): void {
    this.sim.runFor(ms);
  }

  /** Runs until `done()` holds (checked after every event), for at most `limitMs`. */
  runUntil(done: () => boolean, limitMs = 60_000): boolean {
    return this.sim.runUntil(done, limitMs);
  }

  /** Every component, where it runs and how (T00.1, T00.5). */
  components(): ComponentInfo[] {
    const cp = CONTROL_PLANE_NODE;
    const etcd: ComponentInfo[] = this.etcdCluster
      ? this.etcdCluster.names.map((name) => ({ name, role: 'control plane', host: name, runsAs: 'static pod', what: 'a member of the replicated store of cluster state' }))
      : [{ name: ETCD, role: 'control plane', host: cp, runsAs: 'static pod', what: 'the only store of cluster state' }];
    return [
      ...etcd,
      { name: API_SERVER, role: 'control plane', host: cp, runsAs: 'static pod', what: 'the only door to etcd; REST and watch for everyone else' },
      { name: CONTROLLER_MANAGER, role: 'control plane', host: cp, runsAs: 'static pod', what: `runs the control loops (${REPLICASET_CONTROLLER})` },
      { name: SCHEDULER, role: 'control plane', host: cp, runsAs: 'static pod', what: 'assigns pods to nodes (placeholder)' },
      ...this.kubelets.flatMap((k): ComponentInfo[] => [
        { name: k.component, role: 'node', host: k.node.name, runsAs: 'system service (systemd)', what: 'runs the pods bound to its node (placeholder)' },
        { name: k.runtime, role: 'node', host: k.node.name, runsAs: 'system service (systemd)', what: 'container runtime, driven over CRI' },
      ]),
      { name: KUBECTL, role: 'client', host: 'your laptop', runsAs: 'command-line tool', what: 'a client of the API server like any other' },
    ];
  }

  private boot(): void {
    if (this.etcdCluster !== undefined) {
      const etcd = this.etcdCluster;
      if (!this.sim.runUntil(() => etcd.leader() !== undefined, BOOT_LIMIT_MS)) throw new Error(`etcd elected no leader within ${BOOT_LIMIT_MS} ms of virtual time${firstError(this.sim.trace)}`);
    }
    this.apiServer.bootstrap();
    this.sim.trace.action(this.sim.now(), API_SERVER, 'started; created namespaces default, kube-system, kube-public, kube-node-lease');
    for (const k of this.kubelets) k.start();
    this.replicaSetController.start();
    this.scheduler.start();
    const staticPods = controlPlaneStaticPods().length;
    const booted = () =>
      this.kubelets.every((k) => k.isRegistered()) &&
      this.replicaSetController.hasSynced() &&
      this.scheduler.hasSynced() &&
      this.kubelets[0].pods.lister.list().filter((p) => p.status?.phase === 'Running').length === staticPods;
    if (!this.sim.runUntil(booted, BOOT_LIMIT_MS)) throw new Error(`the cluster did not boot within ${BOOT_LIMIT_MS} ms of virtual time${firstError(this.sim.trace)}`);
  }
}

/** `; first error: <time> <who>: <what>`, from the trace, or nothing. */
function firstError(trace: Trace): string {
  const e = trace.all().find((x) => x.kind === 'error');
  return e === undefined ? '' : `; first error: ${formatEvent(e).trim()}`;
}

function health(ok: boolean): { healthy: boolean; message: string } {
  return ok ? { healthy: true, message: 'ok' } : { healthy: false, message: 'caches not synced yet' };
}

export function createCluster(options: ClusterOptions = {}): Cluster {
  return new Cluster(options);
}
