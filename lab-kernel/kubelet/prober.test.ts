import { describe, expect, it } from 'vitest';
import { withProbeDefaults } from '../api/defaults';
import type { Pod, Probe } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import type { Containerd } from '../runtime/containerd';
import type { HttpClient } from '../runtime/node-network';
import { Simulation } from '../sim/simulation';
import { runProbe, type ProbeRunResult } from './prober';

/** One probe against a pod at 10.244.1.2 whose process listens on port 80 (and answers 400 on 8080); other IPs do not answer; the result and the events (only an error records one here). */
function probeOnce(probe: Probe, podIP = '10.244.1.2'): { result?: ProbeRunResult; after: number; events: string[] } {
  const sim = new Simulation({ seed: 1 });
  const events: string[] = [];
  const recorder = { event: (_ref: unknown, type: string, reason: string, message: string) => events.push(`${type} ${reason}: ${message}`) } as unknown as EventRecorder;
  const runtime = { execSync: () => undefined } as unknown as Pick<Containerd, 'execSync'>;
  const http: HttpClient = (ip, port, _req, _timeoutMs, done) => done(ip !== '10.244.1.2' ? 'ETIMEDOUT' : port === 80 ? { code: 200, body: 'ok' } : port === 8080 ? { code: 400, body: 'Bad request' } : 'ECONNREFUSED');
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] } } as Pod;
  let result: ProbeRunResult | undefined;
  runProbe({ sim, component: 'kubelet/node-1', runtime, http, recorder, rng: sim.rng('probe') }, 'readiness', withProbeDefaults(probe), { pod, container: pod.spec.containers[0], containerId: 'c1', podIP }, (r) => (result = r));
  sim.runUntil(() => result !== undefined, 10_000);
  return { result, after: sim.now(), events };
}

describe('the prober: one probe by its handler, and what it answers', () => {
  it.each([
    ['does an httpGet on a listening port (by name) succeed?', { httpGet: { port: 'http' } }, { outcome: 'success', output: '' }, []],
    ['does a tcpSocket on a listening port succeed?', { tcpSocket: { port: 80 } }, { outcome: 'success', output: '' }, []],
    ['does a grpc health check on a listening port succeed (SERVING)?', { grpc: { port: 80 } }, { outcome: 'success', output: 'service healthy' }, []],
    ['does a tcpSocket on a closed port fail with connection refused?', { tcpSocket: { port: 81 } }, { outcome: 'failure', output: 'dial tcp 10.244.1.2:81: connect: connection refused' }, []],
    ['does an httpGet on a closed port fail as Go\'s client says?', { httpGet: { port: 8081 } }, { outcome: 'failure', output: 'Get "http://10.244.1.2:8081/": dial tcp 10.244.1.2:8081: connect: connection refused' }, []],
    ['does an httpGet answered 400 fail with the status code?', { httpGet: { port: 8080 } }, { outcome: 'failure', output: 'HTTP probe failed with statuscode: 400' }, []],
    ['does a grpc check on a closed port time out?', { grpc: { port: 9000 } }, { outcome: 'timeout', output: 'timeout: failed to connect service "10.244.1.2:9000" within 1s: context deadline exceeded' }, []],
    ['does a probe on a port the container does not name error, with the errored event?', { tcpSocket: { port: 'metrics' } }, 'Unknown', ['Warning Unhealthy: Readiness probe errored and resulted in unknown state: unable to find port "metrics" in container web']],
  ] as const)('%s', (_q, probe, result, events) => {
    const run = probeOnce(probe as Probe);
    expect([run.result, run.events]).toEqual([result, events]);
  });

  it('does a grpc check on a closed port take its whole timeout, a refused TCP connection only a round trip?', () => {
    expect(probeOnce({ grpc: { port: 9000 }, timeoutSeconds: 2 }).after).toBe(2_000);
    expect(probeOnce({ tcpSocket: { port: 81 } }).after).toBeLessThan(10);
  });

  it('does a probe whose packets the network drops time out after timeoutSeconds, as Go\'s client says?', () => {
    expect(probeOnce({ httpGet: { port: 80 }, timeoutSeconds: 2 }, '10.244.9.9')).toEqual({
      result: { outcome: 'timeout', output: 'Get "http://10.244.9.9:80/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)' },
      after: 2_000,
      events: [],
    });
    expect(probeOnce({ tcpSocket: { port: 80 } }, '10.244.9.9').result).toEqual({ outcome: 'timeout', output: 'dial tcp 10.244.9.9:80: i/o timeout' });
  });
});
