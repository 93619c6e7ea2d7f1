import { objectKey } from '../api/resources';
import { notFound, type Status, StatusError } from '../api/status';
import { goDuration, timestamp } from '../api/time';
import type { Condition, Pod } from '../api/types';
import type { KubeletEndpoint } from '../apiserver/context';
import type { Client } from '../client/client';
import { EventRecorder, referenceTo } from '../client/event-recorder';
import { Informer } from '../client/informer';
import { imageNotFound } from '../runtime/cri-error';
import { normalizeImage } from '../runtime/image-reference';
import { findImage } from '../runtime/image-registry';
import type { Simulation } from '../sim/simulation';
import { NodeAgent, type NodeConfig } from './node-agent';

/**
 * PLACEHOLDER kubelet — just enough to take a pod from scheduled to Running.
 *
 * What it already does the way a kubelet does: it registers its Node object, watches only
 * the pods bound to its node (fieldSelector spec.nodeName=<node>), drives its container
 * runtime with CRI calls (RunPodSandbox, PullImage, CreateContainer, StartContainer), and
 * reports the pod's status back through the API server. It also runs the static pods of its
 * manifest folder and posts their mirror pods, and serves container logs to the API server.
 *
 * It records the kubelet's Events with 1.32's reasons and messages: `Starting kubelet.` about
 * its Node, then for each container of a pod `Pulling image "nginx"`, `Successfully pulled
 * image "nginx" in 612ms (612ms including waiting). Image size: 52345678 bytes.` (or
 * `Container image "nginx" already present on machine`), `Created container: web` and
 * `Started container web`, each at the time that step finishes.
 *
 * Images come from the simulated registry (lab-kernel/runtime/image-registry.ts): a pull
 * reports the image's size, and an image the registry lacks fails with containerd's "not
 * found" and ErrImagePull, once (no ImagePullBackOff retries yet).
 *
 * Its node side is the real kubelet's: a heartbeat Lease in kube-node-lease every 10 s
 * (node-lease.ts), and the node's status sent when it changes or every 5 minutes
 * (node-status.ts). `stop()` ends the kubelet's process: heartbeats stop, and the node
 * lifecycle controller marks the node Unknown 50 s later.
 *
 * What it does not do yet: probes, restarts, graceful termination, volumes, real networking
 * (pod IPs come from a counter in the node's podCIDR). The kubelet chapter replaces this file.
 */
export class PlaceholderKubelet implements KubeletEndpoint {
  readonly component: string;
  readonly runtime: string;
  readonly pods: Informer<Pod>;
  /** Registration, the heartbeat Lease and the node status (node-agent.ts). */
  readonly agent: NodeAgent;
  private readonly started = new Map<string, { startedAt: number }>();
  private readonly pulledImages = new Set<string>();
  /** Pods being stopped after the API server marked them for deletion. */
  private readonly terminating = new Set<string>();
  private nextPodIp = 2;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    readonly node: NodeConfig,
    /** Manifests in this node's static pod folder (/etc/kubernetes/manifests). */
    private readonly staticPods: Pod[] = [],
  ) {
    this.component = client.component;
    this.runtime = `containerd/${node.name}`;
    this.recorder = new EventRecorder(sim, client, { component: 'kubelet', host: node.name });
    this.pods = new Informer<Pod>(sim, client, { resource: 'pods', fieldSelector: `spec.nodeName=${node.name}` });
    this.agent = new NodeAgent(sim, client, node, this.recorder);
    this.pods.addEventHandler({
      onAdd: (pod) => this.syncPod(pod),
      onUpdate: (_old, pod) => this.syncPod(pod),
      onDelete: (pod) => this.killPod(pod),
    });
  }

  get hostIP(): string {
    return this.agent.hostIP;
  }

  isRegistered(): boolean {
    return this.agent.isRegistered() && this.pods.hasSynced();
  }

  start(): void {
    this.agent.start(() => {
      this.pods.start();
      for (const manifest of this.staticPods) this.postMirrorPod(manifest);
    });
  }

  /**
   * The kubelet's process ends (a crash, `systemctl stop kubelet`, a machine gone): no more
   * heartbeats, status or pod syncs. What it started keeps running in the container runtime.
   */
  stop(): void {
    this.agent.stop();
    this.pods.stop();
  }

  /** Served to the API server for `kubectl logs`. */
  containerLogs(namespace: string, podName: string, container: string | undefined): string | StatusError {
    const pod = this.pods.lister.get(`${namespace}/${podName}`);
    const run = this.started.get(`${namespace}/${podName}`);
    if (pod === undefined || run === undefined) return notFound({ group: '', resource: 'pods', name: podName });
    const name = container ?? pod.spec.containers[0].name;
    const c = pod.spec.containers.find((x) => x.name === name);
    if (c === undefined) {
      return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', code: 400,
        message: `container ${name} is not valid for pod ${podName}` });
    }
    return [
      `${timestamp(run.startedAt)} container ${name} started from image ${c.image} on ${this.node.name} (simulated runtime)`,
      `${timestamp(run.startedAt)} listening on ${pod.status?.podIP ?? '?'}${c.ports?.[0] ? ':' + c.ports[0].containerPort : ''}`,
    ].join('\n');
  }

  /** A static pod runs from the manifest; its mirror pod makes it visible in the API. */
  private postMirrorPod(manifest: Pod): void {
    const mirror: Pod = structuredClone(manifest);
    mirror.metadata.name = `${manifest.metadata.name}-${this.node.name}`;
    mirror.metadata.annotations = { ...mirror.metadata.annotations, 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.mirror': 'static' };
    mirror.spec.nodeName = this.node.name;
    this.agent.postMirrorPod(mirror);
  }

  private syncPod(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    if (pod.metadata.deletionTimestamp !== undefined) return this.terminatePod(pod);
    if (this.started.has(key) || pod.status?.phase === 'Running') return;
    this.started.set(key, { startedAt: -1 });
    const rng = this.sim.rng(this.component);
    this.cri(`RunPodSandbox ${key}`);
    let at = rng.between(50, 150);
    for (const c of pod.spec.containers) {
      const container = referenceTo(pod, `spec.containers{${c.name}}`);
      const pullMs = c.imagePullPolicy === 'Always' || !this.pulledImages.has(c.image) ? rng.between(300, 900) : 0;
      const image = findImage(c.image);
      if (pullMs > 0 && image === undefined) {
        this.step(key, at, () => this.cri(`PullImage ${c.image} for ${key}`));
        this.step(key, at + pullMs, () => this.failPull(key, c.name, c.image));
        return;
      }
      if (pullMs > 0) {
        this.pulledImages.add(c.image);
        this.step(key, at, () => {
          this.cri(`PullImage ${c.image} for ${key}`);
          this.recorder.event(container, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
        });
        const took = goDuration(pullMs);
        this.step(key, at + pullMs, () =>
          this.recorder.event(container, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${image!.sizeBytes} bytes.`),
        );
      } else {
        this.step(key, at, () => this.recorder.event(container, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`));
      }
      at += pullMs;
      this.step(key, at, () => {
        this.cri(`CreateContainer ${key}/${c.name}`);
        this.recorder.event(container, 'Normal', 'Created', `Created container: ${c.name}`);
      });
      at += rng.between(20, 80);
      this.step(key, at, () => {
        this.cri(`StartContainer ${key}/${c.name}`);
        this.recorder.event(container, 'Normal', 'Started', `Started container ${c.name}`);
      });
    }
    this.sim.after(at, () => this.reportRunning(key));
  }

  /** One step of starting a pod, `delayMs` from now, unless the pod has been killed meanwhile. */
  private step(key: string, delayMs: number, run: () => void): void {
    this.sim.after(delayMs, () => {
      if (this.started.has(key)) run();
    });
  }

  /**
   * The runtime has no such image (lab-kernel/runtime/image-registry.ts): the kubelet's first
   * failed pull, with containerd's message, the events `Failed to pull image ...` and
   * `Error: ErrImagePull`, and the container waiting with reason ErrImagePull. The pod stays
   * Pending. (The real kubelet then retries with a back-off, ImagePullBackOff: not yet here.)
   */
  private failPull(key: string, container: string, reference: string): void {
    const pod = this.pods.lister.get(key);
    if (pod === undefined) return;
    let full = reference;
    try {
      full = normalizeImage(reference);
    } catch {
      // InvalidImageName: the real kubelet refuses it before asking the runtime; the lab reports it the same way for now.
    }
    const message = imageNotFound(full).message;
    const ref = referenceTo(pod, `spec.containers{${container}}`);
    this.recorder.event(ref, 'Warning', 'Failed', `Failed to pull image "${reference}": ${message}`);
    this.recorder.event(ref, 'Warning', 'Failed', 'Error: ErrImagePull');
    this.sim.trace.error(this.sim.now(), this.component, `pod ${key}: pulling ${reference} failed: ${full}: not found (ErrImagePull)`, { key });
    const status: Pod['status'] = {
      ...pod.status,
      phase: 'Pending',
      hostIP: this.hostIP,
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        ready: false,
        restartCount: 0,
        started: false,
        image: c.image,
        state: { waiting: c.name === container ? { reason: 'ErrImagePull', message } : { reason: 'ContainerCreating' } },
      })),
    };
    this.client.request({ verb: 'update', resource: 'pods', subresource: 'status', namespace: pod.metadata.namespace, name: pod.metadata.name, body: { ...pod, status } }, (res) => {
      if (res.code !== 200) this.sim.trace.error(this.sim.now(), this.component, `status of ${key}: ${(res.body as Status).message}`);
    });
  }

  private reportRunning(key: string): void {
    const pod = this.pods.lister.get(key);
    const run = this.started.get(key);
    if (pod === undefined || run === undefined) return;
    run.startedAt = this.sim.now();
    const now = timestamp(this.sim.now());
    const podIP = pod.spec.hostNetwork ? this.hostIP : `10.244.${this.node.index}.${this.nextPodIp++}`;
    const ready = (type: string): Condition => ({ type, status: 'True', lastTransitionTime: now });
    const status: Pod['status'] = {
      phase: 'Running',
      conditions: [ready('Initialized'), ready('Ready'), ready('ContainersReady'), ready('PodScheduled')],
      hostIP: this.hostIP,
      podIP,
      startTime: now,
      containerStatuses: pod.spec.containers.map((c, i) => ({
        name: c.name,
        ready: true,
        restartCount: 0,
        started: true,
        image: c.image,
        containerID: `containerd://${key.replace(/\W/g, '')}${i}`,
        state: { running: { startedAt: now } },
      })),
    };
    this.sim.trace.action(this.sim.now(), this.component, `pod ${key} is Running (${podIP})`, { key });
    this.client.request({ verb: 'update', resource: 'pods', subresource: 'status', namespace: pod.metadata.namespace, name: pod.metadata.name, body: { ...pod, status } }, (res) => {
      if (res.code === 409) this.sim.after(100, () => this.reportRunning(key));
      else if (res.code !== 200) this.sim.trace.error(this.sim.now(), this.component, `status of ${key}: ${(res.body as Status).message}`);
    });
  }

  /**
   * Graceful termination: the API server has marked the pod (deletionTimestamp, a grace
   * period). The kubelet stops its containers — SIGTERM, and SIGKILL if the grace period
   * runs out; the lab's containers stop within half a second — then deletes the pod for good
   * with gracePeriodSeconds 0, which removes it from etcd.
   */
  private terminatePod(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    if (this.terminating.has(key)) return;
    this.terminating.add(key);
    for (const c of pod.spec.containers) {
      if (this.started.has(key)) this.recorder.event(referenceTo(pod, `spec.containers{${c.name}}`), 'Normal', 'Killing', `Stopping container ${c.name}`);
    }
    const stopMs = Math.min(this.sim.rng(this.component).between(100, 500), (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000);
    this.sim.after(stopMs, () => {
      this.killPod(pod);
      this.client.request({ verb: 'delete', resource: 'pods', namespace: pod.metadata.namespace, name: pod.metadata.name, gracePeriodSeconds: 0 }, (res) => {
        this.terminating.delete(key);
        if (res.code !== 200 && res.code !== 404) this.sim.trace.error(this.sim.now(), this.component, `delete ${key}: ${(res.body as Status).message}`);
      });
    });
  }

  private killPod(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    if (!this.started.delete(key)) return;
    for (const c of pod.spec.containers) this.cri(`StopContainer ${key}/${c.name}`);
    this.cri(`StopPodSandbox ${key}`);
    this.cri(`RemovePodSandbox ${key}`);
  }

  /** A call to the container runtime over CRI (a local socket: traced, no network delay). */
  private cri(call: string): void {
    const now = this.sim.now();
    this.sim.trace.message(now, this.component, this.runtime, now, 'request', call, { cri: call.split(' ')[0] });
  }
}
