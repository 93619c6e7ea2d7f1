import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { Simulation } from '../sim/simulation';
import { TerminationOrdering, terminationOrdering } from './termination-ordering';

const pod = (inits: { name: string; always?: boolean }[], main: string[]): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    initContainers: inits.map((c) => ({ name: c.name, image: 'busybox:1.36', ...(c.always ? { restartPolicy: 'Always' } : {}) })),
    containers: main.map((name) => ({ name, image: 'nginx:1.27' })),
  },
});

describe('the order in which a pod stops its containers (sidecars last, in reverse)', () => {
  it('makes each sidecar wait for every app container and for the sidecars defined after it; plain init containers wait for nothing', () => {
    const o = new TerminationOrdering(new Simulation({ seed: 1 }), pod([{ name: 'setup' }, { name: 'proxy', always: true }, { name: 'logger', always: true }], ['app', 'worker']), ['proxy', 'logger', 'app', 'worker']);
    expect(['app', 'worker', 'setup', 'logger', 'proxy'].map((n) => [n, o.prerequisites(n)])).toEqual([
      ['app', []], ['worker', []], ['setup', []], ['logger', ['app', 'worker']], ['proxy', ['app', 'worker', 'logger']],
    ]);
  });

  it('lets a sidecar go once its prerequisites have exited, or when its grace period runs out, saying how long it waited', () => {
    const sim = new Simulation({ seed: 1 });
    const o = new TerminationOrdering(sim, pod([{ name: 'proxy', always: true }], ['app']), ['proxy', 'app']);
    const waited: number[] = [];
    o.waitForTurn('proxy', 30, (s) => waited.push(s));
    sim.after(4_000, () => o.terminated('app'));
    sim.runFor(10_000);
    expect(waited).toEqual([4]);
    const stuck = new TerminationOrdering(sim, pod([{ name: 'proxy', always: true }], ['app']), ['proxy', 'app']);
    stuck.waitForTurn('proxy', 3, (s) => waited.push(s));
    sim.runFor(10_000);
    expect(waited).toEqual([4, 3]);
  });

  it('is not needed when no sidecar runs', () => {
    expect(terminationOrdering(new Simulation({ seed: 1 }), pod([{ name: 'setup' }], ['app']), ['app'])).toBeUndefined();
  });

  it("stops a deleted pod's app container first and its sidecar only once the app has exited, with what is left of the grace period", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  nodeName: node-1
  terminationGracePeriodSeconds: 30
  initContainers: [{ name: proxy, image: busybox:1.36, restartPolicy: Always, command: [sleep, infinity] }]
  containers: [{ name: app, image: busybox:1.36, command: [sh, -c, "sleep 3600"] }]
`);
    cluster.runUntil(() => cluster.kubectl.getObjects<Pod>('pods', 'web')[0]?.status?.phase === 'Running', 30_000);
    const from = cluster.now();
    cluster.kubectl.delete('pod', 'web', { wait: false });
    cluster.runFor(70_000);
    const signals = cluster.trace.all()
      .filter((e) => e.time >= from && e.actor === 'containerd/node-1' && e.summary.startsWith('sent '))
      .map((e) => `${Math.floor((e.time - from) / 1000)} s ${e.summary.replace(/ \([0-9a-f]{13}\)/, '')}`);
    // busybox's sh and sleep as PID 1 ignore SIGTERM: the app is SIGKILLed when its 30 s run out, and only then does
    // the sidecar get its SIGTERM, with the minimum 2 s left (30 waited of 30), then its SIGKILL.
    expect(signals).toEqual([
      '0 s sent SIGTERM to container app',
      '30 s sent SIGKILL to container app after 30s',
      '30 s sent SIGTERM to container proxy',
      '32 s sent SIGKILL to container proxy after 2s',
    ]);
  });
});
