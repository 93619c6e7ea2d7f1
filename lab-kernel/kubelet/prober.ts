import type { DefaultedProbe } from '../api/defaults';
import { goDuration } from '../api/time';
import type { Container, Pod } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import type { Containerd } from '../runtime/containerd';
import { connectErrorText, type HttpClient, type HttpOutcome } from '../runtime/node-network';
import type { Rng } from '../sim/rng';
import type { Simulation } from '../sim/simulation';
import { portNumber } from './container-port';
import { containerRef } from './pod-syncer';
import type { ProbeResult, ProbeType } from './probes-and-restarts-contract';

/**
 * The prober (pkg/kubelet/prober/prober.go): one probe of one container, by its handler.
 *
 *   exec       ExecSync in the container with the probe's timeout; exit code 0 = success.
 *              A failure's output is what the command printed: "cat: can't open '/tmp/healthy':
 *              No such file or directory"; past the timeout: 'command "sleep 5" timed out'.
 *   httpGet    GET http://<pod IP>:<port><path>; a status 200-399 = success, another is a failure
 *              'HTTP probe failed with statuscode: 400'. A closed port:
 *              'Get "http://10.244.1.2:8080/": dial tcp 10.244.1.2:8080: connect: connection refused'
 *   tcpSocket  a TCP connection to <pod IP>:<port>; open = success, else
 *              "dial tcp 10.244.1.2:8080: connect: connection refused"
 *   grpc       the gRPC health check (grpc.health.v1.Health/Check) on <pod IP>:<port>; SERVING =
 *              success. The client waits for a connection until the timeout: a closed port gives
 *              'timeout: failed to connect service "10.244.1.2:9000" within 1s: context deadline exceeded'
 *
 * It answers the outcome (success, failure, timeout) and the output; what the kubelet makes of
 * them (a timeout counts as a failure, the event Warning Unhealthy "Liveness probe failed:
 * <output>", the verdict) is the probe worker's question to probes-and-restarts. An error that
 * is no answer (the container is gone while ExecSync runs) is recorded here, as
 * "Liveness probe errored and resulted in unknown state: <error>", and answered 'Unknown': the
 * worker throws that probe away.
 *
 * The network handlers send their request over the packet network from the node's root
 * namespace to the pod IP (through cni0 and the pod's veth), with the probe's timeout: what
 * listens there answers (a server of the lab answers every path with 200, and every gRPC health
 * check with SERVING). The answer counts after the prober's own round trip (1-3 ms) or the
 * network's, whichever is longer. A request the network drops times out: 'Get "<url>": context
 * deadline exceeded (Client.Timeout exceeded while awaiting headers)', 'dial tcp <host>: i/o timeout'.
 */
/** 'Unknown': no answer from this probe (an error); the worker ignores it. */
export type ProbeRunResult = ProbeResult | 'Unknown';

export interface ProberDeps {
  sim: Simulation;
  /** The kubelet's name in the trace. */
  component: string;
  runtime: Pick<Containerd, 'execSync'>;
  /** HTTP from the node's root namespace over the packet network. */
  http: HttpClient;
  recorder: EventRecorder;
  /** The network's round trip to a pod, a few ms. */
  rng: Rng;
}

/** What one probe needs of the pod: its object, the container and its id, the pod IP. */
export interface ProbeTarget {
  pod: Readonly<Pod>;
  container: Readonly<Container>;
  containerId: string;
  podIP: string;
}

/** probeType.String(), as events say it: probeTypeName('liveness') => 'Liveness'. */
function probeTypeName(type: ProbeType): string {
  return type[0].toUpperCase() + type.slice(1);
}

/**
 * Runs the probe and answers its result, after the time the probe takes.
 *   runProbe(deps, 'liveness', probe, { pod, container: web, containerId, podIP }, (r) => ...)
 *   // cat /tmp/healthy on a container without the file
 *   // => { outcome: 'failure', output: "cat: can't open '/tmp/healthy': No such file or directory\n" }
 */
export function runProbe(d: ProberDeps, type: ProbeType, probe: Readonly<DefaultedProbe>, target: ProbeTarget, done: (result: ProbeRunResult) => void): void {
  const answer = (outcome: ProbeResult | { error: string }) => {
    if ('error' in outcome) {
      d.recorder.event(containerRef(target.pod, target.container), 'Warning', 'Unhealthy', `${probeTypeName(type)} probe errored and resulted in unknown state: ${outcome.error}`);
      return done('Unknown');
    }
    done(outcome);
  };
  const timeoutSeconds = probe.timeoutSeconds;
  if (probe.exec !== undefined) {
    const cmd = probe.exec.command;
    return d.runtime.execSync({ containerId: target.containerId, cmd, timeout: timeoutSeconds }, (err, res) => {
      if (err?.code === 'DeadlineExceeded') return answer({ outcome: 'timeout', output: `command "${cmd.join(' ')}" timed out` });
      if (err !== undefined) return answer({ error: err.message });
      answer({ outcome: res!.exitCode === 0 ? 'success' : 'failure', output: res!.stdout + res!.stderr });
    });
  }
  const handler = probe.httpGet ?? probe.tcpSocket ?? probe.grpc;
  if (handler === undefined) return answer({ error: `missing probe handler for ${target.pod.metadata.name}:${target.container.name}` });
  const port = portNumber(handler.port, target.container);
  if (port === undefined) return answer({ error: `unable to find port "${handler.port}" in container ${target.container.name}` });
  const host = `${target.podIP}:${port}`;
  const start = d.sim.now();
  const roundTrip = d.rng.between(1, 3);
  const timeoutMs = timeoutSeconds * 1000;
  /** The outcome, `ms` after the probe started (at once, if that is past). */
  const at = (ms: number, outcome: Parameters<typeof answer>[0]) => d.sim.after(Math.max(0, start + ms - d.sim.now()), () => answer(outcome));
  const request = probe.httpGet === undefined ? undefined : { method: 'GET' as const, path: probe.httpGet.path };
  d.http(target.podIP, port, request, timeoutMs, (r: HttpOutcome) => {
    const refused = typeof r === 'string' && r !== 'ETIMEDOUT' ? `dial tcp ${host}: connect: ${connectErrorText(r)}` : undefined;
    if (probe.httpGet !== undefined) {
      const url = `${probe.httpGet.scheme.toLowerCase()}://${host}${probe.httpGet.path}`;
      if (r === 'ETIMEDOUT') return void at(timeoutMs, { outcome: 'timeout', output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
      if (refused !== undefined) return void at(roundTrip, { outcome: 'failure', output: `Get "${url}": ${refused}` });
      const code = (r as Exclude<HttpOutcome, string>).code;
      return void at(roundTrip, code >= 200 && code < 400 ? { outcome: 'success', output: '' } : { outcome: 'failure', output: `HTTP probe failed with statuscode: ${code}` });
    }
    if (probe.tcpSocket !== undefined) {
      if (r === 'ETIMEDOUT') return void at(timeoutMs, { outcome: 'timeout', output: `dial tcp ${host}: i/o timeout` });
      return void at(roundTrip, refused === undefined ? { outcome: 'success', output: '' } : { outcome: 'failure', output: refused });
    }
    if (typeof r !== 'string') return void at(roundTrip, { outcome: 'success', output: 'service healthy' });
    at(timeoutMs, { outcome: 'timeout', output: `timeout: failed to connect service "${host}" within ${goDuration(timeoutMs)}: context deadline exceeded` });
  });
}
