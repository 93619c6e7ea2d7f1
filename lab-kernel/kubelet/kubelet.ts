import { jsonEqual } from '../api/json-equal';
import { objectKey } from '../api/resources';
import { badRequest, notFound, type Status, type StatusError } from '../api/status';
import type { Summary } from '../api/stats-summary';
import type { Container, Pod, PodStatus } from '../api/types';
import type { ExecResult } from '../api/request';
import type { KubeletEndpoint } from '../apiserver/context';
import type { Client } from '../client/client';
import { EventRecorder } from '../client/event-recorder';
import { Informer } from '../client/informer';
import { Containerd } from '../runtime/containerd';
import { HostPathDriver } from '../runtime/csi-hostpath-driver';
import { HostFs } from '../runtime/host-fs';
import type { Simulation } from '../sim/simulation';
import { apiPodStatus, rejectedPodStatus } from './api-pod-status';
import { ContainerGC } from './container-gc';
import { execInContainer } from './container-exec';
import { containerEnv } from './container-env';
import { containerLogPath } from './container-log-path';
import { containerHash } from './cri-labels';
import { DeviceManager, type AdmitResult } from './device-manager';
import type { ImageGCFn } from './image-gc-contract';
import { DEFAULT_IMAGE_FS_BYTES, ImageGCManager } from './image-gc-manager';
import { NODE_CAPACITY, NodeAgent, type NodeConfig } from './node-agent';
import type { ComputePodActions } from './pod-actions-contract';
import { readPodStatus, type PodRuntimeView } from './pod-status-reader';
import { PodSyncer, type ContainerInputs, type SyncResult } from './pod-syncer';
import { Pleg } from './pleg';
import { mirroredUid, mirrorPodOf, staticPod } from './static-pods';
import { ProberManager } from './prober-manager';
import { capacityBytes, summarize } from './stats-summary';
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
 * Garbage collection: every minute the containers and sandboxes the node no longer needs are
 * removed (container-gc.ts: of a container, the newest instance that exited is kept); every 5
 * minutes, if the image filesystem is 85% full, unused images go, least recently used first
 * (image-gc-manager.ts; which ones is the `image-gc` exercise's question).
 *
 * Devices: device plugins (a GPU's, gpu-device-plugin.ts) register with the device manager
 * (device-manager.ts), whose devices the node status reports as extended resources
 * (nvidia.com/gpu: capacity every device, allocatable the healthy ones). A new pod is admitted
 * only if its containers' devices can be allocated; if not it is rejected, Failed with reason
 * UnexpectedAdmissionError, and never runs. A container is created with what the plugin's
 * Allocate answered (NVIDIA_VISIBLE_DEVICES), the same devices at every restart.
 *
 * Stats: GET /stats/summary answers the node's and its pods' CPU and memory as the runtime
 * reports them (stats-summary.ts), for `kubectl get --raw` through the API server and for
 * metrics-server.
 *
 * Volumes (volumes/volume-manager.ts): before a pod's containers start, its volumes are mounted
 * on the node's filesystem — emptyDir, configMap, secret, a claim's PV (hostPath, or CSI through
 * the node's driver hostpath.csi.k8s.io: NodeStageVolume, NodePublishVolume) — and the containers
 * mount them; a pod whose volumes cannot be mounted stays ContainerCreating (FailedMount). Once
 * the pod is gone they are unmounted (NodeUnpublishVolume, NodeUnstageVolume). A ConfigMap or
 * Secret volume is set up again at each sync, so its files follow the object within a sync
 * period; env vars from them (container-env.ts) are read once, when the container is created.
 *
 * Not yet: eviction, volume attach/detach, subPath's frozen files.
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
}

interface Worker {
  key: string;
  syncing: boolean;
  /** Another sync was asked for while one ran. */
  again: boolean;
  timer?: ReturnType<Simulation['after']>;
  lastSync?: SyncResult;
  /** The status last sent to the API server. */
  reported?: PodStatus;
  /** The status last made, and the runtime's view it was made from: what the probe workers read. */
  status?: PodStatus;
  view?: PodRuntimeView;
  terminating?: boolean;
  /** Admission's verdict once the pod was admitted (undefined) or rejected; unset before. */
  admission?: { rejected?: AdmitResult };
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
  private readonly workers = new Map<string, Worker>();
  private readonly rng;
  private stopped = false;
  /** When this node's kubelet started: the node's boot, as its stats report it. */
  private startedAtMs = 0;
  private readonly imageFsCapacity: number;
  /** The static pods from the manifests, by uid (the hash of the manifest, as the kubelet computes it). */
  private readonly staticPods = new Map<string, Pod>();
  /** Static pods whose mirror pod has been asked for. */
  private readonly mirrorsAsked = new Set<string>();

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
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
    this.agent = new NodeAgent(sim, client, node, this.recorder, () => this.devices.capacity());
    this.containerd = new Containerd(sim, { node: node.name, podCIDR: this.agent.podCIDR, hostFs: this.hostFs });
    this.csiDriver = new HostPathDriver(sim, node.name, this.hostFs);
    this.volumes = new VolumeManager({
      sim, client, recorder: this.recorder, hostFs: this.hostFs, component: this.component, node: node.name, drivers: new Map([[this.csiDriver.name, this.csiDriver]]),
    });
    this.syncer = new PodSyncer({
      sim, runtime: this.containerd, component: this.component, runtimeName: this.runtime, recorder: this.recorder,
      probesAndRestarts: code.probesAndRestarts, imageBackoff: code.imageBackoff,
      containerInputs: (pod, c) => this.containerInputs(pod, c),
    });
    this.rng = sim.rng(`${this.component}/pod-workers`);
    this.pods = new Informer<Pod>(sim, client, { resource: 'pods', fieldSelector: `spec.nodeName=${node.name}` });
    // A mirror pod's changes concern its static pod; it is never run itself.
    const uidOf = (pod: Readonly<Pod>) => mirroredUid(pod) ?? pod.metadata.uid!;
    this.pods.addEventHandler({
      onAdd: (pod) => this.wake(uidOf(pod)),
      onUpdate: (_old, pod) => this.wake(uidOf(pod)),
      onDelete: (pod) => this.wake(uidOf(pod)),
    });
    this.pleg = new Pleg(sim, this.containerd, (uid) => this.wake(uid));
    this.prober = new ProberManager({
      sim, runtime: this.containerd, recorder: this.recorder, rng: sim.rng(`${this.component}/prober`), component: this.component,
      probesAndRestarts: code.probesAndRestarts,
      wake: (uid) => this.wake(uid),
      lookup: (uid) => {
        const w = this.workers.get(uid);
        const pod = this.podByUid(uid);
        return w?.status !== undefined && w.view !== undefined && pod !== undefined ? { pod, status: w.status, view: w.view } : undefined;
      },
    });
    const gc = { sim, runtime: this.containerd, component: this.component, runtimeName: this.runtime };
    this.containerGC = new ContainerGC({ ...gc, podGone: (uid) => this.podGone(uid), removeLog: (path) => this.containerd.removeLog(path) });
    this.imageFsCapacity = node.imageFsBytes ?? DEFAULT_IMAGE_FS_BYTES;
    this.imageGC = new ImageGCManager({ ...gc, recorder: this.recorder, node: node.name, capacityBytes: this.imageFsCapacity, decide: code.imageGC });
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

  /**
   * Served to the API server (nodes/proxy) and to metrics-server: GET /stats/summary, the
   * node's and its pods' usage as the runtime reports it now (stats-summary.ts).
   */
  statsSummary(done: (summary: Summary) => void): void {
    this.containerd.listPodSandboxStats({}, (err, res) => {
      this.containerd.imageFsInfo({}, (err2, fs) => {
        const podStartTimes = new Map<string, string>();
        for (const [uid, w] of this.workers) if (w.status?.startTime !== undefined) podStartTimes.set(uid, w.status.startTime);
        done(summarize({
          nodeName: this.node.name,
          nodeStartMs: this.startedAtMs,
          nowMs: this.sim.now(),
          memoryCapacityBytes: capacityBytes(NODE_CAPACITY.memory),
          sandboxes: err === undefined ? res!.stats : [],
          podStartTimes,
          removedCpuCoreNanoSeconds: this.containerd.removedCpuCoreNanoSeconds(),
          imageFs: { capacityBytes: this.imageFsCapacity, usedBytes: err2 === undefined ? fs!.imageFilesystems.reduce((sum, f) => sum + f.usedBytes, 0) : 0 },
        }));
      });
    });
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
    this.volumes.stop();
    for (const w of this.workers.values()) if (w.timer !== undefined) this.sim.cancel(w.timer);
  }

  /**
   * Served to the API server for `kubectl logs`: the log file of the container's current
   * instance (container-log-path.ts), or with `previous` of the one that exited before it.
   */
  containerLogs(namespace: string, podName: string, container: string | undefined, options: { previous?: boolean } = {}): string | StatusError {
    const pod = this.pods.lister.get(`${namespace}/${podName}`);
    if (pod === undefined) return notFound({ group: '', resource: 'pods', name: podName });
    const w = this.workers.get(mirroredUid(pod) ?? pod.metadata.uid!);
    const found = containerLogPath(podName, w?.status ?? pod.status, w?.view, container ?? pod.spec.containers[0].name, options.previous === true);
    if ('error' in found) return badRequest(found.error);
    const lines = this.containerd.readLog(found.path) ?? [];
    return lines.map((l) => l.split(' ').slice(3).join(' ')).join('\n');
  }

  /** Served to the API server for `kubectl exec`: the command run in the container's running instance (container-exec.ts). */
  exec(namespace: string, podName: string, container: string | undefined, command: readonly string[], done: (result: ExecResult | StatusError) => void): void {
    const pod = this.pods.lister.get(`${namespace}/${podName}`);
    if (pod === undefined) return done(notFound({ group: '', resource: 'pods', name: podName }));
    const w = this.workers.get(mirroredUid(pod) ?? pod.metadata.uid!);
    execInContainer(this.containerd, w?.view?.decision, container ?? pod.spec.containers[0].name, command, done);
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
    const finish = (error: string | undefined) => {
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
    const pod = this.podByUid(uid);
    readPodStatus(this.containerd, uid, (view) => {
      if (pod === undefined) return this.removeOrphan(uid, view, () => finish(undefined));
      w.key = objectKey(pod);
      if (pod.metadata.deletionTimestamp !== undefined) return this.terminate(pod, w, view, () => finish(undefined));
      if (!this.admit(pod, w)) {
        this.report(pod, w, view, true);
        return finish(undefined);
      }
      this.prober.addPod(pod);
      this.report(pod, w, view, false);
      // WaitForAttachAndMount: no container starts before the pod's volumes are mounted.
      this.volumes.mountPod(pod, (unmounted) => (unmounted !== undefined ? finish(unmounted) : this.syncPod(pod, w, view, finish)));
    });
  }

  /**
   * What a container starts with besides its spec (GenerateRunContainerOptions): the device
   * plugins' envs and mounts first, then its own environment and its volumes' mounts.
   */
  private containerInputs(pod: Readonly<Pod>, c: Readonly<Container>): ContainerInputs | { error: string } {
    const env = containerEnv(pod, c, this.volumes.objects);
    if ('error' in env) return env;
    const devices = this.devices.runContainerOptions(pod.metadata.uid!, c.name);
    const deviceEnvs = Object.entries(devices.envs).map(([key, value]) => ({ key, value }));
    const deviceMounts = devices.mounts.map((m) => ({ containerPath: m.containerPath, hostPath: m.hostPath, ...(m.readOnly ? { readonly: true } : {}) }));
    return { envs: [...deviceEnvs, ...env.envs], mounts: [...deviceMounts, ...this.volumes.containerMounts(pod, c)], annotations: devices.annotations };
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
   * canAdmitPod, once per pod: the device manager allocates its containers' devices. A pod it
   * rejects is Failed (UnexpectedAdmissionError, with a Warning event) and never runs.
   */
  private admit(pod: Readonly<Pod>, w: Worker): boolean {
    if (w.admission === undefined) {
      const rejected = this.devices.admit(pod, this.activePods());
      w.admission = { rejected };
      if (rejected !== undefined) {
        this.recorder.event(pod, 'Warning', rejected.reason, rejected.message);
        this.sim.trace.action(this.sim.now(), this.component, `pod ${w.key} rejected: ${rejected.reason}`, { key: w.key });
      }
    }
    return w.admission.rejected === undefined;
  }

  /**
   * The uids of the pods still active on this node (filterOutInactivePods): known, admitted
   * and not finished. Devices held by any other pod are free again.
   */
  private activePods(): Set<string> {
    const active = new Set<string>();
    for (const [uid, w] of this.workers) {
      const finished = w.status?.phase === 'Succeeded' || w.status?.phase === 'Failed';
      if (w.admission?.rejected === undefined && !finished && this.podByUid(uid) !== undefined) active.add(uid);
    }
    return active;
  }

  /**
   * Graceful termination: stop the containers (SIGTERM, SIGKILL when the grace period runs
   * out) and the sandbox, report the final status, then delete the pod for good.
   */
  private terminate(pod: Readonly<Pod>, w: Worker, view: PodRuntimeView, done: () => void): void {
    if (w.terminating) return done();
    w.terminating = true;
    this.prober.stopLivenessAndStartup(pod.metadata.uid!);
    this.sim.trace.action(this.sim.now(), this.component, `pod ${w.key}: stopping its containers (grace period ${pod.metadata.deletionGracePeriodSeconds ?? 0} s)`, { key: w.key });
    this.syncer.killPod(pod, view, pod.metadata.deletionGracePeriodSeconds ?? undefined, () => this.volumes.unmountPod(pod.metadata.uid!, () => {
      readPodStatus(this.containerd, pod.metadata.uid!, (after) => {
        this.report(pod, w, after, true);
        const { namespace, name } = pod.metadata;
        this.client.request({ verb: 'delete', resource: 'pods', namespace, name, gracePeriodSeconds: 0 }, (res) => {
          if (res.code !== 200 && res.code !== 404) this.sim.trace.error(this.sim.now(), this.component, `delete ${w.key}: ${(res.body as Status).message}`);
          this.prober.removePod(pod.metadata.uid!);
          w.terminating = false;
          done();
        });
      });
    }));
  }

  /**
   * ShouldPodContentBeRemoved, for container GC: no pod with this uid, from the API server or a
   * manifest, and no worker still on it. Nothing is gone until the pods informer has synced.
   */
  private podGone(uid: string): boolean {
    return this.pods.hasSynced() && !this.workers.has(uid) && this.podByUid(uid) === undefined;
  }

  /** A pod the API server no longer has: whatever of it still runs is stopped and removed. */
  private removeOrphan(uid: string, view: PodRuntimeView, done: () => void): void {
    this.workers.delete(uid);
    this.prober.removePod(uid);
    const running = view.decision.containers.some((c) => c.state === 'running') || view.decision.sandboxes.some((s) => s.ready);
    if (!running) return this.volumes.unmountPod(uid, done);
    const stub = { apiVersion: 'v1', kind: 'Pod', metadata: { uid, name: view.decision.sandboxes[0]?.id ?? uid, namespace: '' }, spec: { containers: [] } } as Pod;
    this.syncer.killPod(stub, view, 0, () => this.volumes.unmountPod(uid, done));
  }

  /** The status manager: the pod's status to the API server, when it changed. */
  private report(pod: Readonly<Pod>, w: Worker, view: PodRuntimeView, terminal: boolean): void {
    const probes = { readiness: this.prober.readiness.verdicts(), startup: this.prober.startup.verdicts() };
    const rejected = w.admission?.rejected;
    const status = rejected !== undefined
      ? rejectedPodStatus(pod, rejected.reason, rejected.message, this.sim.now())
      : apiPodStatus({ pod, view, sync: w.lastSync, hostIP: this.hostIP, nowMs: this.sim.now(), terminal, probes });
    w.status = status;
    w.view = view;
    if (!terminal) this.prober.triggerReadiness(pod, status);
    if (w.reported !== undefined && jsonEqual(w.reported, status)) return;
    if (w.reported === undefined && jsonEqual(pod.status ?? {}, status)) return;
    w.reported = status;
    if (status.phase === 'Running' && pod.status?.phase !== 'Running') {
      this.sim.trace.action(this.sim.now(), this.component, `pod ${w.key} is Running (${status.podIP ?? ''})`, { key: w.key });
    }
    // A static pod's status goes on its mirror pod, once the API server has one.
    const target = this.staticPods.has(pod.metadata.uid!) ? this.mirrorOf(pod) : pod;
    if (target === undefined) {
      w.reported = undefined;
      return;
    }
    const { namespace, name } = target.metadata;
    this.client.request({ verb: 'update', resource: 'pods', subresource: 'status', namespace, name, body: { ...target, status } }, (res) => {
      // A conflict or a lost answer: send it again at the next sync.
      if (res.code !== 200) w.reported = undefined;
    });
  }

  /**
   * The mirror pod of a static pod, as the API server holds it; if it has none yet (or a
   * stale one), the kubelet posts one once it is registered and knows its Node's uid.
   */
  private mirrorOf(pod: Readonly<Pod>): Readonly<Pod> | undefined {
    const mirror = this.pods.lister.get(objectKey(pod));
    if (mirror !== undefined && mirroredUid(mirror) === pod.metadata.uid) return mirror;
    const nodeUid = this.agent.nodeInformer.lister.get(this.node.name)?.metadata.uid;
    if (mirror === undefined && this.pods.hasSynced() && nodeUid !== undefined && !this.mirrorsAsked.has(pod.metadata.uid!)) {
      this.mirrorsAsked.add(pod.metadata.uid!);
      this.agent.postMirrorPod(mirrorPodOf(pod, nodeUid));
    }
    return undefined;
  }
}

