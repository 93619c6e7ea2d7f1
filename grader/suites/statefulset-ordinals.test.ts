/**
 * Grader suite for exercise `statefulset-ordinals` (exercises/statefulset/statefulset-plan.ts).
 *
 * Part by part through planStatefulSet, on the cases of the Kubernetes docs (StatefulSets:
 * "Pod Identity", "Stable Storage", "Deployment and Scaling Guarantees", "Pod Management
 * Policies", "Rolling Updates", "Partitioned rolling updates") and of kube-controller-manager's
 * own tests (stateful_set_control_test.go), then a whole cluster whose StatefulSet controller
 * runs your decision on the docs' web StatefulSet.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import type { StatefulSetPlanInput } from '../../lab-kernel/controllers/statefulset/statefulset-plan-contract';
import { claimsOf, input, pod, said } from '../../lab-kernel/controllers/statefulset/statefulset-plan.fixture';
import { claimNamed, MY_STORAGE_CLASS, readyExactly, setEvents, statefulPods, WEB_STATEFULSET } from '../../lab-kernel/controllers/statefulset/web-statefulset.fixture';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const planStatefulSet = slotUnderTest('statefulset-ordinals');
const plan = (parts: Partial<StatefulSetPlanInput>) => said(planStatefulSet(input(parts)));
const ALL = [pod(0), pod(1), pod(2)];
const old = (ordinal: number, extra = {}) => pod(ordinal, { updated: false, ...extra });

describe('Part 1: names, and the ordered creation (processReplicas)', () => {
  it('creates web-0 first, with its claim www-web-0?', () => {
    expect(plan({}), 'the actions your plan returned').toEqual(['create web-0 [www-web-0] update']);
  });

  it('names the claims <template>-<set>-<ordinal>, one per template, in template order?', () => {
    expect(plan({ setName: 'db', claimTemplates: ['data', 'logs'], replicas: 1 }), 'the actions your plan returned').toEqual(['create db-0 [data-db-0, logs-db-0] update']);
  });

  it('waits for web-0 to be Running and Ready before creating web-1?', () => {
    expect(plan({ claims: claimsOf(0), pods: [pod(0, { phase: 'Pending', ready: false, available: false })] }), 'web-0 Pending').toEqual(['wait web-0 not-ready']);
    expect(plan({ claims: claimsOf(0), pods: [pod(0, { ready: false, available: false })] }), 'web-0 Running, not Ready').toEqual(['wait web-0 not-ready']);
    expect(plan({ claims: claimsOf(0), pods: [pod(0)] }), 'web-0 Running and Ready').toEqual(['create web-1 [www-web-1] update']);
  });

  it('counts a pod Ready but not phase Running as not ready?', () => {
    expect(plan({ claims: claimsOf(0), pods: [pod(0, { phase: 'Pending' })] }), 'the actions your plan returned').toEqual(['wait web-0 not-ready']);
  });

  it('waits for web-0 to be available (Ready for minReadySeconds) before creating web-1?', () => {
    expect(plan({ claims: claimsOf(0), pods: [pod(0, { available: false })] }), 'the actions your plan returned').toEqual(['wait web-0 not-available']);
  });

  it('waits while a pod is terminating, and does not create its successor?', () => {
    expect(plan({ claims: claimsOf(0, 1), pods: [pod(0, { deleting: true }), pod(1)] }), 'the actions your plan returned').toEqual(['wait web-0 terminating']);
  });

  it('re-creates a missing middle ordinal first, reusing its claim (no claim made twice)?', () => {
    expect(plan({ claims: claimsOf(0, 1, 2), pods: [pod(0), pod(2)] }), 'the actions your plan returned').toEqual(['create web-1 [] update']);
  });

  it('deletes a Failed pod (it is re-created once gone), and does nothing past it?', () => {
    expect(plan({ claims: claimsOf(0, 1), pods: [pod(0), pod(1, { phase: 'Failed', ready: false, available: false })] }), 'web-1 Failed').toEqual(['delete web-1 failed']);
    expect(plan({ claims: claimsOf(0, 1), pods: [pod(0), pod(1, { phase: 'Succeeded', ready: false, available: false })] }), 'web-1 Succeeded').toEqual(['delete web-1 failed']);
    expect(plan({ claims: claimsOf(0, 1), pods: [pod(0, { phase: 'Failed', ready: false, available: false, deleting: true }), pod(1)] }), 'web-0 Failed and already terminating').toEqual([]);
  });

  it('counts ordinals from spec.ordinals.start?', () => {
    expect(plan({ startOrdinal: 5, replicas: 2, claims: claimsOf(5), pods: [pod(5)] }), 'the actions your plan returned').toEqual(['create web-6 [www-web-6] update']);
  });

  it('with Parallel, creates all missing pods at once, and deletes every failed one?', () => {
    expect(plan({ podManagementPolicy: 'Parallel' }).filter((s) => !s.startsWith('wait')), 'the actions your plan returned').toEqual(['create web-0 [www-web-0] update', 'create web-1 [www-web-1] update', 'create web-2 [www-web-2] update']);
    const failed = (o: number) => pod(o, { phase: 'Failed', ready: false, available: false });
    expect(plan({ podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' }, claims: claimsOf(0, 1, 2), pods: [failed(0), pod(1, { ready: false }), failed(2)] }), 'web-0 and web-2 Failed').toEqual(['delete web-0 failed', 'delete web-2 failed']);
  });

  it('does nothing when every pod is there, Ready and updated?', () => {
    expect(plan({ claims: claimsOf(0, 1, 2), pods: ALL }), 'the actions your plan returned').toEqual([]);
  });
});

describe('Part 2: the scale-down (processCondemned)', () => {
  it('deletes the highest ordinal first, one at a time?', () => {
    expect(plan({ replicas: 1, claims: claimsOf(0, 1, 2), pods: ALL }), 'replicas 3 -> 1').toEqual(['delete web-2 scale-down']);
    expect(plan({ replicas: 1, claims: claimsOf(0, 1, 2), pods: [pod(0), pod(1)] }), 'web-2 gone').toEqual(['delete web-1 scale-down']);
  });

  it('waits while the pod it deleted is terminating?', () => {
    expect(plan({ replicas: 1, claims: claimsOf(0, 1, 2), pods: [pod(0), pod(1), pod(2, { deleting: true })] }), 'the actions your plan returned').toEqual(['wait web-2 terminating']);
  });

  it('deletes an unhealthy condemned pod when it is the first unhealthy one, but waits on the first unhealthy one otherwise?', () => {
    expect(plan({ replicas: 1, claims: claimsOf(0, 1, 2), pods: [pod(0), pod(1), pod(2, { ready: false, available: false })] }), 'web-2 not Ready').toEqual(['delete web-2 scale-down']);
    expect(plan({ replicas: 1, claims: claimsOf(0, 1, 2), pods: [pod(0), pod(1, { ready: false, available: false }), pod(2, { ready: false, available: false })] }), 'web-1 and web-2 not Ready').toEqual(['wait web-1 not-ready']);
  });

  it('with Parallel, deletes every condemned pod at once?', () => {
    expect(plan({ podManagementPolicy: 'Parallel', replicas: 1, claims: claimsOf(0, 1, 2), pods: ALL }), 'the actions your plan returned').toEqual(['delete web-2 scale-down', 'delete web-1 scale-down']);
  });
});

describe('Part 3: the rolling update (RollingUpdate, partition; OnDelete)', () => {
  const olds = [old(0), old(1), old(2)];

  it('replaces the highest old pod first?', () => {
    expect(plan({ claims: claimsOf(0, 1, 2), pods: olds }), 'all old').toEqual(['delete web-2 update']);
    expect(plan({ claims: claimsOf(0, 1, 2), pods: [old(0), old(1), pod(2)] }), 'web-2 updated and Ready').toEqual(['delete web-1 update']);
  });

  it('waits for the updated pod to be Running and Ready before the next?', () => {
    expect(plan({ podManagementPolicy: 'Parallel', claims: claimsOf(0, 1, 2), pods: [old(0), old(1), pod(2, { ready: false, available: false })] }), 'the actions your plan returned').toEqual(['wait web-2 not-ready']);
  });

  it('does not delete an old pod again while it is terminating?', () => {
    expect(plan({ podManagementPolicy: 'Parallel', claims: claimsOf(0, 1, 2), pods: [old(0), old(1), old(2, { deleting: true })] }), 'the actions your plan returned').toEqual(['wait web-2 terminating']);
  });

  it.each<[number, string[]]>([
    [2, []],
    [1, ['delete web-1 update']],
    [3, []],
  ])('partition %i, web-2 already updated: updates only ordinals >= partition, highest first (%j)?', (partition, expected) => {
    expect(plan({ updateStrategy: { type: 'RollingUpdate', partition }, claims: claimsOf(0, 1, 2), pods: [old(0), old(1), pod(2)] }), 'the actions your plan returned').toEqual(expected);
  });

  it('creates a missing ordinal below the partition at the current revision, one at or above it at the update revision?', () => {
    const strategy = { type: 'RollingUpdate' as const, partition: 2 };
    expect(plan({ updateStrategy: strategy, claims: claimsOf(0, 1, 2), pods: [old(0), old(2)] }), 'web-1 missing').toEqual(['create web-1 [] current']);
    expect(plan({ updateStrategy: strategy, claims: claimsOf(0, 1), pods: [old(0), old(1)] }), 'web-2 missing').toEqual(['create web-2 [www-web-2] update']);
  });

  it('OnDelete: an old pod stays until someone deletes it, and its replacement is made at the update revision?', () => {
    expect(plan({ updateStrategy: { type: 'OnDelete' }, claims: claimsOf(0, 1, 2), pods: olds }), 'all old').toEqual([]);
    expect(plan({ updateStrategy: { type: 'OnDelete' }, claims: claimsOf(0, 1, 2), pods: [old(0), old(2)] }), 'web-1 deleted').toEqual(['create web-1 [] update']);
  });

  it('scales down before it updates?', () => {
    expect(plan({ replicas: 2, claims: claimsOf(0, 1, 2), pods: olds }), 'the actions your plan returned').toEqual(['delete web-2 scale-down']);
  });
});

describe(`Part 4: a whole cluster running your StatefulSet controller (seed ${SEED})`, () => {
  const run = () => {
    const cluster = createCluster({ seed: SEED, use: { 'statefulset-ordinals': SOURCE } });
    cluster.apply(MY_STORAGE_CLASS);
    cluster.apply(WEB_STATEFULSET);
    const said = () => {
      const last = [...cluster.trace.all()].reverse().find((e) => e.kind === 'error' && e.actor === 'kube-controller-manager');
      return last ? `; the controller last said: ${last.summary}` : '';
    };
    return { cluster, said };
  };
  const order = (pods: Record<string, Pod>) => Object.values(pods).sort((a, b) => a.metadata.creationTimestamp!.localeCompare(b.metadata.creationTimestamp!)).map((p) => p.metadata.name);

  it("runs the docs' web StatefulSet unchanged: web-0, web-1, web-2 created in order, each with its claim Bound", () => {
    const { cluster, said } = run();
    expect(cluster.runUntil(() => readyExactly(cluster, 'web', ['web-0', 'web-1', 'web-2']), 120_000), `3 Ready pods within 120 s${said()}`).toBe(true);
    cluster.runFor(2_000);
    expect(setEvents(cluster, 'SuccessfulCreate').filter((m) => m.startsWith('create Pod')), 'the pods created, in order').toEqual(['create Pod web-0 in StatefulSet web successful', 'create Pod web-1 in StatefulSet web successful', 'create Pod web-2 in StatefulSet web successful']);
    expect(order(statefulPods(cluster, 'web')), 'the order the pods were created in').toEqual(['web-0', 'web-1', 'web-2']);
    for (const o of [0, 1, 2]) expect(claimNamed(cluster, `www-web-${o}`)?.status?.phase, `claim www-web-${o}`).toBe('Bound');
  });

  it('re-creates a deleted web-1 under its name, on its claim, and scales down from web-2', () => {
    const { cluster, said } = run();
    expect(cluster.runUntil(() => readyExactly(cluster, 'web', ['web-0', 'web-1', 'web-2']), 120_000), `3 Ready pods within 120 s${said()}`).toBe(true);
    const uid = statefulPods(cluster, 'web')['web-1'].metadata.uid;
    cluster.kubectl.delete('pod', 'web-1');
    expect(cluster.runUntil(() => readyExactly(cluster, 'web', ['web-0', 'web-1', 'web-2']) && statefulPods(cluster, 'web')['web-1'].metadata.uid !== uid, 60_000), `web-1 back within 60 s${said()}`).toBe(true);
    expect(statefulPods(cluster, 'web')['web-1'].spec.volumes?.[0].persistentVolumeClaim?.claimName, "web-1's claim").toBe('www-web-1');
    cluster.kubectl.scale('statefulset', 'web', 1);
    expect(cluster.runUntil(() => readyExactly(cluster, 'web', ['web-0']), 60_000), `scaled to web-0 within 60 s${said()}`).toBe(true);
    cluster.runFor(2_000);
    expect(setEvents(cluster, 'SuccessfulDelete'), 'the pods deleted, in order').toEqual(['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful']);
  });
});
