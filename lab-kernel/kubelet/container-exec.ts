import { failure, type StatusError } from '../api/status';
import type { ExecResult } from '../api/request';
import { CriError } from '../runtime/cri-error';
import type { RuntimeService } from '../runtime/cri';
import { latestOf, type RuntimePodStatus } from './pod-actions-contract';

/**
 * What the kubelet does for `kubectl exec` (GetExec, then the runtime's Exec): find the running
 * instance of the container, have the runtime run the command in it, and hand back what it
 * wrote and its exit code.
 *
 *   execInContainer(runtime, web's status, 'nginx', ['hostname'], done)
 *   // => done({ stdout: 'web\n', stderr: '', exitCode: 0 })
 *   execInContainer(runtime, web's status, 'nginx', ['curl', 'localhost'], done)    // nginx has no curl
 *   // => done({ stdout: '', stderr: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown\n', exitCode: 126 })
 *   execInContainer(runtime, web's status, 'sidecar', ['sh'], done)                  // no such container running
 *   // => done(a 500: 'container not found ("sidecar")'), which kubectl prints as "error: unable to upgrade connection: container not found ("sidecar")"
 *
 * The runtime streams in Kubernetes; here the command runs to its end (ExecSync without a
 * timeout), so a command that never ends never answers.
 */
export function execInContainer(runtime: RuntimeService, status: Readonly<RuntimePodStatus> | undefined, container: string, command: readonly string[], done: (result: ExecResult | StatusError) => void): void {
  const running = status === undefined ? undefined : latestOf(status, container);
  if (running === undefined || running.state !== 'running') {
    done(failure(500, 'InternalError', `container not found (${JSON.stringify(container)})`));
    return;
  }
  runtime.execSync({ containerId: running.id, cmd: [...command] }, (err, res) => {
    if (err === undefined) return done(res!);
    // The runtime could not start the program (runc's error, exit code 126), or the container went away.
    const oci = err instanceof CriError ? err.message.indexOf('OCI runtime exec failed') : -1;
    if (oci >= 0) return done({ stdout: '', stderr: `${err.message.slice(oci)}\n`, exitCode: 126 });
    done(failure(500, 'InternalError', err.message));
  });
}
