import type { Container, LifecycleHandler, Pod } from '../api/types';
import type { Containerd } from '../runtime/containerd';
import { connectErrorText, type HttpClient } from '../runtime/node-network';
import type { Rng } from '../sim/rng';
import type { Simulation } from '../sim/simulation';
import { portNumber } from './container-port';
import { readPodStatus } from './pod-status-reader';

/**
 * The kubelet's handler runner (pkg/kubelet/lifecycle/handlers.go): runs a container's
 * postStart or preStop hook and says whether it failed, with the kubelet's message.
 *
 *   exec     ExecSync in the container, without a timeout; a non-zero exit fails:
 *            'Exec lifecycle hook ([sh -c exit 1]) for Container "web" in Pod "p_default(<uid>)"
 *            failed - error: command 'sh -c exit 1' exited with 1: , message: ""'
 *   httpGet  GET http://<host, else the pod IP>:<port><path> (a named port is the container's), from
 *            the node over the packet network; any answer succeeds, a closed port fails: 'HTTP lifecycle hook (/) for Container "web" in Pod ... failed -
 *            error: Get "http://10.244.1.2:8080/": dial tcp 10.244.1.2:8080: connect: connection refused'
 *   sleep    waits `seconds` (PodLifecycleSleepAction, beta and on by default since 1.30)
 *
 * What a failure does depends on the hook: the pod syncer records FailedPreStopHook and stops
 * the container anyway, or FailedPostStartHook and kills the container it has just started.
 *
 *   hooks.run(pod, web, containerId, { sleep: { seconds: 5 } }, (failure) => ...)  // 5 s later: failure undefined
 */
export interface LifecycleHookDeps {
  sim: Simulation;
  runtime: Containerd;
  /** HTTP from the node's root namespace over the packet network. */
  http: HttpClient;
  /** The network's round trip to a pod, a few ms. */
  rng: Rng;
}

export class LifecycleHooks {
  constructor(private readonly d: LifecycleHookDeps) {}

  /** Runs the handler; `done` with the failure's message, or undefined when the hook succeeded. */
  run(pod: Readonly<Pod>, container: Readonly<Container>, containerId: string, handler: Readonly<LifecycleHandler>, done: (failure?: string) => void): void {
    const { sim, runtime } = this.d;
    const where = `for Container ${JSON.stringify(container.name)} in Pod ${JSON.stringify(podDesc(pod))}`;
    if (handler.exec !== undefined) {
      const cmd = handler.exec.command;
      return runtime.execSync({ containerId, cmd }, (err, res) => {
        if (err === undefined && res!.exitCode === 0) return done();
        // The CRI client's error for a non-zero exit quotes the command and its stderr.
        const error = err?.message ?? `command '${cmd.join(' ')}' exited with ${res!.exitCode}: ${res!.stderr}`;
        const output = res === undefined ? '' : res.stdout + res.stderr;
        done(`Exec lifecycle hook ([${cmd.join(' ')}]) ${where} failed - error: ${error}, message: ${JSON.stringify(output)}`);
      });
    }
    if (handler.httpGet !== undefined) {
      const get = handler.httpGet;
      const path = get.path ?? '/';
      const fail = (error: string) => done(`HTTP lifecycle hook (${path}) ${where} failed - error: ${error}`);
      const port = portNumber(get.port, container);
      if (port === undefined) return fail(`unable to find port ${JSON.stringify(String(get.port))} in container ${container.name}`);
      const send = (host: string) => {
        const url = `${(get.scheme ?? 'HTTP').toLowerCase()}://${host}:${port}${path}`;
        const start = sim.now();
        const roundTrip = this.d.rng.between(1, 3);
        // Any answer will do (runHTTPHandler only looks at the error); a request the network drops fails after 1 s here.
        this.d.http(host, port, { method: 'GET', path }, 1000, (r) =>
          sim.after(Math.max(0, start + roundTrip - sim.now()), () =>
            typeof r !== 'string' ? done() : fail(`Get ${JSON.stringify(url)}: dial tcp ${host}:${port}: connect: ${connectErrorText(r)}`),
          ),
        );
      };
      if (get.host !== undefined && get.host !== '') return send(get.host);
      return readPodStatus(runtime, pod.metadata.uid!, (view) => send(view.ip));
    }
    if (handler.sleep !== undefined) return void sim.after(handler.sleep.seconds * 1000, () => done());
    done(`Cannot run handler: ${JSON.stringify(handler)}`);
  }
}

/** format.Pod: podDesc(pod) => 'p_default(3f2a...)'. */
function podDesc(pod: Readonly<Pod>): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}
