import { describe, expect, it } from 'vitest';
import { createCluster, type Cluster } from '../cluster/cluster';
import { setAllocatable } from '../kubectl/node-allocatable';
import { failedAttempts as attemptsIn } from '../viz/scheduling-attempts';
import { MAX_IN_UNSCHEDULABLE_MS } from './scheduling-queue';

/** When the scheduler tried the pod and failed (its error lines in the trace), from `since` on. */
const failedAttempts = (cluster: Cluster, name: string, since: number) => attemptsIn(cluster.trace, `default/${name}`, since);

/**
 * QueueingHints in a whole cluster (control plane tainted NoSchedule, node-1 and node-2 with
 * 4 CPUs each): which node changes retry a pending pod, and which leave it waiting for the
 * 5-minute flush.
 */
function pod(name: string, cpu: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n  containers: [{ name: c, image: nginx, resources: { requests: { cpu: "${cpu}" } } }]\n`;
}

const nodeOf = (cluster: Cluster, name: string) => cluster.scheduler.pods.lister.get(`default/${name}`)?.spec.nodeName;

function relabel(cluster: Cluster, node: string, value: string): void {
  cluster.kubectl.patch('nodes', node, { metadata: { labels: { tick: value } } }, { type: 'merge' });
}

describe('QueueingHints in a cluster (SchedulerQueueingHints, on by default in 1.32)', () => {
  it('a pod too big for every node stays unschedulable through label-only node updates, and is scheduled within 2 s of an allocatable increase that makes it fit', () => {
    const cluster = createCluster({ seed: 5 });
    const t0 = cluster.now();
    cluster.apply(pod('big', '6'));
    expect(cluster.runUntil(() => failedAttempts(cluster, 'big', t0).length > 0, 5_000)).toBe(true);
    for (let i = 0; i < 20; i++) {
      relabel(cluster, 'node-1', String(i));
      cluster.runFor(1_000);
    }
    expect(failedAttempts(cluster, 'big', t0), 'no retry: NodeResourcesFit and TaintToleration skip label changes').toHaveLength(1);
    expect(cluster.scheduler.queue.whereIs('default/big')).toBe('unschedulable');
    const grown = cluster.now();
    setAllocatable(cluster.kubectl, 'node-1', { cpu: '8' });
    expect(cluster.runUntil(() => nodeOf(cluster, 'big') === 'node-1', 60_000)).toBe(true);
    expect(cluster.now() - grown, 'retried on the event, not by the 5-minute flush').toBeLessThan(2_000);
  });

  it('a pod rejected by TaintToleration is retried when the taint is removed, not when an unrelated label changes', () => {
    const cluster = createCluster({ seed: 6 });
    const taint = [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }];
    for (const node of ['node-1', 'node-2']) cluster.kubectl.patch('nodes', node, { spec: { taints: taint } }, { type: 'merge' });
    cluster.runFor(1_000);
    const t0 = cluster.now();
    cluster.apply(pod('web', '100m'));
    expect(cluster.runUntil(() => failedAttempts(cluster, 'web', t0).length > 0, 5_000)).toBe(true);
    cluster.runFor(15_000);
    relabel(cluster, 'node-1', 'x');
    cluster.runFor(15_000);
    expect(failedAttempts(cluster, 'web', t0), 'the label change did not retry it').toHaveLength(1);
    expect(cluster.scheduler.queue.whereIs('default/web')).toBe('unschedulable');
    const untainted = cluster.now();
    cluster.kubectl.patch('nodes', 'node-1', { spec: { taints: null } }, { type: 'merge' });
    expect(cluster.runUntil(() => nodeOf(cluster, 'web') === 'node-1', 60_000)).toBe(true);
    expect(cluster.now() - untainted).toBeLessThan(2_000);
  });

  it('the same too-big pod is retried by the 5-minute leftover flush when nothing relevant happens: after more than 5 min, within 5 min 30 s', () => {
    const cluster = createCluster({ seed: 5 });
    const t0 = cluster.now();
    cluster.apply(pod('big', '6'));
    expect(cluster.runUntil(() => failedAttempts(cluster, 'big', t0).length > 0, 5_000)).toBe(true);
    const first = failedAttempts(cluster, 'big', t0)[0];
    relabel(cluster, 'node-2', 'quiet');
    cluster.runFor(MAX_IN_UNSCHEDULABLE_MS + 40_000);
    const attempts = failedAttempts(cluster, 'big', t0);
    expect(attempts.length, 'one retry in 5 min 40 s').toBe(2);
    expect(attempts[1] - first).toBeGreaterThan(MAX_IN_UNSCHEDULABLE_MS);
    expect(attempts[1] - first).toBeLessThanOrEqual(MAX_IN_UNSCHEDULABLE_MS + 30_000);
    expect(nodeOf(cluster, 'big')).toBeUndefined();
  });

  it('retries a leftover pod on the flush loop\'s 30 s beat, counted from the scheduler\'s start, not from the pod\'s failure', () => {
    /** One cluster (the same seed: the same start), the pod applied `delayMs` after boot: its failure and its retry. */
    const run = (delayMs: number) => {
      const cluster = createCluster({ seed: 5 });
      cluster.runFor(delayMs);
      const t0 = cluster.now();
      cluster.apply(pod('big', '6'));
      cluster.runFor(MAX_IN_UNSCHEDULABLE_MS + 60_000);
      return failedAttempts(cluster, 'big', t0);
    };
    const [now, later] = [run(0), run(10_000)];
    expect(later[0] - now[0], 'the second pod failed about 10 s later').toBeGreaterThan(9_000);
    expect((later[1] - now[1]) % 30_000, 'yet both retries fall on the same 30 s beat').toBe(0);
    for (const attempts of [now, later]) expect(attempts[1] - attempts[0]).toBeGreaterThan(MAX_IN_UNSCHEDULABLE_MS);
  });
});
