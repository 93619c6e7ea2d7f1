import type { Container, Pod } from '../api/types';
import type { ContainerToKill, PodActions, PodActionsInput, RuntimeContainer, RuntimePodStatus } from './pod-actions-contract';

/**
 * computePodActions: the kubelet's decision, each time it syncs a pod, of what to change in
 * the container runtime so that the pod becomes what its spec says (kuberuntime_manager.go).
 * It reads the pod and what the runtime holds, and decides; SyncPod then does it.
 *
 *   no sandbox yet                          => create sandbox (attempt 0), start init container 0
 *                                              (or, without init containers, every container)
 *   sandbox gone or not ready               => kill the pod, create a sandbox (attempt + 1), start over
 *   init container 0 exited 0               => start init container 1 (the next)
 *   init container failed, restartPolicy Never => kill the pod: it has failed
 *   container exited, restartPolicy Always  => start it again (SyncPod waits out the back-off first)
 *   container exited 0, OnFailure / Never   => leave it
 *   container running, liveness Failure     => kill it; start it again unless restartPolicy Never
 *   container running, its spec changed     => kill it, start it again (whatever the policy)
 *   nothing running and nothing to start    => kill the pod (what is left is the sandbox)
 *
 * Sidecars (init containers with restartPolicy: Always, on by default since 1.29) start in
 * init order, the next init container starting as soon as the sidecar is running (and its
 * startup probe, if any, has passed), and are restarted whenever they exit.
 */
export function computePodActions({ pod, status, liveness = {}, startup = {}, hash }: PodActionsInput): PodActions {
  const { createSandbox, attempt, sandboxId } = sandboxChanged(pod, status);
  const actions: PodActions = { killPod: createSandbox, createSandbox, sandboxId, attempt, initContainersToStart: [], containersToStart: [], containersToKill: [] };
  const initContainers = pod.spec.initContainers ?? [];

  if (createSandbox) {
    // A pod that ran before and must not restart: kill what is left, make no new sandbox.
    if (!restartOnFailure(pod) && attempt !== 0 && status.containers.length !== 0) return { ...actions, createSandbox: false };
    const toStart = pod.spec.containers.flatMap((c, i) => (pod.spec.restartPolicy === 'OnFailure' && succeeded(c, status) ? [] : [i]));
    if (toStart.length === 0 && anyRegularContainerCreated(pod, status)) return { ...actions, createSandbox: false };
    if (initContainers.length > 0) return { ...actions, initContainersToStart: [0] };
    return { ...actions, containersToStart: toStart };
  }

  const initialized = initContainerActions(pod, status, actions, startup);
  if (actions.killPod || !initialized) return actions;

  let keep = 0;
  pod.spec.containers.forEach((container, i) => {
    const latest = latestOf(status, container.name);
    if (latest === undefined || latest.state !== 'running') {
      if (shouldRestart(container, pod, status)) {
        actions.containersToStart.push(i);
        if (latest?.state === 'unknown') actions.containersToKill.push(kill(latest, `Container is in "${latest.state}" state, try killing it before restart`, 'Unknown'));
      }
      return;
    }
    let message: string;
    let reason: ContainerToKill['reason'] = '';
    let restart = restartOnFailure(pod);
    if (latest.hash !== hash(container)) {
      message = `Container ${container.name} definition changed`;
      restart = true; // a changed spec restarts whatever the policy
    } else if (liveness[latest.id] === 'Failure') {
      message = `Container ${container.name} failed liveness probe`;
      reason = 'LivenessProbe';
    } else if (startup[latest.id] === 'Failure') {
      message = `Container ${container.name} failed startup probe`;
      reason = 'StartupProbe';
    } else {
      keep++;
      return;
    }
    if (restart) {
      message = `${message}, will be restarted`;
      actions.containersToStart.push(i);
    }
    actions.containersToKill.push(kill(latest, message, reason));
  });

  if (keep === 0 && actions.containersToStart.length === 0) {
    // Nothing runs and nothing will: the pod is done. Sidecars must not keep it alive.
    actions.killPod = true;
    actions.initContainersToStart = [];
  }
  return actions;
}

/**
 * computeInitContainerActions: which init containers to start (and sidecars to restart or
 * kill); true once the pod is initialized. Walks the init containers from the last, since
 * the runtime may have removed the statuses of older finished ones.
 */
function initContainerActions(pod: Readonly<Pod>, status: Readonly<RuntimePodStatus>, actions: PodActions, startup: Readonly<Record<string, string>>): boolean {
  const inits = pod.spec.initContainers ?? [];
  if (inits.length === 0) return true;
  // A regular container created or running means every init container ran once already.
  let initialized = pod.spec.containers.some((c) => ['created', 'running'].includes(latestOf(status, c.name)?.state ?? ''));
  let previouslyInitialized = initialized;
  const starts: number[] = [];
  for (let i = inits.length - 1; i >= 0; i--) {
    const container = inits[i];
    const sidecar = container.restartPolicy === 'Always';
    const latest = latestOf(status, container.name);
    if (latest === undefined) {
      if (previouslyInitialized && sidecar) starts.push(i);
      continue;
    }
    if (previouslyInitialized && !sidecar) continue; // once initialized, only sidecars are kept running
    // A switch, as upstream's: each `break` ends this container's case, and the walk goes on to the earlier ones.
    switch (latest.state) {
      case 'created':
        starts.push(i); // created but never started: the runtime failed to start it
        break;
      case 'running':
        if (!sidecar) break; // an init container still running: wait for it to finish
        if (container.startupProbe !== undefined && startup[latest.id] !== 'Success') {
          if (startup[latest.id] === 'Failure') {
            actions.containersToKill.push(kill(latest, `Init container ${container.name} failed startup probe`, 'StartupProbe'));
            starts.push(i);
          }
          break;
        }
        if (i === inits.length - 1) initialized = true;
        else if (!previouslyInitialized) starts.push(i + 1); // started for the first time: on to the next
        break;
      case 'exited':
        if (sidecar) {
          starts.push(i);
        } else if (latest.exitCode !== 0) {
          if (!restartOnFailure(pod)) return failed(actions);
          starts.push(i);
        } else if (i === inits.length - 1) {
          initialized = true;
        } else {
          starts.push(i + 1);
        }
        break;
      default:
        if (!sidecar && !restartOnFailure(pod)) return failed(actions);
        actions.containersToKill.push(kill(latest, `Init container is in "${latest.state}" state, try killing it before restart`, 'Unknown'));
        starts.push(i);
    }
    previouslyInitialized = true;
  }
  if (!previouslyInitialized) starts.push(0);
  actions.initContainersToStart = starts.reverse();
  return initialized;
}

/**
 * PodSandboxChanged: whether the pod needs a new sandbox, its attempt number, and the current one.
 *   no sandbox => (true, 0, ''); the newest not ready, or more than one ready, or no IP => (true, attempt + 1, id)
 */
export function sandboxChanged(pod: Readonly<Pod>, status: Readonly<RuntimePodStatus>): { createSandbox: boolean; attempt: number; sandboxId: string } {
  const [newest] = status.sandboxes;
  if (newest === undefined) return { createSandbox: true, attempt: 0, sandboxId: '' };
  const again = { createSandbox: true, attempt: newest.attempt + 1, sandboxId: newest.id };
  if (status.sandboxes.filter((s) => s.ready).length > 1 || !newest.ready) return again;
  const hostNetwork = pod.spec.hostNetwork === true;
  if (newest.network !== (hostNetwork ? 'NODE' : 'POD')) return { ...again, sandboxId: '' };
  if (!hostNetwork && newest.ip === '') return again;
  return { createSandbox: false, attempt: newest.attempt, sandboxId: newest.id };
}

/**
 * ShouldContainerBeRestarted: never once the pod is being deleted; always if it never ran, or
 * is stuck created or unknown; for an exited one, as restartPolicy says (OnFailure: only after
 * a non-zero exit).
 */
function shouldRestart(container: Readonly<Container>, pod: Readonly<Pod>, status: Readonly<RuntimePodStatus>): boolean {
  if (pod.metadata.deletionTimestamp !== undefined) return false;
  const latest = latestOf(status, container.name);
  if (latest === undefined) return true;
  if (latest.state === 'running') return false;
  if (latest.state === 'unknown' || latest.state === 'created') return true;
  if (pod.spec.restartPolicy === 'Never') return false;
  if (pod.spec.restartPolicy === 'OnFailure') return latest.exitCode !== 0;
  return true;
}

/** Always or OnFailure (Always is the default). */
function restartOnFailure(pod: Readonly<Pod>): boolean {
  return pod.spec.restartPolicy !== 'Never';
}

function succeeded(container: Readonly<Container>, status: Readonly<RuntimePodStatus>): boolean {
  const latest = latestOf(status, container.name);
  return latest?.state === 'exited' && latest.exitCode === 0;
}

function anyRegularContainerCreated(pod: Readonly<Pod>, status: Readonly<RuntimePodStatus>): boolean {
  return pod.spec.containers.some((c) => ['created', 'running', 'exited'].includes(latestOf(status, c.name)?.state ?? ''));
}

/** FindContainerStatusByName: the newest container of that name. */
export function latestOf(status: Readonly<RuntimePodStatus>, name: string): RuntimeContainer | undefined {
  return status.containers.find((c) => c.name === name);
}

/** An init container failed and the pod may not restart it: the pod is done. */
function failed(actions: PodActions): false {
  actions.killPod = true;
  actions.initContainersToStart = [];
  return false;
}

function kill(c: RuntimeContainer, message: string, reason: ContainerToKill['reason']): ContainerToKill {
  return { id: c.id, name: c.name, message, reason };
}
