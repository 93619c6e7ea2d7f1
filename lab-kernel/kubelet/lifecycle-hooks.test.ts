import { describe, expect, it } from 'vitest';
import type { KubeEvent, Pod } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';
import { traceQuery } from '../viz/trace-query';

/** A pod bound to node-1 straight away, running; `spec` is the pod's spec, indented two spaces. */
function running(spec: string): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: default }\nspec:\n  nodeName: node-1\n${spec}`);
  cluster.runUntil(() => pod(cluster)?.status?.phase === 'Running', 20_000);
  return cluster;
}
const pod = (cluster: Cluster) => cluster.apiServer.cache.get('pods', 'default', 'p') as Pod | undefined;
const events = (cluster: Cluster) => (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.name === 'p').map((e) => `${e.reason}: ${e.message}`);
/** ms after `since` of the first trace entry whose summary matches. */
const at = (cluster: Cluster, since: number, summary: string | RegExp) => traceQuery(cluster.trace, { since, summary })[0]?.time - since;

describe('lifecycle hooks (postStart, preStop)', () => {
  it('runs the preStop hook before the stop signal: nginx with preStop sleep 5 gets SIGQUIT 5 s after the delete', () => {
    const cluster = running('  containers:\n  - name: web\n    image: nginx:1.27\n    lifecycle: { preStop: { exec: { command: [/bin/sh, -c, sleep 5] } } }\n');
    const t = cluster.now();
    cluster.kubectl.delete('pod', 'p');
    expect(cluster.runUntil(() => pod(cluster) === undefined, 40_000)).toBe(true);
    const stop = at(cluster, t, 'StopContainer default/p/web');
    expect(stop).toBeGreaterThanOrEqual(5_000);
    expect(stop).toBeLessThan(5_500);
    expect(at(cluster, t, /^sent SIGQUIT to container web/)).toBeGreaterThanOrEqual(stop);
    expect(traceQuery(cluster.trace, { since: t, summary: /^sent SIGKILL/ })).toHaveLength(0);
  });

  it("takes the hook's time off the grace period: preStop sleep 5 with grace 10 leaves 5 s before SIGKILL", () => {
    const cluster = running('  terminationGracePeriodSeconds: 10\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sleep, "3600"]\n    lifecycle: { preStop: { sleep: { seconds: 5 } } }\n');
    const t = cluster.now();
    cluster.kubectl.delete('pod', 'p');
    cluster.runUntil(() => pod(cluster) === undefined, 40_000);
    const kill = traceQuery(cluster.trace, { since: t, summary: /^sent SIGKILL to container app/ });
    expect(kill.map((e) => e.summary.replace(/\(\w+\)/, '(id)'))).toEqual(['sent SIGKILL to container app (id) after 5s']);
    expect(kill[0].time - t).toBeGreaterThanOrEqual(10_000);
    expect(kill[0].time - t).toBeLessThan(10_500);
  });

  it('stops waiting for a preStop hook longer than the grace period: SIGTERM at the grace period, SIGKILL 2 s later (minimumGracePeriodInSeconds)', () => {
    const cluster = running('  terminationGracePeriodSeconds: 10\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sleep, "3600"]\n    lifecycle: { preStop: { exec: { command: [sleep, "60"] } } }\n');
    const t = cluster.now();
    cluster.kubectl.delete('pod', 'p');
    cluster.runUntil(() => pod(cluster) === undefined, 40_000);
    const term = at(cluster, t, /^sent SIGTERM to container app/);
    expect(term).toBeGreaterThanOrEqual(10_000);
    expect(term).toBeLessThan(10_500);
    const kill = traceQuery(cluster.trace, { since: t, summary: /^sent SIGKILL to container app/ });
    expect(kill[0].summary).toMatch(/after 2s$/);
    expect(kill[0].time - t - term).toBe(2_000);
  });

  it("records FailedPreStopHook without the hook's message and stops the container anyway", () => {
    const cluster = running('  containers:\n  - name: web\n    image: nginx:1.27\n    lifecycle: { preStop: { httpGet: { path: /shutdown, port: 8080 } } }\n');
    const t = cluster.now();
    cluster.kubectl.delete('pod', 'p');
    expect(cluster.runUntil(() => pod(cluster) === undefined, 40_000)).toBe(true);
    expect(at(cluster, t, 'StopContainer default/p/web')).toBeLessThan(500);
    expect(events(cluster)).toContain('FailedPreStopHook: PreStopHook failed');
  });

  it('kills a container whose postStart hook fails: FailedPostStartHook with the message, Killing "FailedPostStartHook", then restarts it', () => {
    const cluster = running('  containers:\n  - name: web\n    image: nginx:1.27\n    lifecycle: { postStart: { exec: { command: [sh, -c, "echo no; exit 1"] } } }\n');
    cluster.runFor(15_000);
    const uid = pod(cluster)!.metadata.uid;
    expect(events(cluster)).toContain(`FailedPostStartHook: Exec lifecycle hook ([sh -c echo no; exit 1]) for Container "web" in Pod "p_default(${uid})" failed - error: command 'sh -c echo no; exit 1' exited with 1: , message: "no\\n"`);
    expect(events(cluster)).toContain('Killing: FailedPostStartHook');
    expect(traceQuery(cluster.trace, { summary: 'StartContainer default/p/web' }).length).toBeGreaterThanOrEqual(2);
    expect(pod(cluster)!.status!.containerStatuses![0].restartCount).toBeGreaterThanOrEqual(1);
  });

  it('starts the next container only after a postStart hook has run', () => {
    const cluster = running('  containers:\n  - name: first\n    image: nginx:1.27\n    lifecycle: { postStart: { sleep: { seconds: 3 } } }\n  - name: second\n    image: busybox:1.36\n    command: [sleep, "3600"]\n');
    const starts = traceQuery(cluster.trace, { summary: /^StartContainer default\/p\// }).map((e) => e.time);
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(3_000);
  });
});
