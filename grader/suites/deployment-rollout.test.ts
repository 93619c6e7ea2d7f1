/**
 * Grader suite for exercise `deployment-rollout` (exercises/deployment/rollout.ts).
 *
 * Part by part through rolloutStep, on table cases from kube-controller-manager's own
 * (rolling_test.go: reconcileNewReplicaSet, reconcileOldReplicaSets, cleanupUnhealthyReplicas,
 * scaleDownOldReplicaSetsForRollingUpdate; deployment_util.go's ResolveFenceposts examples);
 * then whole rollouts, step after step, on numbers; then a whole cluster running your step.
 */
import { describe, expect, it } from 'vitest';
import type { IntOrString } from '../../lab-kernel/api/types';
import type { CoreEvent } from '../../lab-kernel/client/core-event';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import type { ReplicaSetCounts, RolloutInput } from '../../lab-kernel/controllers/deployment/rollout-contract';
import { NGINX_DEPLOYMENT, replicaSetsOf, rolledOut, watchRollout } from '../../lab-kernel/controllers/deployment/rollout-watch.fixture';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const rolloutStep = slotUnderTest('deployment-rollout');

const rs = (name: string, replicas: number, available = replicas): ReplicaSetCounts => ({ name, replicas, available });

function input(replicas: number, maxSurge: IntOrString, maxUnavailable: IntOrString, newRS: ReplicaSetCounts, ...oldRSs: ReplicaSetCounts[]): RolloutInput {
  return { replicas, maxSurge, maxUnavailable, newRS, oldRSs };
}

describe('Part 1: maxSurge and maxUnavailable as numbers of pods', () => {
  // [replicas, maxSurge, maxUnavailable, surge, unavailable]: seen as how far the new ReplicaSet
  // may grow from 0 (surge), and how far a healthy old one may shrink once the new one holds the surge (unavailable).
  it.each<[number, IntOrString, IntOrString, number, number]>([
    [10, '25%', '25%', 3, 2],
    [1, '25%', '25%', 1, 0],
    [3, '25%', '25%', 1, 0],
    [4, '25%', '25%', 1, 1],
    [10, 2, 3, 2, 3],
    [10, '30%', '30%', 3, 3],
  ])('rounds maxSurge up and maxUnavailable down: replicas %d, %s / %s => surge %d, unavailable %d', (replicas, surge, unavailable, wantSurge, wantUnavailable) => {
    const growing = rolloutStep(input(replicas, surge, unavailable, rs('new', 0), rs('old', replicas)));
    expect(growing.newReplicas, `the new ReplicaSet may grow by the surge, ${wantSurge}`).toBe(Math.min(wantSurge, replicas));
    const shrinking = rolloutStep(input(replicas, surge, unavailable, rs('new', wantSurge, 0), rs('old', replicas)));
    expect(shrinking.newReplicas, 'the new ReplicaSet already holds the surge: it stays').toBe(wantSurge);
    expect(shrinking.scaleDown, `the old one may lose the unavailable pods, ${wantUnavailable}`).toEqual(wantUnavailable > 0 ? [{ name: 'old', remove: wantUnavailable }] : []);
  });

  it('both 0 resolve to maxUnavailable 1: replicas 10, maxSurge 0, maxUnavailable 0 scales the old one to 9 (rolling_test.go)', () => {
    expect(rolloutStep(input(10, 0, 0, rs('new', 0), rs('old', 10)))).toEqual({ newReplicas: 0, scaleDown: [{ name: 'old', remove: 1 }] });
  });

  it('both 0 after rounding resolve to maxUnavailable 1 too: replicas 10, 0% / 5%', () => {
    expect(rolloutStep(input(10, '0%', '5%', rs('new', 0), rs('old', 10)))).toEqual({ newReplicas: 0, scaleDown: [{ name: 'old', remove: 1 }] });
  });

  it('throws on a string that is not a percentage (and only then)', () => {
    expect(() => rolloutStep(input(10, '25%', '25%', rs('new', 0), rs('old', 10)))).not.toThrow();
    expect(() => rolloutStep(input(10, '25', '25%', rs('new', 0), rs('old', 10)))).toThrow();
  });
});

describe('Part 2: how far the new ReplicaSet grows (reconcileNewReplicaSet, NewRSNewReplicas)', () => {
  it.each<[string, number, IntOrString, number, number, number]>([
    ['grows by the surge', 10, 2, 10, 0, 2],
    ['grows into the room the old ones left', 10, 2, 5, 0, 7],
    ['does not grow when all together are at replicas + maxSurge', 10, 2, 10, 2, 2],
    ['shrinks to replicas when it has more', 10, 2, 2, 11, 10],
    ['never grows above replicas, whatever the surge', 3, 5, 0, 1, 3],
  ])('%s: replicas %d, maxSurge %s, old %d, new %d => %d', (_what, replicas, maxSurge, old, fresh, want) => {
    const out = rolloutStep(input(replicas, maxSurge, 0, rs('new', fresh, 0), rs('old', old)));
    expect(out.newReplicas).toBe(want);
    if (want !== fresh) expect(out.scaleDown, 'a step that scales the new ReplicaSet scales nothing down').toEqual([]);
  });

  it('counts every old ReplicaSet in the total', () => {
    expect(rolloutStep(input(4, 1, 0, rs('new', 0), rs('a', 2), rs('b', 2))).newReplicas).toBe(1);
  });
});

describe('Part 3: which old ReplicaSets go down, and by how much (reconcileOldReplicaSets)', () => {
  it.each<[string, IntOrString, number, number, { name: string; remove: number }[]]>([
    ['maxUnavailable 2, all 10 old available: down to 8', 2, 10, 0, [{ name: 'old', remove: 2 }]],
    ['takes unhealthy old replicas first: 8 of 10 available, down to 8', 2, 8, 0, [{ name: 'old', remove: 2 }]],
    ['takes unhealthy old replicas first: 9 of 10, one unhealthy, then one by availability', 2, 9, 0, [{ name: 'old', remove: 1 }, { name: 'old', remove: 1 }]],
  ])('%s (replicas 10, maxSurge 0)', (_what, maxUnavailable, oldAvailable, fresh, want) => {
    expect(rolloutStep(input(10, 0, maxUnavailable, rs('new', fresh, 0), rs('old', 10, oldAvailable)))).toEqual({ newReplicas: fresh, scaleDown: want });
  });

  it('waits while the new pods are not available: 10 - 8 - 2 = 0 (replicas 10, maxUnavailable 2, new 2 not available, old 8)', () => {
    expect(rolloutStep(input(10, 0, 2, rs('new', 2, 0), rs('old', 8)))).toEqual({ newReplicas: 2, scaleDown: [] });
  });

  it('scales down only what keeps replicas - maxUnavailable available: new 3 (1 available), old 10 => old loses 3', () => {
    expect(rolloutStep(input(10, 3, 2, rs('new', 3, 1), rs('old', 10)))).toEqual({ newReplicas: 3, scaleDown: [{ name: 'old', remove: 3 }] });
  });

  it('cleans up no more unhealthy replicas than it may scale down in all', () => {
    expect(rolloutStep(input(10, 2, 1, rs('new', 2, 0), rs('old', 10, 8)))).toEqual({ newReplicas: 2, scaleDown: [{ name: 'old', remove: 1 }] });
  });

  it('takes the oldest ReplicaSet first', () => {
    expect(rolloutStep(input(5, 1, 1, rs('new', 3), rs('oldest', 2), rs('older', 3)))).toEqual({ newReplicas: 3, scaleDown: [{ name: 'oldest', remove: 2 }, { name: 'older', remove: 2 }] });
  });

  it('does not count the available pods an old ReplicaSet at 0 still reports', () => {
    expect(rolloutStep(input(3, '25%', '25%', rs('new', 1), rs('gone', 0, 2), rs('old', 3)))).toEqual({ newReplicas: 1, scaleDown: [{ name: 'old', remove: 1 }] });
  });

  it('stops when an old ReplicaSet reports more available pods than replicas (its status is behind)', () => {
    expect(rolloutStep(input(3, '25%', '25%', rs('new', 2), rs('old', 2, 3)))).toEqual({ newReplicas: 2, scaleDown: [] });
  });

  it('has nothing to do when every old ReplicaSet is at 0', () => {
    expect(rolloutStep(input(3, '25%', '25%', rs('new', 3), rs('old', 0)))).toEqual({ newReplicas: 3, scaleDown: [] });
  });
});

describe('whole rollouts, step after step', () => {
  /** The fenceposts the docs describe, computed here independently. */
  const pods = (v: IntOrString, replicas: number, up: boolean) => (typeof v === 'number' ? v : (up ? Math.ceil : Math.floor)((parseInt(v, 10) * replicas) / 100));

  it('keeps both bounds and ends with every replica new, for 1 to 12 replicas and several settings', () => {
    for (const [surge, unavailable] of [['25%', '25%'], [1, 0], [0, 1], ['50%', '0%'], [2, 3]] as [IntOrString, IntOrString][]) {
      for (let replicas = 1; replicas <= 12; replicas++) {
        const maxSurge = pods(surge, replicas, true);
        const maxUnavailable = Math.min(replicas, maxSurge === 0 && pods(unavailable, replicas, false) === 0 ? 1 : pods(unavailable, replicas, false));
        const where = `replicas ${replicas}, maxSurge ${surge}, maxUnavailable ${unavailable}`;
        let fresh = rs('new', 0, 0);
        let old = rs('old', replicas);
        for (let step = 0; ; step++) {
          expect(step, `${where}: still not done after 50 steps (new ${fresh.replicas}, old ${old.replicas})`).toBeLessThan(50);
          const out = rolloutStep(input(replicas, surge, unavailable, fresh, old));
          const removed = out.scaleDown.reduce((n, s) => n + s.remove, 0);
          if (out.newReplicas === fresh.replicas && removed === 0) break;
          old = rs('old', old.replicas - removed);
          fresh = rs('new', out.newReplicas, fresh.available);
          expect(fresh.replicas + old.replicas, `${where}: pods after step ${step}`).toBeLessThanOrEqual(replicas + maxSurge);
          expect(fresh.available + old.available, `${where}: available pods after step ${step}`).toBeGreaterThanOrEqual(replicas - maxUnavailable);
          fresh = rs('new', fresh.replicas); // its pods come up before the next step
        }
        expect([fresh.replicas, old.replicas], where).toEqual([replicas, 0]);
      }
    }
  });
});

describe(`A whole cluster running your step (seed ${SEED})`, () => {
  function started(manifest: string) {
    const cluster = createCluster({ seed: SEED, use: { 'deployment-rollout': SOURCE } });
    cluster.apply(manifest);
    const up = cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 30_000);
    const lastError = () => [...cluster.trace.all()].reverse().find((e) => e.kind === 'error')?.summary;
    return { cluster, up, lastError };
  }

  it('brings the docs’ nginx Deployment up to 3 available replicas', () => {
    const { up, lastError } = started(NGINX_DEPLOYMENT);
    expect(up, `not rolled out after 30 s of virtual time; the controller last said: ${lastError()}`).toBe(true);
  });

  it('rolls it from nginx:1.14.2 to nginx:1.16.1 never below 3 available pods nor above 4, with the events upstream records', () => {
    const { cluster, up, lastError } = started(NGINX_DEPLOYMENT);
    expect(up, `not rolled out after 30 s of virtual time; the controller last said: ${lastError()}`).toBe(true);
    const [old] = replicaSetsOf(cluster, 'nginx-deployment');
    cluster.apply(NGINX_DEPLOYMENT.replace('nginx:1.14.2', 'nginx:1.16.1'));
    const w = watchRollout(cluster, 'nginx', { minAvailable: 3, maxPods: 4 }, () => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'));
    expect(w.breach, 'a bound broken').toBeUndefined();
    expect(w.done, `not rolled out to nginx:1.16.1 after 60 s of virtual time; the controller last said: ${lastError()}`).toBe(true);
    const fresh = replicaSetsOf(cluster, 'nginx-deployment').find((r) => r.metadata.uid !== old.metadata.uid)!;
    const [o, n] = [old.metadata.name, fresh.metadata.name];
    const events = cluster.kubectl
      .getObjects<CoreEvent>('events')
      .filter((e) => e.involvedObject.kind === 'Deployment')
      .map((e) => e.message);
    expect(events).toEqual([
      `Scaled up replica set ${o} from 0 to 3`,
      `Scaled up replica set ${n} from 0 to 1`,
      `Scaled down replica set ${o} from 3 to 2`,
      `Scaled up replica set ${n} from 1 to 2`,
      `Scaled down replica set ${o} from 2 to 1`,
      `Scaled up replica set ${n} from 2 to 3`,
      `Scaled down replica set ${o} from 1 to 0`,
    ]);
  });

  it('rolls 10 replicas at 25% / 25%: never below 8 available nor above 13 pods, and does use the surge', () => {
    const ten = NGINX_DEPLOYMENT.replace('replicas: 3', 'replicas: 10');
    const { cluster, up, lastError } = started(ten);
    expect(up, `not rolled out after 30 s of virtual time; the controller last said: ${lastError()}`).toBe(true);
    cluster.apply(ten.replace('nginx:1.14.2', 'nginx:1.16.1'));
    const w = watchRollout(cluster, 'nginx', { minAvailable: 8, maxPods: 13 }, () => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'));
    expect(w.breach, 'a bound broken').toBeUndefined();
    expect(w.done, `not rolled out to nginx:1.16.1 after 60 s of virtual time; the controller last said: ${lastError()}`).toBe(true);
    expect(w.maxPodsSeen, 'the rollout surges to 13 pods').toBe(13);
  });
});
