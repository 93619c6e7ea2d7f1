/**
 * A CRI call that failed, as the kubelet receives it: a gRPC status code and containerd 1.7's
 * own text (pkg/cri/server/*.go), which the kubelet copies into Events and pod statuses.
 *
 *   imageNotFound('docker.io/library/nginx:9.9').message
 *   // => 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:9.9":
 *   //     failed to resolve reference "docker.io/library/nginx:9.9": docker.io/library/nginx:9.9: not found'
 *   containerNotFound('4f1c').code      // => 'NotFound'
 *   notCreated('4f1c', 'CONTAINER_EXITED').desc
 *   // => 'failed to set starting state for container "4f1c": container is in CONTAINER_EXITED state'
 *
 * containerd maps its error kinds to gRPC codes (errdefs.ToGRPC): a wrapped "not found" is
 * NotFound, a deadline is DeadlineExceeded, and a plain error is Unknown.
 */
export type GrpcCode = 'NotFound' | 'InvalidArgument' | 'FailedPrecondition' | 'Unknown' | 'DeadlineExceeded';

export class CriError extends Error {
  constructor(
    readonly code: GrpcCode,
    /** containerd's message, without the gRPC prefix. */
    readonly desc: string,
  ) {
    super(`rpc error: code = ${code} desc = ${desc}`);
    this.name = 'CriError';
  }
}

/** PullImage of a reference the registry does not have (image_pull.go, pull.go, remotes/docker/resolver.go). */
export function imageNotFound(fullReference: string): CriError {
  const ref = JSON.stringify(fullReference);
  return new CriError('NotFound', `failed to pull and unpack image ${ref}: failed to resolve reference ${ref}: ${fullReference}: not found`);
}

/** PullImage of a reference that does not parse. */
export function badImageReference(reference: string, why: string): CriError {
  return new CriError('Unknown', `failed to parse image reference ${JSON.stringify(reference)}: ${why}`);
}

/** CreateContainer with an image the node does not have (the kubelet pulls first). */
export function imageNotPresent(image: string): CriError {
  return new CriError('NotFound', `failed to resolve image ${JSON.stringify(image)}: not found`);
}

/** StartContainer, ContainerStatus ... of an ID the runtime does not know. */
export function containerNotFound(id: string): CriError {
  return new CriError('NotFound', `an error occurred when try to find container ${JSON.stringify(id)}: not found`);
}

/** PodSandboxStatus of an ID the runtime does not know. */
export function sandboxNotFound(): CriError {
  return new CriError('NotFound', 'an error occurred when try to find sandbox: not found');
}

/** CreateContainer in a sandbox the runtime does not know. */
export function sandboxIdNotFound(id: string): CriError {
  return new CriError('NotFound', `failed to find sandbox id ${JSON.stringify(id)}: not found`);
}

/** CreateContainer in a sandbox whose pause container is gone (the sandbox was stopped). */
export function sandboxTaskGone(id: string): CriError {
  return new CriError('NotFound', `failed to get sandbox container task: no running task found: task ${id} not found: not found`);
}

/** StartContainer of a container in a sandbox that is not ready (the container is then EXITED, StartError). */
export function sandboxNotRunning(id: string): CriError {
  return new CriError('Unknown', `sandbox container ${JSON.stringify(id)} is not running`);
}

/** StartContainer of a container that is not CREATED (it runs, or ran, already). */
export function notCreated(id: string, state: string): CriError {
  return new CriError('Unknown', `failed to set starting state for container ${JSON.stringify(id)}: container is in ${state} state`);
}

/** StartContainer of a command the image does not have (runc cannot exec it; the container is then EXITED, StartError). */
export function executableNotFound(program: string): CriError {
  return new CriError(
    'Unknown',
    `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: ${JSON.stringify(program)}: executable file not found in $PATH: unknown`,
  );
}

/** RunPodSandbox or CreateContainer with a name still held by a sandbox or container that was not removed. */
export function nameReserved(kind: 'sandbox' | 'container', name: string, holder: string): CriError {
  const quoted = JSON.stringify(name);
  return new CriError('Unknown', `failed to reserve ${kind} name ${quoted}: name ${quoted} is reserved for ${JSON.stringify(holder)}`);
}

/** ExecSync in a container the runtime does not know. */
export function execContainerNotFound(id: string): CriError {
  return new CriError('NotFound', `failed to exec in container: failed to find container ${JSON.stringify(id)} in store: not found`);
}

/** ExecSync of a command the image does not have. */
export function execNotFound(execId: string, program: string): CriError {
  return new CriError(
    'Unknown',
    `failed to exec in container: failed to start exec ${JSON.stringify(execId)}: OCI runtime exec failed: exec failed: unable to start container process: exec: ${JSON.stringify(program)}: executable file not found in $PATH: unknown`,
  );
}

/** ExecSync in a container that is not running. */
export function execNotRunning(state: string): CriError {
  return new CriError('Unknown', `failed to exec in container: container is in ${state} state`);
}

/** ExecSync whose command outlived its timeout (it is then SIGKILLed). */
export function execTimeout(seconds: number): CriError {
  return new CriError('DeadlineExceeded', `failed to exec in container: timeout ${goSeconds(seconds)} exceeded: context deadline exceeded`);
}

/** RunPodSandbox whose CNI ADD failed (the sandbox is torn down again). */
export function networkSetupFailed(sandboxId: string, cniError: string): CriError {
  return new CriError('Unknown', `failed to setup network for sandbox ${JSON.stringify(sandboxId)}: ${cniError}`);
}

/** Whole seconds as Go prints a time.Duration: 2 => '2s', 90 => '1m30s', 3600 => '1h0m0s'. */
export function goSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}
