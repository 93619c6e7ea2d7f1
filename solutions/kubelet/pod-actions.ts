/**
 * Exercise `pod-actions` — the kubelet's pod sync decision, computePodActions. (chapter 08)
 *
 * Every time the kubelet syncs a pod (a pod changed in the API, the runtime's relist saw a
 * container start or die, a minute passed), it asks one question: given the pod's spec and
 * what the container runtime holds of it, what must change? It answers with actions — kill
 * the pod, make a sandbox, start these init containers, start these containers, kill those —
 * and SyncPod carries them out over CRI (lab-kernel/kubelet/pod-syncer.ts). You write the
 * question's answer, as kuberuntime_manager.go does.
 *
 * What the runtime holds comes newest first (lab-kernel/kubelet/pod-actions-contract.ts):
 * the pod's sandboxes (a new one, attempt + 1, each time the whole pod restarts) and its
 * containers (a new one, attempt + 1, each time a container restarts; the old ones stay,
 * exited, until garbage collection). latestOf(status, name) is a container's newest instance.
 *
 * Run a cluster whose kubelets use your code with
 *   createCluster({ use: { 'pod-actions': 'exercise' } })
 * and grade it with
 *   npm run grade -- pod-actions
 *
 * Input => output, by example (restartPolicy Always unless said):
 *
 *   no sandbox yet                           => killPod, createSandbox (attempt 0), start containers [0, 1]
 *   the sandbox died                         => killPod, createSandbox (attempt + 1), start again from the top
 *   init container 0 exited 0                => initContainersToStart [1]
 *   init container 0 failed, Never           => killPod: the pod has failed
 *   web exited 1                             => containersToStart [0] (SyncPod waits out the back-off)
 *   web exited 0, OnFailure                  => nothing to start, nothing running: killPod
 *   web running, liveness Failure            => kill web ("Container web failed liveness probe, will be restarted"), start it
 *   web running, its image changed           => kill it and start it, whatever the restart policy
 */
import type { Container, Pod } from '../../lab-kernel/api/types';
import { latestOf, type ContainerToKill, type PodActions, type PodActionsInput, type RuntimeContainer, type RuntimePodStatus } from '../../lab-kernel/kubelet/pod-actions-contract';

/**
 * TODO(1) Does the pod need a new sandbox (PodSandboxChanged)? Look at the newest one:
 *   no sandbox at all                                  => { true, attempt 0, id '' }
 *   more than one ready, or the newest not ready       => { true, newest attempt + 1, newest id }
 *   its network namespace is not the pod's (hostNetwork
 *   changed: NODE for hostNetwork pods, else POD)      => { true, newest attempt + 1, id '' }
 *   a pod-network sandbox without an IP (CNI failed)   => { true, newest attempt + 1, newest id }
 *   otherwise                                          => { false, newest attempt, newest id }
 */
export function sandboxChanged(pod: Readonly<Pod>, status: Readonly<RuntimePodStatus>): { createSandbox: boolean; attempt: number; sandboxId: string } {
  // BEGIN SOLUTION
  const [newest] = status.sandboxes;
  if (newest === undefined) return { createSandbox: true, attempt: 0, sandboxId: '' };
  const again = { createSandbox: true, attempt: newest.attempt + 1, sandboxId: newest.id };
  if (status.sandboxes.filter((s) => s.ready).length > 1 || !newest.ready) return again;
  const hostNetwork = pod.spec.hostNetwork === true;
  if (newest.network !== (hostNetwork ? 'NODE' : 'POD')) return { ...again, sandboxId: '' };
  if (!hostNetwork && newest.ip === '') return again;
  return { createSandbox: false, attempt: newest.attempt, sandboxId: newest.id };
  // END SOLUTION
}

/**
 * TODO(2) Should this container be (re)started (ShouldContainerBeRestarted)?
 *   the pod is being deleted (deletionTimestamp)       => false
 *   never ran (no instance)                            => true
 *   running                                            => false
 *   created or unknown (stuck)                         => true
 *   exited: restartPolicy Never => false; OnFailure => only after a non-zero exit; Always => true
 */
export function shouldRestart(container: Readonly<Container>, pod: Readonly<Pod>, status: Readonly<RuntimePodStatus>): boolean {
  // BEGIN SOLUTION
  if (pod.metadata.deletionTimestamp !== undefined) return false;
  const latest = latestOf(status, container.name);
  if (latest === undefined) return true;
  if (latest.state === 'running') return false;
  if (latest.state === 'unknown' || latest.state === 'created') return true;
  if (pod.spec.restartPolicy === 'Never') return false;
  if (pod.spec.restartPolicy === 'OnFailure') return latest.exitCode !== 0;
  return true;
  // END SOLUTION
}

/**
 * computeInitContainerActions: which init containers to start (and sidecars to restart or
 * kill); true once the pod is initialized. Walks the init containers from the last, since
 * the runtime may have removed the statuses of older finished ones.
 */
export function initContainerActions(pod: Readonly<Pod>, status: Readonly<RuntimePodStatus>, actions: PodActions, startup: Readonly<Record<string, string>>): boolean {
  // BEGIN SOLUTION
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
  // END SOLUTION
}

/**
 * TODO(4) The decision, in upstream's order (computePodActions):
 *   - a sandbox to (re)create: kill the pod, and start over: init container 0 if there are
 *     init containers, else every container (with OnFailure, not those that exited 0); but a
 *     pod that must not restart (Never) and already ran gets no new sandbox, and neither does
 *     one whose containers are all done;
 *   - otherwise the init containers first (initContainerActions, part 3): while not
 *     initialized, or when the pod is to be killed, stop there;
 *   - then each container: not running => start it if shouldRestart says so (part 2; one in an
 *     unknown state is also killed first); running => kill it if its spec changed (hash),
 *     its liveness or its startup probe failed, and start it again unless the restart policy
 *     is Never (a changed spec restarts whatever the policy); else keep it;
 *   - nothing kept and nothing to start => kill the pod, and start no sidecar.
 * Kill messages as the kubelet writes them: "Container web definition changed",
 * "Container web failed liveness probe", "... failed startup probe", each followed by
 * ", will be restarted" when it is.
 */
export function computePodActions({ pod, status, liveness = {}, startup = {}, hashes }: PodActionsInput): PodActions {
  // BEGIN SOLUTION
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
    if (latest.hash !== hashes[container.name]) {
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
  // END SOLUTION
}

/** Given: Always or OnFailure (Always is the default). */
export function restartOnFailure(pod: Readonly<Pod>): boolean {
  return pod.spec.restartPolicy !== 'Never';
}

export function succeeded(container: Readonly<Container>, status: Readonly<RuntimePodStatus>): boolean {
  const latest = latestOf(status, container.name);
  return latest?.state === 'exited' && latest.exitCode === 0;
}

export function anyRegularContainerCreated(pod: Readonly<Pod>, status: Readonly<RuntimePodStatus>): boolean {
  return pod.spec.containers.some((c) => ['created', 'running', 'exited'].includes(latestOf(status, c.name)?.state ?? ''));
}

/** An init container failed and the pod may not restart it: the pod is done. */
export function failed(actions: PodActions): false {
  actions.killPod = true;
  actions.initContainersToStart = [];
  return false;
}

export function kill(c: RuntimeContainer, message: string, reason: ContainerToKill['reason']): ContainerToKill {
  return { id: c.id, name: c.name, message, reason };
}
