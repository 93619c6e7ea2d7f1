import type { DnsSearchFn } from '../dns/dns-search-contract';
import { objectKey } from '../api/resources';
import type { StatusError } from '../api/status';
import type { Summary } from '../api/stats-summary';
import type { Pod, PodStatus } from '../api/types';
import type { ExecResult, PortForwardResult } from '../api/request';
import type { KubeletEndpoint } from '../apiserver/context';
import type { Client } from '../client/client';
import { EventRecorder } from '../client/event-recorder';
import { Informer } from '../client/informer';
import type { HostLocalAllocateFn } from '../runtime/host-local-contract';
import { Containerd } from '../runtime/containerd';
import { httpFrom } from '../runtime/node-network';
import { HostPathDriver } from '../runtime/csi-hostpath-driver';
import { HostFs } from '../runtime/host-fs';
import type { Simulation } from '../sim/simulation';
import { apiPodStatus } from './api-pod-status';
import { ContainerGC } from './container-gc';
import { containerInputs } from './container-inputs';
import { containerHash } from './cri-labels';
import { DeviceManager } from './device-manager';
import type { ImageGCFn } from './image-gc-contract';
import { DEFAULT_IMAGE_FS_BYTES, ImageGCManager } from './image-gc-manager';
import { KubeletServer } from './kubelet-server';
import { LifecycleHooks } from './lifecycle-hooks';
import { NodeAgent, type NodeConfig } from './node-agent';
import { ImageCache } from './node-images';
import type { ComputePodActions } from './pod-actions-contract';
import { canAdmitPod, rejectedPodStatus, type PodAdmitHandler, type PodAdmitResult } from './pod-admission';
import { readPodStatus, type PodRuntimeView } from './pod-status-reader';
import { PodStates } from './pod-states';
import { PodSyncer, type SyncResult } from './pod-syncer';
import { Pleg } from './pleg';
import { mirroredUid, staticPod } from './static-pods';
import { StatusManager, type StatusWrites } from './status-manager';
import { differsSemantically } from './pod-update';
import { EvictionManager, evictedPodStatus, HARD_EVICTION_GRACE_SECONDS } from './eviction-manager';
import { PodTerminator } from './pod-termination';
import { ProberManager } from './prober-manager';
import type { ProbesAndRestarts } from './probes-and-restarts-contract';
import { VolumeManager } from './volumes/volume-manager';

/**
 * The kubelet: the node agent that makes the pods bound to its node run, on the node's
 * container runtime (a simulated containerd, driven over CRI), and reports how they are.
 *
 *   the pods informer (spec.nodeName=<node>)  ┐
 *   PLEG: the runtime relisted every second  ┴─> a pod's worker syncs it:
 *       read the pod's state from the runtime (pod-status-reader.ts)
 *       report its status to the API server if it changed (api-pod-status.ts, with the
 *         readiness and startup probes' verdicts)
 *       decide what to change: computePodActions (pod-actions.ts, the exercise's question)
 *       do it: SyncPod (pod-syncer.ts), a container that ran before restarting as
 *         probes-and-restarts says (the restart policy, the back-off: CrashLoopBackOff)
 *   and syncs it again after a minute, or 10-15 s after a sync that could not finish
 *   (a container in back-off, a failed pull), or when a probe's verdict changed
 *
 * The probe manager (prober-manager.ts) probes each container's liveness, readiness and
 * startup as its spec asks, with verdicts from probes-and-restarts; a failed liveness or
 * startup probe has the container killed and restarted, readiness makes the container (and
 * the pod) ready or not.
 *
 * A pod the API server marks for deletion is stopped: every container gets SIGTERM and its
 * grace period, then the sandbox goes, then the kubelet reports the final status and deletes
 * the pod for good (grace period 0), which removes it from etcd.
 *
 * Static pods come from the manifests it is given (static-pods.ts): run without the API
 * server, shown there as mirror pods that carry their status.
 *
 * Garbage collection: every minute, the containers and sandboxes no longer needed
 * (container-gc.ts); every 5 minutes, if the image filesystem is 85% full, unused images
 * (image-gc-manager.ts; which ones is the `image-gc` exercise's question).
 *
 * Admission (pod-admission.ts): a pod new to the kubelet runs only if each admit handler
 * admits it; the first refusal rejects it for good (Failed, with the handler's reason). The
 * device manager (device-manager.ts) is one: it allocates the devices the device plugins
 * (gpu-device-plugin.ts) serve, reported in the node's status as extended resources
 * (nvidia.com/gpu), or rejects the pod (UnexpectedAdmissionError).
 *
 * A container starts with its devices' and its own environment and mounts (container-inputs.ts),
 * its volumes mounted first (volumes/volume-manager.ts: emptyDir, configMap, secret, a claim's
 * PV through hostPath or CSI; FailedMount until they can be). Its server (kubelet-server.ts)
 * answers `kubectl logs`, `kubectl exec` and GET /stats/summary (stats-summary.ts).
 *
 * Node-pressure eviction (eviction-manager.ts): every 10 s, under a hard threshold (memory.available
 * < 100Mi, nodefs.available < 10%, imagefs.available < 15%), the first ranked pod is stopped and
 * left Failed, reason Evicted; MemoryPressure and DiskPressure go on the node's status, and
 * admission refuses pods while they hold.
 *
 * Under a disk threshold it frees what it can first (dead containers, unused images) and evicts
 * by disk use only if that is not enough. What the workers know of each pod's life (active,
 * finished, removable) is pod-states.ts.
 *
 * Not yet: volume attach/detach, subPath's frozen files.
 */
/** syncFrequency: a pod is synced at least this often. */
export const SYNC_FREQUENCY_MS = 60_000;
/** The pod worker's back-off after a sync error, with jitter 0.5 (10 to 15 s). */
const WORKER_BACKOFF_MS = 10_000;

/** The exercise code a kubelet runs, from the composition root (cluster/cluster.ts). */
export interface KubeletCode {
  /** The pod sync decision (exercise pod-actions). */
  computePodActions: ComputePodActions;
  /** Probe verdicts and restarts (exercise probes-and-restarts). */
  probesAndRestarts: ProbesAndRestarts;
  /** The image manager's back-off: the reference's probes-and-restarts, whichever code the rest runs. */
  imageBackoff: ProbesAndRestarts;
  /** Which unused images to delete when the image disk fills up (exercise image-gc). */
  imageGC: ImageGCFn;
  /** host-local's address decision, for the node's CNI plugin (exercise host-local-ipam). */
  hostLocalIpam: HostLocalAllocateFn;
  /** The C library's resolver search in the node's containers (exercise dns-search). */
  dnsSearch: DnsSearchFn;
}

interface Worker extends StatusWrites {
  key: string;
  syncing: boolean;
  /** Another sync was asked for while one ran. */
  again: boolean;
  timer?: ReturnType<Simulation['after']>;
  lastSync?: SyncResult;
  /** The status last made, and the runtime's view it was made from: what the probe workers read. */
  status?: PodStatus;
  view?: PodRuntimeView;
  terminating?: boolean;
  /** Set once the eviction manager evicts the pod; `done` hears when it is stopped. */
  evicted?: { message: string; stopped: boolean; done: () => void };
  /** Admission's verdict once the pod was admitted (undefined) or rejected; unset before. */
  admission?: { rejected?: Extract<PodAdmitResult, { admit: false }> };
}

export class Kubelet implements KubeletEndpoint {
  readonly component: string;
  /** The runtime's name in the trace. */
  readonly runtime: string;
  readonly containerd: Containerd;
  readonly pods: Informer<Pod>;
  readonly agent: NodeAgent;
  /** The device plugins registered on this node and the devices they serve. */
  readonly devices: DeviceManager;
  /** The node's filesystem (volumes' files), shared by the runtime and the CSI driver. */
  readonly hostFs = new HostFs();
  /** The CSI hostpath driver's plugin on this node (runtime/csi-hostpath-driver.ts). */
  readonly csiDriver: HostPathDriver;
  readonly volumes: VolumeManager;
  private readonly recorder: EventRecorder;
  private readonly syncer: PodSyncer;
  private readonly pleg: Pleg;
  private readonly prober: ProberManager;
  private readonly containerGC: ContainerGC;
  private readonly imageGC: ImageGCManager;
  private readonly imageCache: ImageCache;
  private readonly server: KubeletServer;
  private readonly statuses: StatusManager;
  private readonly terminator: PodTerminator;
  private readonly eviction: EvictionManager;
  /** Pod admission's handlers, in upstream's order (pod-admission.ts). */
  private readonly admitHandlers: readonly PodAdmitHandler[];
  private readonly workers = new Map<string, Worker>();
  private readonly states = new PodStates({ workers: this.workers, podByUid: (uid) => this.podByUid(uid), synced: () => this.pods.hasSynced() });
  private readonly rng;
  private stopped = false;
  /** When this node's kubelet started: the node's boot, as its stats report it. */
  private startedAtMs = 0;
  private readonly imageFsCapacity: number;
  /** The static pods from the manifests, by uid (the hash of the manifest, as the kubelet computes it). */
  private readonly staticPods = new Map<string, Pod>();

  constructor(
    private readonly sim: Simulation,
    client: Client,
    readonly node: NodeConfig,
    private readonly code: KubeletCode,
    /** Manifests in this node's static pod folder (/etc/kubernetes/manifests). */
    private readonly manifests: readonly Pod[] = [],
  ) {
    this.component = client.component;
    this.runtime = `containerd/${node.name}`;
    this.recorder = new EventRecorder(sim, client, { component: 'kubelet', host: node.name });
    this.devices = new DeviceManager((resource, healthy, total) =>
      sim.trace.action(sim.now(), this.component, `device plugin ${resource}: ${healthy} of ${total} devices healthy`));
    this.agent = new NodeAgent(sim, client, node, this.recorder, () => this.devices.capacity(), () => ({
      memory: this.eviction.underPressure('MemoryPressure'), disk: this.eviction.underPressure('DiskPressure'),
    }), () => this.imageCache.images());
    const network = node.network;
    const http = httpFrom(network.net, network.host);
    this.containerd = new Containerd(sim, { node: node.name, hostFs: this.hostFs, ipamAllocate: code.hostLocalIpam, network, dnsSearch: code.dnsSearch });
    this.imageCache = new ImageCache(sim, this.containerd);
    this.csiDriver = new HostPathDriver(sim, node.name, this.hostFs);
    this.volumes = new VolumeManager({
      sim, client, recorder: this.recorder, hostFs: this.hostFs, component: this.component, node: node.name, drivers: new Map([[this.csiDriver.name, this.csiDriver]]),
    });
    this.syncer = new PodSyncer({
      sim, runtime: this.containerd, component: this.component, runtimeName: this.runtime, recorder: this.recorder,
      probesAndRestarts: code.probesAndRestarts, imageBackoff: code.imageBackoff,
      containerInputs: (pod, c) => containerInputs(pod, c, { volumes: this.volumes, devices: this.devices }),
      hooks: new LifecycleHooks({ sim, runtime: this.containerd, http, rng: sim.rng(`${this.component}/lifecycle-hooks`) }),
    });
    this.rng = sim.rng(`${this.component}/pod-workers`);
    this.pods = new Informer<Pod>(sim, client, { resource: 'pods', fieldSelector: `spec.nodeName=${node.name}` });
    // A mirror pod's changes concern its static pod; it is never run itself.
    const uidOf = (pod: Readonly<Pod>) => mirroredUid(pod) ?? pod.metadata.uid!;
    this.pods.addEventHandler({
      onAdd: (pod) => this.wake(uidOf(pod)),
      // A status-only change (mostly its own writes coming back) syncs nothing, as upstream (pod-update.ts).
      onUpdate: (old, pod) => {
        if (differsSemantically(old, pod)) this.wake(uidOf(pod));
      },
      onDelete: (pod) => this.wake(uidOf(pod)),
    });
    this.pleg = new Pleg(sim, this.containerd, (uid) => this.wake(uid));
    this.prober = new ProberManager({
      sim, runtime: this.containerd, http, recorder: this.recorder, rng: sim.rng(`${this.component}/prober`), component: this.component,
      probesAndRestarts: code.probesAndRestarts,
      wake: (uid) => this.wake(uid),
      lookup: (uid) => {
        const w = this.workers.get(uid);
        const pod = this.podByUid(uid);
        return w?.status !== undefined && w.view !== undefined && pod !== undefined ? { pod, status: w.status, view: w.view } : undefined;
      },
    });
    const gc = { sim, runtime: this.containerd, component: this.component, runtimeName: this.runtime };
    this.containerGC = new ContainerGC(Object.assign({}, gc, {
      podGone: (uid: string) => this.states.contentRemovable(uid),
      podTerminated: (uid: string) => this.states.runtimeRemovable(uid),
      removeLog: (path: string) => this.containerd.removeLog(path),
    }));
    this.imageFsCapacity = node.imageFsBytes ?? DEFAULT_IMAGE_FS_BYTES;
    this.imageGC = new ImageGCManager(Object.assign({}, gc, { recorder: this.recorder, node: node.name, capacityBytes: this.imageFsCapacity, decide: code.imageGC }));
    this.eviction = new EvictionManager({
      sim, component: this.component, node: node.name, recorder: this.recorder, summary: (done) => this.server.statsSummary(done),
      activePods: () => [...this.states.active()].map((uid) => this.podByUid(uid)!), isStatic: (uid) => this.staticPods.has(uid),
      evict: (pod, message, done) => {
        const w = this.workers.get(pod.metadata.uid!);
        if (w === undefined) return done();
        w.evicted = { message, stopped: false, done };
        this.wake(pod.metadata.uid!);
      },
      reclaimNodeLevel: (done) => this.containerGC.deleteAllUnused(() => this.imageGC.deleteUnused(done)),
    });
    this.admitHandlers = [this.eviction, this.devices];
    this.terminator = new PodTerminator({ sim, client, component: this.component, containerd: this.containerd, syncer: this.syncer, volumes: this.volumes, prober: this.prober });
    this.statuses = new StatusManager({ sim, client, component: this.component, node: node.name, pods: this.pods, agent: this.agent, isStatic: (uid) => this.staticPods.has(uid) });
    this.server = new KubeletServer({
      sim, node: node.name, containerd: this.containerd, pods: this.pods.lister, imageFsCapacity: this.imageFsCapacity, hostFs: this.hostFs,
      volumeUsage: (uid) => this.volumes.volumeUsage(uid),
      workerOf: (pod) => this.workers.get(mirroredUid(pod) ?? pod.metadata.uid!),
      podStartTimes: () => {
        const times = new Map<string, string>();
        for (const [uid, w] of this.workers) if (w.status?.startTime !== undefined) times.set(uid, w.status.startTime);
        return times;
      },
      startedAtMs: () => this.startedAtMs,
    });
  }

  get hostIP(): string {
    return this.agent.hostIP;
  }

  isRegistered(): boolean {
    return this.agent.isRegistered() && this.pods.hasSynced();
  }

  start(): void {
    this.startedAtMs = this.sim.now();
    this.prober.start();
    // StartGarbageCollection: both loops run from the kubelet's start, registered or not.
    this.containerGC.start();
    this.imageGC.start();
    this.imageCache.start();
    this.eviction.start();
    // Static pods run without the API server: their workers start at once.
    for (const manifest of this.manifests) {
      const pod = staticPod(manifest, this.node.name, this.sim.now());
      this.staticPods.set(pod.metadata.uid!, pod);
      this.wake(pod.metadata.uid!);
    }
    this.agent.start(() => {
      this.pods.start();
      this.pleg.start();
    });
  }

  /** GET /stats/summary, for the API server (nodes/proxy) and metrics-server (kubelet-server.ts). */
  statsSummary(done: (summary: Summary) => void): void {
    this.server.statsSummary(done);
  }

  /** The kubelet's process ends: no more syncs, heartbeats or status. The runtime and its containers go on. */
  stop(): void {
    this.stopped = true;
    this.agent.stop();
    this.pods.stop();
    this.pleg.stop();
    this.prober.stop();
    this.containerGC.stop();
    this.imageGC.stop();
    this.imageCache.stop();
    this.eviction.stop();
    this.volumes.stop();
    for (const w of this.workers.values()) if (w.timer !== undefined) this.sim.cancel(w.timer);
  }

  /** `kubectl logs` through the API server (kubelet-server.ts). */
  containerLogs(namespace: string, podName: string, container: string | undefined, options: { previous?: boolean } = {}): string | StatusError {
    return this.server.containerLogs(namespace, podName, container, options);
  }

  /** `kubectl exec` through the API server (kubelet-server.ts). */
  exec(namespace: string, podName: string, container: string | undefined, command: readonly string[], done: (result: ExecResult | StatusError) => void): void {
    this.server.exec(namespace, podName, container, command, done);
  }

  /** `kubectl port-forward` through the API server (kubelet-server.ts). */
  portForward(namespace: string, podName: string, port: number, done: (result: PortForwardResult | StatusError) => void): void {
    this.server.portForward(namespace, podName, port, done);
  }

  /** Something about this pod changed: sync it now, or right after the sync under way. */
  private wake(uid: string): void {
    if (this.stopped) return;
    const w = this.workers.get(uid) ?? this.newWorker(uid);
    if (w.syncing) {
      w.again = true;
      return;
    }
    if (w.timer !== undefined) this.sim.cancel(w.timer);
    w.timer = this.sim.after(0, () => this.sync(uid));
  }

  private newWorker(uid: string): Worker {
    const w: Worker = { key: '', syncing: false, again: false };
    this.workers.set(uid, w);
    return w;
  }

  private podByUid(uid: string): Readonly<Pod> | undefined {
    const fromFile = this.staticPods.get(uid);
    if (fromFile !== undefined) return fromFile;
    const w = this.workers.get(uid);
    const cached = w?.key ? this.pods.lister.get(w.key) : undefined;
    if (cached?.metadata.uid === uid) return cached;
    return this.pods.lister.list().find((p) => p.metadata.uid === uid);
  }

  /** One sync of one pod: read, report, decide, act; then the next sync is scheduled. */
  private sync(uid: string): void {
    const w = this.workers.get(uid)!;
    w.timer = undefined;
    w.syncing = true;
    const finish = this.finisher(uid, w);
    const pod = this.podByUid(uid);
    readPodStatus(this.containerd, uid, (view) => {
      if (pod === undefined) {
        this.workers.delete(uid);
        return this.terminator.removeOrphan(uid, view, () => finish(undefined));
      }
      w.key = objectKey(pod);
      if (pod.metadata.deletionTimestamp !== undefined) return this.terminate(pod, w, view, () => finish(undefined));
      if (w.evicted !== undefined) return this.stopEvicted(pod, w, view, () => finish(undefined));
      if (this.states.finished(pod, w, view)) {
        this.report(pod, w, view, true);
        return finish(undefined);
      }
      if (!this.admit(pod, w)) {
        this.report(pod, w, view, true);
        return finish(undefined);
      }
      this.prober.addPod(pod);
      if (this.staticPods.has(uid)) this.statuses.reconcileMirror(pod, w);
      this.report(pod, w, view, false);
      // WaitForAttachAndMount: no container starts before the pod's volumes are mounted.
      this.volumes.mountPod(pod, (unmounted) => (unmounted !== undefined ? finish(unmounted) : this.syncPod(pod, w, view, finish)));
    });
  }

  /**
   * What ends a sync: the next one, right away if the pod changed meanwhile, else after the
   * resync period (sooner, with jitter, after an error). Made here rather than inside sync():
   * the timer it leaves would otherwise hold the pod as that sync saw it until the next one.
   */
  private finisher(uid: string, w: Worker): (error: string | undefined) => void {
    return (error) => {
      w.syncing = false;
      if (this.stopped) return;
      if (w.again) {
        w.again = false;
        return this.wake(uid);
      }
      if (!this.workers.has(uid)) return;
      const delay = error === undefined ? SYNC_FREQUENCY_MS : WORKER_BACKOFF_MS + Math.floor(this.rng.next() * 0.5 * WORKER_BACKOFF_MS);
      w.timer = this.sim.after(delay, () => this.sync(uid));
    };
  }

  /** The sync's second half, once the pod's volumes are mounted: decide, act. */
  private syncPod(pod: Readonly<Pod>, w: Worker, view: PodRuntimeView, finish: (error: string | undefined) => void): void {
    let actions;
    try {
      const hashes = Object.fromEntries([...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => [c.name, containerHash(c)]));
      actions = this.code.computePodActions({ pod, status: view.decision, hashes, liveness: this.prober.liveness.verdicts(), startup: this.prober.startup.verdicts() });
    } catch (err) {
      this.sim.trace.error(this.sim.now(), this.component, `computePodActions for ${w.key} failed: ${(err as Error).message}`, { key: w.key });
      return finish((err as Error).message);
    }
    this.syncer.sync(pod, view, actions, (result) => {
      w.lastSync = result;
      finish(result.error);
    });
  }

  /**
   * canAdmitPod, once per pod: the admit handlers in order (pod-admission.ts). A pod one
   * rejects is Failed (its reason, with a Warning event) and never runs.
   */
  private admit(pod: Readonly<Pod>, w: Worker): boolean {
    if (w.admission === undefined) {
      const result = canAdmitPod(this.admitHandlers, { pod, activePods: this.states.active() });
      // ('reason' in: the narrowing tslab's non-strict compiler follows too.)
      const rejected = 'reason' in result ? result : undefined;
      w.admission = { rejected };
      if (rejected !== undefined) {
        this.recorder.event(pod, 'Warning', rejected.reason, rejected.message);
        this.sim.trace.action(this.sim.now(), this.component, `pod ${w.key} rejected: ${rejected.reason}`, { key: w.key });
      }
    }
    return w.admission.rejected === undefined;
  }

  /** A pod the API server deleted: stopped with its grace period, its final status reported, then deleted for good (pod-termination.ts). */
  private terminate(pod: Readonly<Pod>, w: Worker, view: PodRuntimeView, done: () => void): void {
    if (w.terminating) return done();
    w.terminating = true;
    this.terminator.stop(pod, w.key, view, pod.metadata.deletionGracePeriodSeconds ?? undefined, (after) => {
      this.report(pod, w, after, true);
      this.terminator.deleteForGood(pod, w.key, () => {
        w.terminating = false;
        done();
      });
    });
  }

  /** An evicted pod: stopped once with a hard eviction's grace period, then only its final status is reported. */
  private stopEvicted(pod: Readonly<Pod>, w: Worker, view: PodRuntimeView, done: () => void): void {
    const evicted = w.evicted!;
    if (evicted.stopped) {
      this.report(pod, w, view, true);
      return done();
    }
    this.terminator.stop(pod, w.key, view, HARD_EVICTION_GRACE_SECONDS, (after) => {
      evicted.stopped = true;
      this.report(pod, w, after, true);
      evicted.done();
      done();
    });
  }

  /** The pod's status as the kubelet sees it now, for the probe workers and the status manager (status-manager.ts). */
  private report(pod: Readonly<Pod>, w: Worker, view: PodRuntimeView, terminal: boolean): void {
    const probes = { readiness: this.prober.readiness.verdicts(), startup: this.prober.startup.verdicts() };
    const rejected = w.admission?.rejected;
    let status = rejected !== undefined
      ? rejectedPodStatus(pod, rejected.reason, rejected.message, this.sim.now())
      : apiPodStatus({ pod, view, sync: w.lastSync, hostIP: this.hostIP, nowMs: this.sim.now(), terminal, probes });
    if (w.evicted !== undefined) status = evictedPodStatus(status, w.evicted.message, pod.status?.conditions, this.sim.now());
    w.status = status;
    w.view = view;
    if (!terminal) this.prober.triggerReadiness(pod, status);
    this.statuses.send(pod, w.key, status, w);
  }
}
