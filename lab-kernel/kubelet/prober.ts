import type { DefaultedProbe } from '../api/defaults';
import { objectKey } from '../api/resources';
import { goDuration } from '../api/time';
import type { Container, Pod } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import type { Containerd } from '../runtime/containerd';
import type { Rng } from '../sim/rng';
import type { Simulation } from '../sim/simulation';
import { containerRef } from './pod-syncer';

/**
 * The prober (pkg/kubelet/prober/prober.go): one probe of one container, by its handler, and
 * the Unhealthy event when it fails.
 *
 *   exec       ExecSync in the container with the probe's timeout; exit code 0 = success.
 *              A failure's output is what the command printed: "cat: can't open '/tmp/healthy':
 *              No such file or directory"; past the timeout: 'command "sleep 5" timed out'.
 *   httpGet    GET http://<pod IP>:<port><path>; a status 200-399 = success. A closed port:
 *              'Get "http://10.244.1.2:8080/": dial tcp 10.244.1.2:8080: connect: connection refused'
 *   tcpSocket  a TCP connection to <pod IP>:<port>; open = success, else
 *              "dial tcp 10.244.1.2:8080: connect: connection refused"
 *   grpc       the gRPC health check (grpc.health.v1.Health/Check) on <pod IP>:<port>; SERVING =
 *              success. The client waits for a connection until the timeout: a closed port gives
 *              'timeout: failed to connect service "10.244.1.2:9000" within 1s: context deadline exceeded'
 *
 * and records, on the container: Warning Unhealthy "Liveness probe failed: <output>" (Readiness,
 * Startup), also traced as the kubelet's action.
 * A probe that succeeds is not traced: it happens every period. An error that is no answer (the container is gone while ExecSync runs) is
 * "Liveness probe errored and resulted in unknown state: <error>": the worker throws that
 * probe away.
 *
 * The network handlers ask the node's runtime what the pod's listening process answers
 * (Containerd.answerOn): it stands for the request the kubelet sends to the pod IP. A server of
 * the lab answers every path with 200, and every gRPC health check with SERVING.
 */
export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** 'Unknown': no verdict from this probe (an error); the worker ignores it. */
export type ProbeRunResult = 'Success' | 'Failure' | 'Unknown';

export interface ProberDeps {
  sim: Simulation;
  /** The kubelet's name in the trace. */
  component: string;
  runtime: Pick<Containerd, 'execSync' | 'answerOn'>;
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
 *   // cat /tmp/healthy on a container without the file => 'Failure', and the event
 *   //   Warning Unhealthy "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n"
 */
export function runProbe(d: ProberDeps, type: ProbeType, probe: Readonly<DefaultedProbe>, target: ProbeTarget, done: (result: ProbeRunResult) => void): void {
  const ref = containerRef(target.pod, target.container);
  const answer = (outcome: { result: 'Success' | 'Failure'; output: string } | { error: string }) => {
    if ('error' in outcome) {
      d.recorder.event(ref, 'Warning', 'Unhealthy', `${probeTypeName(type)} probe errored and resulted in unknown state: ${outcome.error}`);
      return done('Unknown');
    }
    if (outcome.result === 'Failure') {
      const message = `${probeTypeName(type)} probe failed: ${outcome.output}`;
      d.recorder.event(ref, 'Warning', 'Unhealthy', message);
      d.sim.trace.action(d.sim.now(), d.component, `${objectKey(target.pod)}/${target.container.name}: ${message.trimEnd()}`, { probe: type, result: 'Failure' });
    }
    done(outcome.result);
  };
  const timeoutSeconds = probe.timeoutSeconds;
  if (probe.exec !== undefined) {
    const cmd = probe.exec.command;
    return d.runtime.execSync({ containerId: target.containerId, cmd, timeout: timeoutSeconds }, (err, res) => {
      if (err?.code === 'DeadlineExceeded') return answer({ result: 'Failure', output: `command "${cmd.join(' ')}" timed out` });
      if (err !== undefined) return answer({ error: err.message });
      answer({ result: res!.exitCode === 0 ? 'Success' : 'Failure', output: res!.stdout + res!.stderr });
    });
  }
  const handler = probe.httpGet ?? probe.tcpSocket ?? probe.grpc;
  if (handler === undefined) return answer({ error: `missing probe handler for ${target.pod.metadata.name}:${target.container.name}` });
  const port = portNumber(handler.port, target.container);
  if (port === undefined) return answer({ error: `unable to find port "${handler.port}" in container ${target.container.name}` });
  const host = `${target.podIP}:${port}`;
  const open = d.runtime.answerOn(target.podIP, port) !== undefined;
  const roundTrip = d.rng.between(1, 3);
  const later = (ms: number, outcome: Parameters<typeof answer>[0]) => d.sim.after(ms, () => answer(outcome));
  if (probe.httpGet !== undefined) {
    const url = `${probe.httpGet.scheme.toLowerCase()}://${host}${probe.httpGet.path}`;
    return void later(roundTrip, open ? { result: 'Success', output: '' } : { result: 'Failure', output: `Get "${url}": dial tcp ${host}: connect: connection refused` });
  }
  if (probe.tcpSocket !== undefined) {
    return void later(roundTrip, open ? { result: 'Success', output: '' } : { result: 'Failure', output: `dial tcp ${host}: connect: connection refused` });
  }
  if (open) return void later(roundTrip, { result: 'Success', output: 'service healthy' });
  later(timeoutSeconds * 1000, { result: 'Failure', output: `timeout: failed to connect service "${host}" within ${goDuration(timeoutSeconds * 1000)}: context deadline exceeded` });
}

/** A port by number, or by the name of one of the container's ports (its containerPort). */
function portNumber(port: number | string, container: Readonly<Container>): number | undefined {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port)?.containerPort;
  return named ?? (/^\d+$/.test(port) ? Number(port) : undefined);
}
