/**
 * Grader suite for exercise `replicaset` (exercises/replicaset/reconcile.ts).
 *
 * Part by part, the pure reconcile on table cases taken from the Kubernetes ReplicaSet
 * controller's behaviour; then whole clusters running the learner's reconcile.
 */
import { describe, expect, it } from 'vitest';
import { timestamp } from '../../lab-kernel/api/time';
import type { Pod, PodPhase, ReplicaSet } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import { BURST_REPLICAS, podFromTemplate } from '../../lab-kernel/controllers/replicaset-contract';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const reconcile = slotUnderTest('replicaset');

function replicaSet(replicas: number | undefined, extra: { minReadySeconds?: number; generation?: number } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default', uid: 'rs-uid-1', generation: extra.generation ?? 1 },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      ...(extra.minReadySeconds ? { minReadySeconds: extra.minReadySeconds } : {}),
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'frontend' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  };
}

interface PodShape {
  phase?: PodPhase;
  node?: string | null;
  ready?: boolean;
  readySince?: number;
  created?: number;
  deleting?: boolean;
  labels?: Record<string, string>;
}

function pod(name: string, shape: PodShape = {}): Pod {
  const phase = shape.phase ?? 'Running';
  const node = shape.node === undefined ? 'node-1' : shape.node;
  const ready = shape.ready ?? phase === 'Running';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: shape.labels ?? { app: 'web', tier: 'frontend' },
      creationTimestamp: timestamp(shape.created ?? 0),
      ...(shape.deleting ? { deletionTimestamp: timestamp(1000) } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid-1', controller: true }],
    },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }], ...(node ? { nodeName: node } : {}) },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: timestamp(shape.readySince ?? 0) }],
    },
  };
}

const NOW = 60_000;

describe('Part 1-2: counting active pods and creating the missing ones', () => {
  it('creates every pod when none exist yet (3 wanted, 0 there => 3 from the template)', () => {
    const rs = replicaSet(3);
    const out = reconcile({ replicaSet: rs, pods: [], now: NOW });
    expect(out.create, 'the pods to create').toHaveLength(3);
    for (const p of out.create) expect(p, 'each new pod must be built with podFromTemplate(rs)').toEqual(podFromTemplate(rs));
    expect(out.delete, 'the pods to delete').toEqual([]);
  });

  it('treats a missing spec.replicas as 1', () => {
    expect(reconcile({ replicaSet: replicaSet(undefined), pods: [], now: NOW }).create).toHaveLength(1);
  });

  it('creates only the missing pods (3 wanted, 2 running => 1)', () => {
    const out = reconcile({ replicaSet: replicaSet(3), pods: [pod('a'), pod('b')], now: NOW });
    expect(out.create).toHaveLength(1);
    expect(out.delete).toEqual([]);
  });

  it('does nothing when the count is right', () => {
    const out = reconcile({ replicaSet: replicaSet(2), pods: [pod('a'), pod('b')], now: NOW });
    expect(out.create).toEqual([]);
    expect(out.delete).toEqual([]);
  });

  it.each<[string, PodShape]>([
    ['Succeeded', { phase: 'Succeeded' }],
    ['Failed', { phase: 'Failed' }],
    ['being deleted (deletionTimestamp set)', { deletionTimestamp: true } as PodShape & { deletionTimestamp: boolean }],
  ])('does not count a pod that is %s', (_what, shape) => {
    const gone = pod('gone', 'deletionTimestamp' in shape ? { deleting: true } : shape);
    const out = reconcile({ replicaSet: replicaSet(2), pods: [pod('a'), gone], now: NOW });
    expect(out.create, 'one more pod is needed: the inactive one does not count').toHaveLength(1);
    expect(out.delete, 'an inactive pod is not deleted by the ReplicaSet').toEqual([]);
  });

  it(`never creates more than burstReplicas (${BURST_REPLICAS}) at once`, () => {
    expect(reconcile({ replicaSet: replicaSet(1200), pods: [], now: NOW }).create).toHaveLength(BURST_REPLICAS);
  });
});

describe('Part 3: choosing which pods to delete', () => {
  it('deletes the surplus (1 wanted, 4 running => 3 deleted)', () => {
    const out = reconcile({ replicaSet: replicaSet(1), pods: [pod('a'), pod('b'), pod('c'), pod('d')], now: NOW });
    expect(out.delete).toHaveLength(3);
    expect(out.create).toEqual([]);
  });

  it('scales to zero', () => {
    const out = reconcile({ replicaSet: replicaSet(0), pods: [pod('a'), pod('b')], now: NOW });
    expect([...out.delete].sort()).toEqual(['a', 'b']);
  });

  it.each<[string, Pod, Pod]>([
    ['an unscheduled pod before a scheduled one', pod('unscheduled', { phase: 'Pending', node: null }), pod('scheduled', { phase: 'Pending' })],
    ['a Pending pod before a Running one', pod('pending', { phase: 'Pending' }), pod('running')],
    ['a Pending pod before an Unknown one', pod('pending', { phase: 'Pending' }), pod('unknown', { phase: 'Unknown' })],
    ['an Unknown pod before a Running one', pod('unknown', { phase: 'Unknown' }), pod('running')],
    ['a pod that is not Ready before a Ready one', pod('not-ready', { ready: false }), pod('ready')],
    ['the newer pod before the older one', pod('newer', { created: 30_000 }), pod('older', { created: 10_000 })],
    ['by name when nothing else tells them apart', pod('web-a'), pod('web-b')],
  ])('deletes %s', (_rule, first, second) => {
    for (const order of [[first, second], [second, first]]) {
      const out = reconcile({ replicaSet: replicaSet(1), pods: order, now: NOW });
      expect(out.delete, `with pods listed as [${order.map((p) => p.metadata.name).join(', ')}]`).toEqual([first.metadata.name]);
    }
  });

  it('applies the rules in order: scheduling beats phase, phase beats readiness, readiness beats age', () => {
    const pods = [
      pod('old-ready'),
      pod('new-ready', { created: 50_000 }),
      pod('running-not-ready', { ready: false }),
      pod('pending', { phase: 'Pending' }),
      pod('unscheduled', { phase: 'Pending', node: null }),
    ];
    const out = reconcile({ replicaSet: replicaSet(1), pods, now: NOW });
    expect(out.delete).toEqual(['unscheduled', 'pending', 'running-not-ready', 'new-ready']);
  });

  it(`never deletes more than burstReplicas (${BURST_REPLICAS}) at once`, () => {
    const pods = Array.from({ length: 700 }, (_, i) => pod(`p-${String(i).padStart(3, '0')}`));
    expect(reconcile({ replicaSet: replicaSet(0), pods, now: NOW }).delete).toHaveLength(BURST_REPLICAS);
  });
});

describe('Part 4: the status', () => {
  it('counts replicas and readyReplicas over active pods only', () => {
    const pods = [pod('a'), pod('b', { ready: false }), pod('c', { phase: 'Failed' })];
    const out = reconcile({ replicaSet: replicaSet(2), pods, now: NOW });
    expect(out.status).toMatchObject({ replicas: 2, readyReplicas: 1 });
  });

  it('counts fullyLabeledReplicas: pods carrying every template label', () => {
    const pods = [pod('a'), pod('b', { labels: { app: 'web' } })];
    expect(reconcile({ replicaSet: replicaSet(2), pods, now: NOW }).status.fullyLabeledReplicas).toBe(1);
  });

  it('counts availableReplicas: Ready for at least minReadySeconds', () => {
    const pods = [pod('long-ready', { readySince: 0 }), pod('just-ready', { readySince: 55_000 }), pod('not-ready', { ready: false })];
    const out = reconcile({ replicaSet: replicaSet(3, { minReadySeconds: 10 }), pods, now: NOW });
    expect(out.status).toMatchObject({ replicas: 3, readyReplicas: 2, availableReplicas: 1 });
  });

  it('counts every Ready pod as available when minReadySeconds is 0', () => {
    const out = reconcile({ replicaSet: replicaSet(2), pods: [pod('a', { readySince: NOW }), pod('b')], now: NOW });
    expect(out.status.availableReplicas).toBe(2);
  });

  it('reports observedGeneration = metadata.generation', () => {
    expect(reconcile({ replicaSet: replicaSet(1, { generation: 7 }), pods: [pod('a')], now: NOW }).status.observedGeneration).toBe(7);
  });
});

describe(`A whole cluster running your reconcile (seed ${SEED})`, () => {
  const manifest = (replicas: number) => `
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

  function start() {
    const cluster = createCluster({ seed: SEED, use: { replicaset: SOURCE } });
    const running = () =>
      cluster.controllerManager.replicaSet.pods.lister.list('default').filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
    /** Runs until exactly n web pods are Running and the ReplicaSet reports it, or 20 s pass. */
    const settle = (n: number) => {
      const done = () => {
        const rs = cluster.controllerManager.replicaSet.replicaSets.lister.get('default/web');
        return running().length === n && rs?.status?.readyReplicas === n && cluster.controllerManager.replicaSet.pods.lister.list('default').length === n;
      };
      const ok = cluster.runUntil(done, 20_000);
      const lastError = [...cluster.trace.all()].reverse().find((e) => e.kind === 'error');
      return { ok, why: `expected ${n} Running pods after 20 s of virtual time, found ${running().length}${lastError ? `; the controller last said: ${lastError.summary}` : ''}` };
    };
    return { cluster, settle, running };
  }

  it('brings a new ReplicaSet of 3 up to 3 Running pods', () => {
    const { cluster, settle } = start();
    cluster.apply(manifest(3));
    const r = settle(3);
    expect(r.ok, r.why).toBe(true);
  });

  it('replaces a pod that was deleted (level-triggered: it fixes the state, whatever happened)', () => {
    const { cluster, settle, running } = start();
    cluster.apply(manifest(3));
    expect(settle(3).ok, settle(3).why).toBe(true);
    const victim = running()[0].metadata.name!;
    cluster.kubectl.delete('pod', victim);
    cluster.runUntil(() => cluster.controllerManager.replicaSet.pods.lister.get(`default/${victim}`) === undefined, 5_000);
    const r = settle(3);
    expect(r.ok, r.why).toBe(true);
    expect(running().map((p) => p.metadata.name), 'the deleted pod must not come back under its old name').not.toContain(victim);
  });

  it('scales down to 1 and back up to 4', () => {
    const { cluster, settle } = start();
    cluster.apply(manifest(3));
    expect(settle(3).ok, settle(3).why).toBe(true);
    cluster.kubectl.scale('rs', 'web', 1);
    let r = settle(1);
    expect(r.ok, r.why).toBe(true);
    cluster.kubectl.scale('rs', 'web', 4);
    r = settle(4);
    expect(r.ok, r.why).toBe(true);
  });
});
