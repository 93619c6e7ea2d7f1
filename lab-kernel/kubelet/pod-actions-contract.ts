import type { Pod } from '../api/types';

/**
 * The kubelet's pod sync decision, as data: what it knows of a pod from the container runtime,
 * and what it decides to do about it (kuberuntime_manager.go: PodStatus in, podActions out).
 *
 * The runtime's view is what CRI's ListPodSandbox and ListContainers said about the pod, newest
 * first: its sandboxes (a new one is made for every restart of the whole pod, with attempt
 * one higher) and its containers (each restart of a container is a new container, with the
 * same name and attempt one higher; the old one stays, exited, until garbage collection).
 */
export type RuntimeContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface RuntimeSandbox {
  id: string;
  ready: boolean;
  attempt: number;
  /** The network namespace it was made with: the pod's own, or the node's (hostNetwork). */
  network: 'POD' | 'NODE';
  /** Its IP from CNI; '' if it has none. */
  ip: string;
}

export interface RuntimeContainer {
  id: string;
  name: string;
  state: RuntimeContainerState;
  /** The hash of the container's spec it was created from (the kubelet's containerHash label). */
  hash: string;
  attempt: number;
  exitCode?: number;
  reason?: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface RuntimePodStatus {
  /** Newest first. */
  sandboxes: RuntimeSandbox[];
  /** Newest first: the first of a name is that container's latest instance. */
  containers: RuntimeContainer[];
}

/** A probe's last verdict on a running container, by container id (the prober's results managers). */
export type ProbeVerdicts = Readonly<Record<string, 'Success' | 'Failure'>>;

export interface PodActionsInput {
  pod: Readonly<Pod>;
  status: Readonly<RuntimePodStatus>;
  /** The liveness and startup probes' last verdicts; a container with none has no probe, or no verdict yet. */
  liveness?: ProbeVerdicts;
  startup?: ProbeVerdicts;
  /** The hash of each container's spec, by container name, as the runtime's containers carry it: a different one means the spec changed. */
  hashes: Readonly<Record<string, string>>;
}

export type KillReason = '' | 'LivenessProbe' | 'StartupProbe' | 'Unknown';

export interface ContainerToKill {
  id: string;
  name: string;
  /** Why, in the kubelet's words: "Container web failed liveness probe, will be restarted". */
  message: string;
  reason: KillReason;
}

export interface PodActions {
  /** Stop every container and the sandbox (before making a new one, or because the pod is done). */
  killPod: boolean;
  createSandbox: boolean;
  /** The current sandbox ('' if none). */
  sandboxId: string;
  /** The attempt number of the sandbox to create. */
  attempt: number;
  /** Indexes into spec.initContainers, to start in this order. */
  initContainersToStart: number[];
  /** Indexes into spec.containers. */
  containersToStart: number[];
  containersToKill: ContainerToKill[];
}

export type ComputePodActions = (input: PodActionsInput) => PodActions;

/**
 * The newest container of that name (FindContainerStatusByName), given: the runtime lists
 * newest first.
 *   latestOf({ sandboxes: [], containers: [web (attempt 2, exited), web (attempt 1, exited)] }, 'web')  // => attempt 2
 */
export function latestOf(status: Readonly<RuntimePodStatus>, name: string): RuntimeContainer | undefined {
  return status.containers.find((c) => c.name === name);
}
