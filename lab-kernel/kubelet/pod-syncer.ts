import { objectKey } from '../api/resources';
import { goDuration } from '../api/time';
import type { Container, LifecycleHandler, Pod } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import { referenceTo } from '../client/event-recorder';
import { podResolvConf } from '../dns/resolv-conf';
import type { ContainerConfig, KeyValue, Mount, PodSandboxConfig } from '../runtime/cri';
import type { CriError } from '../runtime/cri-error';
import { linuxResources } from '../runtime/linux-resources';
import { podCgroupParent } from '../runtime/qos-class';
import type { Simulation } from '../sim/simulation';
import { CONTAINER_HASH_ANNOTATION, CONTAINER_NAME_LABEL, containerHash, podLabels, RESTART_COUNT_ANNOTATION } from './cri-labels';
import { traceCri } from './cri-trace';
import type { LifecycleHooks } from './lifecycle-hooks';
import { latestOf, type PodActions, type RuntimeContainer } from './pod-actions-contract';
import { podLogDirectory } from './pod-log-directory';
import { terminationOrdering, type TerminationOrdering } from './termination-ordering';
import type { CriRuntime, PodRuntimeView } from './pod-status-reader';
import { ask, type BackoffEntry, type ProbesAndRestarts, type RestartAnswer } from './probes-and-restarts-contract';

/**
 * SyncPod: the kubelet doing what computePodActions decided, one CRI call after another
 * (kuberuntime_manager.go), and saying what it could not do:
 *
 *   1. kill the pod (every container, then the sandbox) or the containers to kill
 *   2. create the sandbox (RunPodSandbox: the pause container, the network namespace, CNI ADD)
 *   3. start the init containers to start, then the containers to start; for each:
 *      one that ran before: its restart (probes-and-restarts: the restart policy, the restart
 *      count, the back-off: a container that crashed recently waits, CrashLoopBackOff),
 *      the image (pulled as imagePullPolicy says: ErrImagePull, ImagePullBackOff, with the
 *      image manager's own back-off: the reference's flowcontrol.Backoff),
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
  /** A restart's decision (exercise probes-and-restarts). */
  probesAndRestarts: ProbesAndRestarts;
  /** The image pull back-off's steps: the reference's `backoff` answers, whichever code restarts containers. */
  imageBackoff: ProbesAndRestarts;
  /** generateContainerConfig's environment (container-env.ts) and mounts (the volume manager's), or why it cannot be made. */
  containerInputs: (pod: Readonly<Pod>, c: Readonly<Container>) => ContainerInputs | { error: string };
  /** The handler runner of postStart and preStop hooks. */
  hooks: LifecycleHooks;
}

export interface ContainerInputs {
  envs: KeyValue[];
  mounts: Mount[];
  /** What the device plugins asked to annotate the container with. */
  annotations: Record<string, string>;
}

export class PodSyncer {
  /** The back-off entries: restarts per container (its stable key: pod name, namespace, uid, container), pulls per pod and image. */
  private readonly restartBackoff = new Map<string, BackoffEntry>();
  private readonly pullBackoff = new Map<string, BackoffEntry>();

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
   * Stops every running container (in parallel, each with the grace period; sidecars after the
   * app containers, in reverse order: termination-ordering.ts), then the sandbox: the pod stops,
   * the runtime keeps the exited containers until GC.
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
    const ordering = terminationOrdering(this.d.sim, pod, running.map((c) => c.name));
    for (const c of running) {
      const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((x) => x.name === c.name);
      this.killContainer(pod, c.id, c.name, spec, undefined, () => {
        ordering?.terminated(c.name);
        if (--left === 0) stopSandboxes();
      }, graceSeconds, ordering);
    }
  }

  /**
   * killContainer: the Killing event, the preStop hook if there is one and time for it, then (a
   * sidecar) its turn, then StopContainer with the grace period left (SIGTERM, SIGKILL when it
   * runs out). The hook's and the wait's whole seconds come off the grace period, leaving at
   * least minimumGracePeriodInSeconds.
   */
  private killContainer(pod: Readonly<Pod>, id: string, name: string, spec: Readonly<Container> | undefined, message: string | undefined, done: () => void, graceSeconds?: number, ordering?: TerminationOrdering): void {
    if (spec !== undefined) this.d.recorder.event(containerRef(pod, spec), 'Normal', 'Killing', message ?? `Stopping container ${name}`);
    const stop = (timeout: number) => {
      this.cri(`StopContainer ${objectKey(pod)}/${name}`);
      this.d.runtime.stopContainer({ containerId: id, timeout }, () => done());
    };
    const grace = graceSeconds ?? pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    // The timeout StopContainer gets: an override as it is when nothing came off it, else what is left, at least the minimum.
    const timeout = (left: number, spent: boolean) => (!spent && graceSeconds !== undefined ? graceSeconds : Math.max(MINIMUM_GRACE_PERIOD_SECONDS, left));
    const turn = (left: number, spent: boolean) => {
      if (ordering === undefined || left <= 0) return stop(timeout(left, spent));
      ordering.waitForTurn(name, left, (waited) => stop(timeout(left - Math.floor(waited), spent || waited > 0)));
    };
    const preStop = spec?.lifecycle?.preStop;
    if (spec === undefined || preStop === undefined || grace <= 0) return turn(grace, false);
    this.preStop(pod, spec, id, preStop, grace, (took) => turn(grace - took, true));
  }

  /**
   * executePreStopHook: runs the hook and waits for it at most the grace period; `done` with the
   * whole seconds waited. A failed hook is recorded without its message (it may hold secrets).
   */
  private preStop(pod: Readonly<Pod>, spec: Readonly<Container>, id: string, handler: Readonly<LifecycleHandler>, grace: number, done: (tookSeconds: number) => void): void {
    const { sim } = this.d;
    const start = sim.now();
    let waiting = true;
    const finish = () => {
      if (!waiting) return;
      waiting = false;
      sim.cancel(timer);
      done(Math.floor((sim.now() - start) / 1000));
    };
    const timer = sim.after(grace * 1000, finish);
    this.d.hooks.run(pod, spec, id, handler, (failure) => {
      if (failure !== undefined) this.d.recorder.event(containerRef(pod, spec), 'Warning', 'FailedPreStopHook', 'PreStopHook failed');
      finish();
    });
  }

  /** startContainer: restart decision, image, create, start. A failure is recorded in `result` and the next container still starts. */
  private start(pod: Readonly<Pod>, c: Readonly<Container>, field: string, sandboxId: string, sandboxConfig: PodSandboxConfig, view: PodRuntimeView, result: SyncResult, next: () => void): void {
    const key = objectKey(pod);
    const ref = containerRef(pod, c, field);
    const latest = latestOf(view.decision, c.name);
    let attempt = 0;
    if (latest !== undefined) {
      const restart = this.restart(pod, c, field, latest, result);
      if (restart === undefined || restart.action === 'done') return next();
      if (restart.action === 'back-off') {
        this.d.recorder.event(ref, 'Warning', 'BackOff', restart.event);
        result.waiting.set(c.name, { reason: restart.reason, message: restart.message });
        result.error ??= restart.reason;
        return next();
      }
      attempt = restart.restartCount;
    }
    this.ensureImage(pod, c, ref, sandboxConfig, result, () => {
      const inputs = this.d.containerInputs(pod, c);
      // CreateContainerConfigError: the environment or the mounts cannot be made (a missing ConfigMap key).
      if ('error' in inputs) return this.failed(c, ref, 'CreateContainerConfigError', { message: inputs.error }, result, next);
      const config = this.containerConfig(pod, c, attempt, inputs);
      this.cri(`CreateContainer ${key}/${c.name}`);
      this.d.runtime.createContainer({ podSandboxId: sandboxId, config, sandboxConfig }, (err, res) => {
        if (err !== undefined) return this.failed(c, ref, 'CreateContainerError', err, result, next);
        this.d.recorder.event(ref, 'Normal', 'Created', `Created container: ${c.name}`);
        this.cri(`StartContainer ${key}/${c.name}`);
        this.d.runtime.startContainer({ containerId: res!.containerId }, (err2) => {
          if (err2 !== undefined) return this.failed(c, ref, 'RunContainerError', err2, result, next);
          this.d.recorder.event(ref, 'Normal', 'Started', `Started container ${c.name}`);
          this.postStart(pod, c, res!.containerId, result, next);
        });
      });
    }, next);
  }

  /**
   * The postStart hook, once the container runs; the next container waits for it. A failed hook
   * is recorded with its message and kills the container (Killing "FailedPostStartHook"):
   * PostStartHookError.
   */
  private postStart(pod: Readonly<Pod>, c: Readonly<Container>, id: string, result: SyncResult, next: () => void): void {
    const hook = c.lifecycle?.postStart;
    if (hook === undefined) return next();
    this.d.hooks.run(pod, c, id, hook, (failure) => {
      if (failure === undefined) return next();
      this.d.recorder.event(containerRef(pod, c), 'Warning', 'FailedPostStartHook', failure);
      this.killContainer(pod, id, c.name, c, 'FailedPostStartHook', () => this.failed(c, undefined, 'PostStartHookError', { message: failure }, result, next));
    });
  }

  /**
   * doBackOff, with the restart policy: asks probes-and-restarts whether the container that ran
   * before starts again now, and keeps its back-off entry. A failed answer is the sync's error.
   * The policy asked with is the container's own (a sidecar's Always), else the pod's for a
   * container; an init container is asked with Always, since computeInitContainerActions has
   * applied the pod's policy to it already (a failed one under Never fails the pod, and a new
   * sandbox runs them all again, whatever they exited with).
   */
  private restart(pod: Readonly<Pod>, c: Readonly<Container>, field: string, latest: RuntimeContainer, result: SyncResult): RestartAnswer | undefined {
    const { name: podName, namespace, uid } = pod.metadata;
    const name = c.name;
    const restartPolicy = c.restartPolicy ?? (field === 'spec.initContainers' ? 'Always' : pod.spec.restartPolicy ?? 'Always');
    const backoffKey = `${podName}_${namespace}_${uid}_${name}`;
    const exit = latest.state === 'exited' ? { exitCode: latest.exitCode ?? 0, reason: latest.reason ?? '', startedAt: latest.startedAt ?? latest.createdAt, finishedAt: latest.finishedAt! } : undefined;
    let answer: RestartAnswer;
    try {
      answer = ask(this.d.probesAndRestarts, 'restart', {
        pod: { name: podName!, namespace: namespace!, uid: uid! }, container: name, restartPolicy,
        last: { restartCount: latest.attempt, ...(exit ? { exit } : {}) }, backoff: this.restartBackoff.get(backoffKey), now: this.d.sim.now(),
      });
    } catch (err) {
      const message = `probesAndRestarts for ${objectKey(pod)}/${name} (restart) failed: ${(err as Error).message}`;
      this.d.sim.trace.error(this.d.sim.now(), this.d.component, message, { key: objectKey(pod) });
      result.error ??= message;
      return undefined;
    }
    if (answer.action === 'start' && answer.backoff !== undefined) this.restartBackoff.set(backoffKey, answer.backoff);
    return answer;
  }

  /** EnsureImageExists: pull as the policy says, with its own back-off after a failed pull. */
  private ensureImage(pod: Readonly<Pod>, c: Readonly<Container>, ref: ReturnType<typeof containerRef>, sandboxConfig: PodSandboxConfig, result: SyncResult, pulled: () => void, skip: () => void): void {
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
      const pullBackoff = (since: number, at: number) => ask(this.d.imageBackoff, 'backoff', { entry: this.pullBackoff.get(backoffKey), since, now: at });
      // IsInBackOffSinceUpdate: still backing off since the last failed pull (10 s, 20 s, ... after it).
      if (pullBackoff(this.pullBackoff.get(backoffKey)?.updatedAt ?? now, now).inBackOff) {
        this.d.recorder.event(ref, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
        result.waiting.set(c.name, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` });
        result.error ??= 'ImagePullBackOff';
        return skip();
      }
      this.d.recorder.event(ref, 'Normal', 'Pulling', `Pulling image "${image}"`);
      this.cri(`PullImage ${image} for ${objectKey(pod)}`);
      this.d.runtime.pullImage({ image: { image }, sandboxConfig }, (err) => {
        const took = goDuration(this.d.sim.now() - now);
        if (err !== undefined) {
          this.pullBackoff.set(backoffKey, pullBackoff(this.d.sim.now(), this.d.sim.now()).next);
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

  /** A container that could not start: the event Failed "Error: <message>" (unless `ref` is undefined), its waiting reason, the sync's error. */
  private failed(c: Readonly<Container>, ref: ReturnType<typeof containerRef> | undefined, reason: string, err: Pick<CriError, 'message'>, result: SyncResult, next: () => void): void {
    if (ref !== undefined) this.d.recorder.event(ref, 'Warning', 'Failed', `Error: ${err.message}`);
    result.waiting.set(c.name, { reason, message: err.message });
    result.error ??= reason;
    next();
  }

  /** generatePodSandboxConfig: the pod's identity, hostname, log directory, labels, cgroup and DNS (GetPodDNS, whose warnings go on the pod). */
  private sandboxConfig(pod: Readonly<Pod>, attempt: number): PodSandboxConfig {
    const { name, namespace, uid } = pod.metadata;
    const dns = podResolvConf(pod);
    for (const e of dns.events) this.d.recorder.event(pod, e.type, e.reason, e.message);
    return {
      metadata: { name: name!, namespace: namespace!, uid: uid!, attempt },
      dnsConfig: { servers: dns.conf.nameservers, searches: dns.conf.searches, options: dns.conf.options },
      hostname: pod.spec.hostNetwork ? undefined : name,
      logDirectory: podLogDirectory({ namespace: namespace!, name: name!, uid: uid! }),
      labels: podLabels(pod),
      linux: {
        cgroupParent: podCgroupParent(pod),
        ...(pod.spec.hostNetwork ? { securityContext: { namespaceOptions: { network: 'NODE' as const } } } : {}),
      },
    };
  }

  /** The container's CRI config, from generateContainerConfig's inputs (environment, mounts, device annotations). */
  private containerConfig(pod: Readonly<Pod>, c: Readonly<Container>, attempt: number, inputs: ContainerInputs): ContainerConfig {
    return {
      metadata: { name: c.name, attempt },
      image: { image: c.image, userSpecifiedImage: c.image },
      command: c.command,
      args: c.args,
      workingDir: c.workingDir,
      envs: inputs.envs,
      ...(inputs.mounts.length > 0 ? { mounts: inputs.mounts } : {}),
      labels: Object.assign({}, podLabels(pod), { [CONTAINER_NAME_LABEL]: c.name }),
      annotations: Object.assign({}, inputs.annotations, { [CONTAINER_HASH_ANNOTATION]: containerHash(c), [RESTART_COUNT_ANNOTATION]: String(attempt) }),
      logPath: `${c.name}/${attempt}.log`,
      linux: { resources: linuxResources(c.resources) },
    };
  }

  /** A CRI call, traced as kubelet -> containerd: a local socket with no network delay. */
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
