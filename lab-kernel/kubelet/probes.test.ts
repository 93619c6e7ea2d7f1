import { describe, expect, it } from 'vitest';
import type { KubeEvent, Pod } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';
import { traceQuery } from '../viz/trace-query';

/** A pod bound to node-1 straight away (no scheduler in the way), on the CRI kubelet. */
function podOnNode1(spec: string): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: default }\nspec:\n  nodeName: node-1\n${spec}`);
  return cluster;
}
const pod = (cluster: Cluster) => cluster.apiServer.cache.get('pods', 'default', 'p') as Pod | undefined;
const events = (cluster: Cluster) => (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.name === 'p').map((e) => `${e.type} ${e.reason}: ${e.message}`);
const kubelet = (cluster: Cluster, summary: string | RegExp) => traceQuery(cluster.trace, { actor: 'kubelet/node-1', summary }).map((e) => e.time);
/** Runs the cluster in 100 ms steps; what `see` said at each step, with the time. */
function watch<T>(cluster: Cluster, ms: number, see: () => T): { time: number; seen: T }[] {
  const out: { time: number; seen: T }[] = [];
  for (let t = 0; t < ms; t += 100) {
    cluster.runFor(100);
    out.push({ time: cluster.now(), seen: see() });
  }
  return out;
}

describe('the kubelet probes its containers (liveness, readiness, startup)', () => {
  it("restarts a container whose exec liveness probe fails 3 times, 10 s apart (the docs' liveness exec example)", () => {
    const cluster = podOnNode1(`  containers:
  - name: liveness
    image: busybox:1.36
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe: { exec: { command: [cat, /tmp/healthy] }, initialDelaySeconds: 5 }
`);
    cluster.runFor(120_000);
    const [started, restarted] = kubelet(cluster, 'StartContainer default/p/liveness');
    const failures = kubelet(cluster, "default/p/liveness: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
    // The file goes 30 s after the start; the next three probes fail, 10 s apart (periodSeconds' default).
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures[0] - started).toBeGreaterThan(30_000);
    expect(failures[0] - started).toBeLessThanOrEqual(30_000 + 10_000 + 100);
    expect([failures[1] - failures[0], failures[2] - failures[1]].map((gap) => Math.round(gap / 1_000))).toEqual([10, 10]);
    const [verdict] = kubelet(cluster, 'default/p/liveness: liveness is Failure');
    expect(verdict).toBe(failures[2]);
    // Killed at once; sh as PID 1 ignores SIGTERM, so it dies by SIGKILL after the 30 s grace period, then starts again.
    const [stop] = kubelet(cluster, 'StopContainer default/p/liveness');
    expect(stop - verdict).toBeLessThan(100);
    expect(restarted - stop).toBeGreaterThanOrEqual(30_000);
    expect(restarted - stop).toBeLessThan(32_000);
    expect(pod(cluster)!.status!.containerStatuses![0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 137 } }, state: { running: {} } });
    expect(events(cluster)).toEqual(expect.arrayContaining([
      "Warning Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
      'Normal Killing: Container liveness failed liveness probe, will be restarted',
    ]));
  });

  it('makes a pod with a readiness probe on nginx\'s port 80 Ready only once the probe succeeds, after its initial delay', () => {
    const cluster = podOnNode1('  containers: [{ name: web, image: nginx:1.27, readinessProbe: { httpGet: { path: /, port: 80 }, initialDelaySeconds: 5 } }]\n');
    const seen = watch(cluster, 30_000, () => {
      const s = pod(cluster)?.status;
      return { phase: s?.phase, ready: s?.conditions?.find((c) => c.type === 'Ready')?.status, containerReady: s?.containerStatuses?.[0].ready };
    });
    const [started] = kubelet(cluster, 'StartContainer default/p/web');
    const [success] = kubelet(cluster, 'default/p/web: readiness is Success');
    expect(success - started).toBeGreaterThanOrEqual(5_000);
    expect(success - started).toBeLessThanOrEqual(5_000 + 10_000 + 1_000);
    const firstReady = seen.find((s) => s.seen.ready === 'True')!.time;
    expect(firstReady).toBeGreaterThanOrEqual(success);
    expect(seen.filter((s) => s.time < success).every((s) => s.seen.ready !== 'True' && s.seen.containerReady !== true)).toBe(true);
    expect(seen.some((s) => s.seen.phase === 'Running' && s.seen.ready === 'False')).toBe(true);
    expect(pod(cluster)!.status!.containerStatuses![0]).toMatchObject({ ready: true, started: true });
    expect(events(cluster).filter((e) => e.includes('Unhealthy'))).toEqual([]);
  });

  it('keeps a pod whose readiness probe asks a closed port Running but not Ready, with the Unhealthy event', () => {
    const cluster = podOnNode1('  containers: [{ name: web, image: nginx:1.27, readinessProbe: { httpGet: { path: /healthz, port: 8080 } } }]\n');
    cluster.runFor(60_000);
    const s = pod(cluster)!.status!;
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses![0]).toMatchObject({ ready: false, started: true, restartCount: 0 });
    expect(s.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
    expect(s.conditions!.find((c) => c.type === 'ContainersReady')).toMatchObject({ status: 'False' });
    expect(events(cluster)).toContain('Warning Unhealthy: Readiness probe failed: Get "http://10.244.1.2:8080/healthz": dial tcp 10.244.1.2:8080: connect: connection refused');
    expect(kubelet(cluster, /StopContainer/)).toEqual([]); // readiness never restarts a container
    expect(cluster.kubectl.get('pods').rows[0].slice(1, 3)).toEqual(['0/1', 'Running']);
  });

  it('holds the liveness probe back until the startup probe succeeds: a slow start is not killed', () => {
    // Starts in 20 s; a liveness probe failing at once (failureThreshold 1) would kill it if it ran before.
    const cluster = podOnNode1(`  containers:
  - name: slow
    image: busybox:1.36
    command: [sh, -c, "sleep 20; touch /tmp/started; sleep 600"]
    startupProbe: { exec: { command: [cat, /tmp/started] }, periodSeconds: 5, failureThreshold: 10 }
    livenessProbe: { exec: { command: [cat, /tmp/started] }, periodSeconds: 5, failureThreshold: 1 }
`);
    const seen = watch(cluster, 60_000, () => pod(cluster)?.status?.containerStatuses?.[0].started);
    const [started] = kubelet(cluster, 'StartContainer default/p/slow');
    const [startupSuccess] = kubelet(cluster, 'default/p/slow: startup is Success');
    expect(startupSuccess - started).toBeGreaterThanOrEqual(20_000);
    expect(startupSuccess - started).toBeLessThanOrEqual(25_000 + 100);
    expect(kubelet(cluster, /Startup probe failed/).length).toBeGreaterThanOrEqual(3);
    expect(kubelet(cluster, /Liveness probe failed|liveness is Failure|StopContainer/)).toEqual([]);
    expect(seen.filter((s) => s.time < startupSuccess).every((s) => s.seen !== true)).toBe(true);
    expect(pod(cluster)!.status!.containerStatuses![0]).toMatchObject({ started: true, ready: true, restartCount: 0 });
  });

  it('kills a container whose startup probe fails failureThreshold times: "failed startup probe, will be restarted"', () => {
    const cluster = podOnNode1('  containers: [{ name: app, image: busybox:1.36, command: [sleep, "3600"], startupProbe: { exec: { command: [cat, /tmp/never] }, periodSeconds: 2, failureThreshold: 3 } }]\n');
    cluster.runFor(20_000);
    expect(kubelet(cluster, 'default/p/app: startup is Failure')).toHaveLength(1);
    expect(events(cluster)).toContain('Normal Killing: Container app failed startup probe, will be restarted');
    expect(pod(cluster)!.status!.containerStatuses![0].started).toBe(false);
  });
});
