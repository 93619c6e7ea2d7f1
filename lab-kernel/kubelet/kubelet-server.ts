import { badRequest, failure, notFound, type StatusError } from '../api/status';
import type { ExecResult, PortForwardResult } from '../api/request';
import type { Summary } from '../api/stats-summary';
import type { Pod, PodStatus } from '../api/types';
import type { Lister } from '../client/informer';
import type { Containerd } from '../runtime/containerd';
import type { HostFs } from '../runtime/host-fs';
import type { Simulation } from '../sim/simulation';
import { execInContainer } from './container-exec';
import { containerLogPath } from './container-log-path';
import { NODE_CAPACITY } from './node-agent';
import type { PodRuntimeView } from './pod-status-reader';
import { podLogDirectory } from './pod-log-directory';
import { capacityBytes, summarize } from './stats-summary';
import type { VolumeUsage } from './volumes/volume-manager';

/**
 * The kubelet's server (port 10250): what the API server asks of it for `kubectl logs` and
 * `kubectl exec` and `kubectl port-forward`, and what metrics-server and `kubectl get --raw` read from GET /stats/summary.
 * Each answer is worked out from the pod workers' last view of the pod and from the runtime.
 *
 *   server.containerLogs('default', 'web', 'nginx')                    // => '... GET / HTTP/1.1 200 ...' (the current instance's log)
 *   server.containerLogs('default', 'web', 'nginx', { previous: true })  // => a 400 'previous terminated container "nginx" in pod "web" not found' before any restart
 *   server.exec('default', 'web', 'nginx', ['hostname'], done)         // => done({ stdout: 'web\n', stderr: '', exitCode: 0 })
 *   server.portForward('default', 'web', 80, done)                     // => done({ data: '<title>Welcome to nginx!</title>' })
 *   server.statsSummary(done)                                         // => done({ node: { memory: { availableBytes, ... }, ... }, pods: [...] })
 */
export interface KubeletServerOptions {
  sim: Simulation;
  node: string;
  containerd: Containerd;
  /** The pods bound to the node, as the kubelet's informer holds them. */
  pods: Lister<Pod>;
  /** What the pod's worker last made of it (a mirror pod's: its static pod's worker). */
  workerOf: (pod: Readonly<Pod>) => { status?: PodStatus; view?: PodRuntimeView } | undefined;
  /** status.startTime of each pod the kubelet knows, by uid. */
  podStartTimes: () => Map<string, string>;
  /** When the node booted (the kubelet started). */
  startedAtMs: () => number;
  imageFsCapacity: number;
  /** The node's own files (volumes), on the same disk as the images. */
  hostFs: HostFs;
  volumeUsage: (uid: string) => VolumeUsage[];
}

export class KubeletServer {
  constructor(private readonly o: KubeletServerOptions) {}

  /** GET /stats/summary: the node's and its pods' usage as the runtime reports it now (stats-summary.ts). */
  statsSummary(done: (summary: Summary) => void): void {
    const { containerd } = this.o;
    containerd.listPodSandboxStats({}, (err, res) => {
      containerd.imageFsInfo({}, (err2, fs) => {
        done(summarize({
          nodeName: this.o.node,
          nodeStartMs: this.o.startedAtMs(),
          nowMs: this.o.sim.now(),
          memoryCapacityBytes: capacityBytes(NODE_CAPACITY.memory),
          sandboxes: err === undefined ? res!.stats : [],
          podStartTimes: this.o.podStartTimes(),
          removedCpuCoreNanoSeconds: containerd.removedCpuCoreNanoSeconds(),
          disk: {
            capacityBytes: this.o.imageFsCapacity,
            imageFsUsedBytes: err2 === undefined ? fs!.imageFilesystems.reduce((sum, f) => sum + f.usedBytes, 0) : 0,
            otherUsedBytes: containerd.logsUsedBytes() + this.o.hostFs.usedBytes(),
          },
          podDisk: (pod) => ({ logs: (container) => containerd.logsUsedBytes(`${podLogDirectory(pod)}/${container}`), volumes: this.o.volumeUsage(pod.uid) }),
        }));
      });
    });
  }

  /** GET /containerLogs: the log file of the container's current instance (container-log-path.ts), or with `previous` of the one that exited before it. */
  containerLogs(namespace: string, podName: string, container: string | undefined, options: { previous?: boolean } = {}): string | StatusError {
    const pod = this.o.pods.get(`${namespace}/${podName}`);
    if (pod === undefined) return notFound({ group: '', resource: 'pods', name: podName });
    const w = this.o.workerOf(pod);
    const found = containerLogPath(podName, w?.status ?? pod.status, w?.view, container ?? pod.spec.containers[0].name, options.previous === true);
    if ('error' in found) return badRequest(found.error);
    const lines = this.o.containerd.readLog(found.path) ?? [];
    return lines.map((l) => l.split(' ').slice(3).join(' ')).join('\n');
  }

  /** POST /exec: the command run in the container's running instance (container-exec.ts). */
  exec(namespace: string, podName: string, container: string | undefined, command: readonly string[], done: (result: ExecResult | StatusError) => void): void {
    const pod = this.o.pods.get(`${namespace}/${podName}`);
    if (pod === undefined) return done(notFound({ group: '', resource: 'pods', name: podName }));
    execInContainer(this.o.containerd, this.o.workerOf(pod)?.view?.decision, container ?? pod.spec.containers[0].name, command, done);
  }

  /**
   * POST /portForward: one connection to `port` in the pod's network namespace, through the
   * runtime's PortForward (runtime/port-forward.ts): what the server there answers, or the
   * streaming server's error. A pod with no sandbox running: 'pod not found ("web_default")'.
   */
  portForward(namespace: string, podName: string, port: number, done: (result: PortForwardResult | StatusError) => void): void {
    const pod = this.o.pods.get(`${namespace}/${podName}`);
    if (pod === undefined) return done(notFound({ group: '', resource: 'pods', name: podName }));
    const sandbox = this.o.workerOf(pod)?.view?.decision.sandboxes.find((s) => s.ready);
    const missing = () => done(failure(500, 'InternalError', `pod not found (${JSON.stringify(`${podName}_${namespace}`)})`));
    if (sandbox === undefined) return missing();
    this.o.containerd.portForward({ podSandboxId: sandbox.id, port }, (err, res) => (err === undefined ? done(res!) : missing()));
  }
}
