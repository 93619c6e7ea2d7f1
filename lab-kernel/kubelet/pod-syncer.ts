import { objectKey } from '../api/resources';
import { goDuration } from '../api/time';
import type { Container, Pod } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import { referenceTo } from '../client/event-recorder';
import type { ContainerConfig, PodSandboxConfig } from '../runtime/cri';
import type { CriError } from '../runtime/cri-error';
import { linuxResources } from '../runtime/linux-resources';
import { podCgroupParent } from '../runtime/qos-class';
import type { Simulation } from '../sim/simulation';
import type { ContainerBackoff } from './container-backoff';
import { CONTAINER_HASH_ANNOTATION, CONTAINER_NAME_LABEL, containerHash, podLabels, RESTART_COUNT_ANNOTATION } from './cri-labels';
import { traceCri } from './cri-trace';
import { latestOf, type PodActions } from './pod-actions-contract';
import type { CriRuntime, PodRuntimeView } from './pod-status-reader';

/**
 * SyncPod: the kubelet doing what computePodActions decided, one CRI call after another
 * (kuberuntime_manager.go), and saying what it could not do:
 *
 *   1. kill the pod (every container, then the sandbox) or the containers to kill
 *   2. create the sandbox (RunPodSandbox: the pause container, the network namespace, CNI ADD)
 *   3. start the init containers to start, then the containers to start; for each:
 *      back-off check (a container that crashed recently waits: CrashLoopBackOff),
 *      the image (pulled as imagePullPolicy says: ErrImagePull, ImagePullBackOff),
 *      CreateContainer, StartContainer
 *
 * Each step records the kubelet's event (Pulling, Pulled, Created, Started, Killing, BackOff,
 * Failed) and traces its CRI call as kubelet -> containerd. The result tells, per container
 * that is not running as wanted, the waiting reason the pod's status will show.
 */
export interface SyncResult {
  /** container name => why it waits (CrashLoopBackOff, ErrImagePull, ImagePullBackOff, CreateContainerError ...). */
  waiting: Map<string, { reason: string; message: string }>;
  /** Set when the sync could not finish: the pod worker tries again after its back-off. */
  error?: string;
}

/** The kubelet's minimumGracePeriodInSeconds. */
const MINIMUM_GRACE_PERIOD_SECONDS = 2;

export interface PodSyncerDeps {
  sim: Simulation;
  runtime: CriRuntime;
  /** The kubelet's name in the trace, and its runtime's. */
  component: string;
  runtimeName: string;
  recorder: EventRecorder;
  /** Restart back-off per container; image pull back-off per pod and image. */
  backoff: ContainerBackoff;
  imageBackoff: ContainerBackoff;
}

export class PodSyncer {
  constructor(private readonly d: PodSyncerDeps) {}

  sync(pod: Readonly<Pod>, view: PodRuntimeView, actions: PodActions, done: (result: SyncResult) => void): void {
    const result: SyncResult = { waiting: new Map() };
    const key = objectKey(pod);
    const steps: ((next: () => void) => void)[] = [];
    if (actions.createSandbox && actions.sandboxId !== '') {
      this.d.recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    }
    if (actions.killPod) {
      steps.push((next) => this.killPod(pod, view, undefined, next));
      if (!actions.createSandbox) return this.run(steps, () => done(result));
    } else {
      for (const k of actions.containersToKill) {
        const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === k.name);
        steps.push((next) => this.killContainer(pod, k.id, k.name, spec, k.message, next));
      }
    }
    let sandboxId = actions.sandboxId;
    const sandboxConfig = this.sandboxConfig(pod, actions.attempt);
    if (actions.createSandbox) {
      steps.push((next) => {
        this.cri(`RunPodSandbox ${key}`);
        this.d.runtime.runPodSandbox({ config: sandboxConfig }, (err, res) => {
          if (err !== undefined) {
            this.d.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${err.message}`);
            result.error = `CreatePodSandbox for ${key} failed: ${err.message}`;
            return done(result);
          }
          sandboxId = res!.podSandboxId;
          next();
        });
      });
    }
    const inits = pod.spec.initContainers ?? [];
    for (const i of actions.initContainersToStart) steps.push((next) => this.start(pod, inits[i], 'spec.initContainers', sandboxId, sandboxConfig, view, result, next));
    for (const i of actions.containersToStart) steps.push((next) => this.start(pod, pod.spec.containers[i], 'spec.containers', sandboxId, sandboxConfig, view, result, next));
    this.run(steps, () => done(result));
  }

  /**
   * Stops every running container (in parallel, each with the grace period), then the
   * sandbox: the pod stops, the runtime keeps the exited containers until GC.
   */
  killPod(pod: Readonly<Pod>, view: PodRuntimeView, graceSeconds: number | undefined, done: () => void): void {
    const running = view.decision.containers.filter((c) => c.state === 'running' || c.state === 'created' || c.state === 'unknown');
    let left = running.length;
    const stopSandboxes = () => {
      const ready = view.decision.sandboxes.filter((s) => s.ready);
      let remaining = ready.length;
      if (remaining === 0) return done();
      for (const s of ready) {
        this.cri(`StopPodSandbox ${objectKey(pod)}`);
        this.d.runtime.stopPodSandbox({ podSandboxId: s.id }, () => {
          if (--remaining === 0) done();
        });
      }
    };
    if (left === 0) return stopSandboxes();
    for (const c of running) {
      const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((x) => x.name === c.name);
      this.killContainer(pod, c.id, c.name, spec, undefined, () => {
        if (--left === 0) stopSandboxes();
      }, graceSeconds);
    }
  }

  /** killContainer: the Killing event, then StopContainer with the grace period (SIGTERM, SIGKILL when it runs out). */
  private killContainer(pod: Readonly<Pod>, id: string, name: string, spec: Readonly<Container> | undefined, message: string | undefined, done: () => void, graceSeconds?: number): void {
    if (spec !== undefined) this.d.recorder.event(containerRef(pod, spec), 'Normal', 'Killing', message ?? `Stopping container ${name}`);
    const grace = graceSeconds ?? Math.max(MINIMUM_GRACE_PERIOD_SECONDS, pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30);
    this.cri(`StopContainer ${objectKey(pod)}/${name}`);
    this.d.runtime.stopContainer({ containerId: id, timeout: grace }, () => done());
  }

  /** startContainer: back-off, image, create, start. A failure is recorded in `result` and the next container still starts. */
  private start(pod: Readonly<Pod>, c: Readonly<Container>, field: string, sandboxId: string, sandboxConfig: PodSandboxConfig, view: PodRuntimeView, result: SyncResult, next: () => void): void {
    const key = objectKey(pod);
    const ref = containerRef(pod, c, field);
    const now = this.d.sim.now();
    const latest = latestOf(view.decision, c.name);
    const backoffKey = `${pod.metadata.name}_${pod.metadata.namespace}_${pod.metadata.uid}_${c.name}`;
    if (latest?.state === 'exited' && latest.finishedAt !== undefined) {
      if (this.d.backoff.inBackoff(backoffKey, latest.finishedAt, now)) {
        this.d.recorder.event(ref, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podName(pod)}`);
        result.waiting.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${this.d.backoff.describe(backoffKey)} restarting failed container=${c.name} pod=${podName(pod)}` });
        result.error ??= 'CrashLoopBackOff';
        return next();
      }
      this.d.backoff.next(backoffKey, latest.finishedAt, now);
    }
    const attempt = latest === undefined ? 0 : latest.attempt + 1;
    this.ensureImage(pod, c, ref, result, () => {
      const config = this.containerConfig(pod, c, attempt);
      this.cri(`CreateContainer ${key}/${c.name}`);
      this.d.runtime.createContainer({ podSandboxId: sandboxId, config, sandboxConfig }, (err, res) => {
        if (err !== undefined) return this.failed(c, ref, 'CreateContainerError', err, result, next);
        this.d.recorder.event(ref, 'Normal', 'Created', `Created container: ${c.name}`);
        this.cri(`StartContainer ${key}/${c.name}`);
        this.d.runtime.startContainer({ containerId: res!.containerId }, (err2) => {
          if (err2 !== undefined) return this.failed(c, ref, 'RunContainerError', err2, result, next);
          this.d.recorder.event(ref, 'Normal', 'Started', `Started container ${c.name}`);
          next();
        });
      });
    }, next);
  }

  /** EnsureImageExists: pull as the policy says, with its own back-off after a failed pull. */
  private ensureImage(pod: Readonly<Pod>, c: Readonly<Container>, ref: ReturnType<typeof containerRef>, result: SyncResult, pulled: () => void, skip: () => void): void {
    const image = c.image;
    this.d.runtime.imageStatus({ image: { image } }, (_err, status) => {
      const present = status?.image !== undefined;
      const policy = c.imagePullPolicy ?? 'IfNotPresent';
      if (policy === 'Never' && !present) {
        const message = `Container image "${image}" is not present with pull policy of Never`;
        this.d.recorder.event(ref, 'Warning', 'ErrImageNeverPull', message);
        result.waiting.set(c.name, { reason: 'ErrImageNeverPull', message });
        return skip();
      }
      if (present && policy !== 'Always') {
        this.d.recorder.event(ref, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return pulled();
      }
      const backoffKey = `${pod.metadata.uid}_${image}`;
      const now = this.d.sim.now();
      if (this.d.imageBackoff.inBackoff(backoffKey, now, now)) {
        this.d.recorder.event(ref, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
        result.waiting.set(c.name, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` });
        result.error ??= 'ImagePullBackOff';
        return skip();
      }
      this.d.recorder.event(ref, 'Normal', 'Pulling', `Pulling image "${image}"`);
      this.cri(`PullImage ${image} for ${objectKey(pod)}`);
      this.d.runtime.pullImage({ image: { image } }, (err) => {
        const took = goDuration(this.d.sim.now() - now);
        if (err !== undefined) {
          this.d.imageBackoff.next(backoffKey, this.d.sim.now(), this.d.sim.now());
          this.d.recorder.event(ref, 'Warning', 'Failed', `Failed to pull image "${image}": ${err.message}`);
          this.d.recorder.event(ref, 'Warning', 'Failed', 'Error: ErrImagePull');
          result.waiting.set(c.name, { reason: 'ErrImagePull', message: err.message });
          result.error ??= 'ErrImagePull';
          return skip();
        }
        this.d.runtime.imageStatus({ image: { image } }, (_e, s) => {
          this.d.recorder.event(ref, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${s?.image?.size ?? 0} bytes.`);
          pulled();
        });
      });
    });
  }

  private failed(c: Readonly<Container>, ref: ReturnType<typeof containerRef>, reason: string, err: CriError, result: SyncResult, next: () => void): void {
    this.d.recorder.event(ref, 'Warning', 'Failed', `Error: ${err.message}`);
    result.waiting.set(c.name, { reason, message: err.message });
    result.error ??= reason;
    next();
  }

  private sandboxConfig(pod: Readonly<Pod>, attempt: number): PodSandboxConfig {
    const { name, namespace, uid } = pod.metadata;
    return {
      metadata: { name: name!, namespace: namespace!, uid: uid!, attempt },
      hostname: pod.spec.hostNetwork ? undefined : name,
      logDirectory: `/var/log/pods/${namespace}_${name}_${uid}`,
      labels: podLabels(pod),
      linux: {
        cgroupParent: podCgroupParent(pod),
        ...(pod.spec.hostNetwork ? { securityContext: { namespaceOptions: { network: 'NODE' as const } } } : {}),
      },
    };
  }

  private containerConfig(pod: Readonly<Pod>, c: Readonly<Container>, attempt: number): ContainerConfig {
    return {
      metadata: { name: c.name, attempt },
      image: { image: c.image, userSpecifiedImage: c.image },
      command: c.command,
      args: c.args,
      workingDir: c.workingDir,
      envs: (c.env ?? []).filter((e) => e.value !== undefined).map((e) => ({ key: e.name, value: e.value! })),
      labels: { ...podLabels(pod), [CONTAINER_NAME_LABEL]: c.name },
      annotations: { [CONTAINER_HASH_ANNOTATION]: containerHash(c), [RESTART_COUNT_ANNOTATION]: String(attempt) },
      logPath: `${c.name}/${attempt}.log`,
      linux: { resources: linuxResources(c.resources) },
    };
  }

  /** A CRI call, traced as the placeholder traced them: kubelet -> containerd, a local socket with no network delay. */
  private cri(call: string): void {
    traceCri(this.d.sim, this.d.component, this.d.runtimeName, call);
  }

  /** Runs steps one after the other. */
  private run(steps: ((next: () => void) => void)[], done: () => void): void {
    const go = (i: number): void => (i === steps.length ? done() : steps[i](() => go(i + 1)));
    go(0);
  }
}

/**
 * The reference an event about a container points at: the pod, with the container's field path.
 *   containerRef(pod, web)  // => { kind: 'Pod', name: 'p', ..., fieldPath: 'spec.containers{web}' }
 */
export function containerRef(pod: Readonly<Pod>, c: Readonly<Container>, field = (pod.spec.initContainers ?? []).includes(c as Container) ? 'spec.initContainers' : 'spec.containers') {
  return referenceTo(pod, `${field}{${c.name}}`);
}

/** format.Pod: name_namespace(uid). */
function podName(pod: Readonly<Pod>): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

