import type { PodStatus } from '../api/types';
import type { PodRuntimeView } from './pod-status-reader';

/**
 * Which instance of a container `kubectl logs` reads, and where its log file is: the kubelet's
 * validateContainerLogStatus (kubelet_pods.go) picks the container from the pod's status, then
 * the runtime's ContainerStatus gives its log path (kuberuntime_logs.go).
 *
 *   running                         => the running instance: '/var/log/pods/default_web_a1b2/app/2.log'
 *   waiting in CrashLoopBackOff     => the instance that last exited
 *   previous (--previous)           => the instance before: lastState.terminated ('.../app/1.log')
 *   previous, none has exited yet   => 'previous terminated container "app" in pod "web" not found'
 *   waiting for its image           => 'container "app" in pod "web" is waiting to start: image can't be pulled'
 *
 * An instance container garbage collection has removed has no status and no log any more:
 * 'unable to retrieve container logs for containerd://<id>'. GC keeps the newest instance that
 * exited (maxPerPodContainer 1), which is the one --previous reads.
 */
export function containerLogPath(pod: string, status: Readonly<PodStatus> | undefined, view: PodRuntimeView | undefined, container: string, previous: boolean): { path: string } | { error: string } {
  const s = [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])].find((c) => c.name === container);
  const what = `container "${container}" in pod "${pod}"`;
  if (s === undefined) return { error: `${what} is not available` };
  const last = s.lastState?.terminated?.containerID;
  let id: string | undefined;
  if (previous) {
    if (!last) return { error: `previous terminated ${what} not found` };
    id = last;
  } else if (s.state?.running !== undefined) id = s.containerID;
  else if (s.state?.terminated !== undefined) id = s.state.terminated.containerID || last;
  else if (last) id = last;
  else if (s.state?.waiting !== undefined) return { error: `${what} is waiting to start: ${waitingWhy(s.state.waiting.reason ?? '')}` };
  if (!id) return { error: s.state?.terminated !== undefined ? `${what} is terminated` : `${what} is waiting to start - no logs yet` };
  const path = view?.containers.get(id.replace(/^containerd:\/\//, ''))?.logPath;
  return path ? { path } : { error: `unable to retrieve container logs for ${id}` };
}

function waitingWhy(reason: string): string {
  if (reason === 'ErrImagePull') return "image can't be pulled";
  if (reason === 'ImagePullBackOff') return 'trying and failing to pull image';
  return reason;
}
