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
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

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
  throw notImplemented('pod-actions');
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
  throw notImplemented('pod-actions');
}

/**
 * computeInitContainerActions: which init containers to start (and sidecars to restart or
 * kill); true once the pod is initialized. Walks the init containers from the last, since
 * the runtime may have removed the statuses of older finished ones.
 */
export function initContainerActions(pod: Readonly<Pod>, status: Readonly<RuntimePodStatus>, actions: PodActions, startup: Readonly<Record<string, string>>): boolean {
  throw notImplemented('pod-actions');
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
  throw notImplemented('pod-actions');
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
