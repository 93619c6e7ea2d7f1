import type { ContainerStatus, Pod, PodPhase } from '../api/types';

/**
 * A pod's phase, from its containers' statuses (the kubelet's getPhase, kubelet_pods.go):
 *
 *   Pending    not every container has started yet (an init container still to run or
 *              running, a container waiting to start for the first time)
 *   Running    every container has started, and at least one runs (or, with restartPolicy
 *              Always, they are all restarting)
 *   Succeeded  every container stopped, all with exit code 0, and none will restart
 *   Failed     every container stopped, one at least with a non-zero exit code, and none
 *              will restart; or an init container failed under restartPolicy Never
 *
 *   containers [web running]                                   => Running
 *   containers [pi terminated 0], restartPolicy Never          => Succeeded
 *   containers [job terminated 1], restartPolicy OnFailure     => Running (about to restart)
 *   containers [web waiting CrashLoopBackOff, last exit 1]     => Running (restartPolicy Always)
 *   init [setup terminated 1], restartPolicy Never             => Failed
 *
 * `podIsTerminal`: the kubelet has stopped the pod for good (deleted, or evicted); then
 * stopped containers mean Succeeded or Failed whatever the restart policy.
 *
 * Sidecars count as containers once started; a sidecar that stopped does not count at all.
 */
export function podPhase(pod: Readonly<Pod>, statuses: readonly ContainerStatus[], podIsTerminal: boolean): PodPhase {
  const spec = pod.spec;
  const statusOf = (name: string) => statuses.find((s) => s.name === name);
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') continue;
    const s = statusOf(c.name);
    if (s?.state?.running !== undefined || s === undefined) pendingInitialization++;
    else if (s.state?.terminated !== undefined) failedInitialization += s.state.terminated.exitCode !== 0 ? 1 : 0;
    else if (s.state?.waiting !== undefined && s.lastState?.terminated !== undefined) failedInitialization += s.lastState.terminated.exitCode !== 0 ? 1 : 0;
    else pendingInitialization++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    const s = statusOf(c.name);
    if (s === undefined) {
      unknown++;
    } else if (s.state?.running !== undefined) {
      if (!s.started) pendingInitialization++;
      running++;
    } else if (s.state?.terminated !== undefined || (s.state?.waiting !== undefined && s.lastState?.terminated !== undefined)) {
      // A sidecar that stopped does not count toward the phase.
    } else if (s.state?.waiting !== undefined) {
      pendingInitialization++;
      waiting++;
    } else {
      pendingInitialization++;
      unknown++;
    }
  }
  for (const c of spec.containers) {
    const s = statusOf(c.name);
    if (s === undefined) unknown++;
    else if (s.state?.running !== undefined) running++;
    else if (s.state?.terminated !== undefined) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting !== undefined) {
      if (s.lastState?.terminated !== undefined) stopped++;
      else waiting++;
    } else unknown++;
  }

  if (failedInitialization > 0 && spec.restartPolicy === 'Never') return 'Failed';
  const anyRegularStarted = spec.containers.some((c) => {
    const s = statusOf(c.name);
    return s?.state?.running !== undefined || s?.state?.terminated !== undefined;
  });
  if ((pendingInitialization > 0 && !anyRegularStarted) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal && !isStaticPod(pod)) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if ((spec.restartPolicy ?? 'Always') === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** A static pod comes from a manifest on the node, not from the API server (kubetypes.IsStaticPod). */
function isStaticPod(pod: Readonly<Pod>): boolean {
  const source = pod.metadata.annotations?.['kubernetes.io/config.source'];
  return source !== undefined && source !== 'api';
}
