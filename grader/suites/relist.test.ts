/**
 * Grader suite for exercise `relist` (exercises/reflector/relist.ts).
 *
 * The pure diff on table cases taken from client-go's DeltaFIFO.Replace and processDeltas
 * (listed and not cached => add; listed with a new resourceVersion => update; same
 * resourceVersion => nothing; cached and not listed => delete, final state unknown); then a
 * whole cluster whose every informer runs the learner's diff, where the controller manager is
 * cut off while a ReplicaSet's pod is deleted, long enough that only a relist can tell it.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../lab-kernel/api/types';
import type { RelistNotification } from '../../lab-kernel/client/relist-contract';
import { createCluster, CONTROLLER_MANAGER } from '../../lab-kernel/cluster/cluster';
import { SEED, slotUnderTest, SOURCE, timeLimit } from '../harness';

const relistDiff = slotUnderTest('relist');

/** A ConfigMap in `namespace`, or with null a cluster-scoped Node. */
function obj(name: string, resourceVersion: string, namespace: string | null = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: namespace ? 'ConfigMap' : 'Node', metadata: { ...(namespace ? { namespace } : {}), name, resourceVersion } };
}

/** The notifications as short strings: 'update default/b'. */
function diff(cached: KubeObject[], listed: KubeObject[]): string[] {
  return relistDiff({ cached, listed }).map((n: RelistNotification) => `${n.kind} ${n.key}`);
}

describe('Part 1: what changed between the cache and the list', () => {
  it("tells an update, an add and a delete, and nothing for an object whose resourceVersion did not change (the contract's example)", () => {
    expect(diff([obj('a', '3'), obj('b', '4'), obj('c', '5')], [obj('a', '3'), obj('b', '9'), obj('d', '8')])).toEqual([
      'update default/b',
      'add default/d',
      'delete default/c',
    ]);
  });

  it('adds every listed object to an empty cache, in the order of the list (the first list)', () => {
    expect(diff([], [obj('b', '2'), obj('a', '1'), obj('c', '7')])).toEqual(['add default/b', 'add default/a', 'add default/c']);
  });

  it('deletes every cached object when the list is empty, in the order of the cache', () => {
    expect(diff([obj('a', '3'), obj('b', '4'), obj('e', '9')], [])).toEqual(['delete default/a', 'delete default/b', 'delete default/e']);
  });

  it('says nothing at all when nothing changed (the list holds fresh copies of the same objects)', () => {
    const cached = [obj('a', '3'), obj('b', '4')];
    expect(diff(cached, JSON.parse(JSON.stringify(cached)))).toEqual([]);
  });

  it('tells apart objects of the same name in two namespaces (a key is namespace/name)', () => {
    expect(diff([obj('web', '3', 'dev')], [obj('web', '4', 'prod')])).toEqual(['add prod/web', 'delete dev/web']);
    expect(diff([obj('web', '3', 'dev'), obj('web', '5', 'prod')], [obj('web', '3', 'dev'), obj('web', '6', 'prod')])).toEqual(['update prod/web']);
  });

  it('keys a cluster-scoped object (no namespace) by its name alone', () => {
    expect(diff([obj('node-1', '3', null), obj('node-2', '4', null)], [obj('node-2', '8', null), obj('node-3', '9', null)])).toEqual([
      'update node-2',
      'add node-3',
      'delete node-1',
    ]);
  });

  it('puts every add and update (in list order) before every delete, even when the list is in another order than the cache', () => {
    const cached = [obj('a', '1'), obj('b', '2'), obj('c', '3'), obj('d', '4')];
    const listed = [obj('d', '40'), obj('x', '41'), obj('b', '2')];
    expect(diff(cached, listed)).toEqual(['update default/d', 'add default/x', 'delete default/a', 'delete default/c']);
  });

  it('compares resourceVersions as they are (strings), not as numbers: "9" and "09" differ, and a lower one is still a change', () => {
    expect(diff([obj('a', '9'), obj('b', '12')], [obj('a', '09'), obj('b', '11')])).toEqual(['update default/a', 'update default/b']);
  });

  it('leaves the objects it is given as they were', () => {
    const cached = [obj('a', '3'), obj('c', '5')];
    const listed = [obj('b', '4'), obj('a', '6')];
    const before = JSON.stringify({ cached, listed });
    diff(cached, listed);
    expect(JSON.stringify({ cached, listed })).toBe(before);
  });

  it('handles a relist of 20,000 objects in well under its second (a map, not a search per object)', () => {
    const cached = Array.from({ length: 20_000 }, (_, i) => obj(`cm-${String(i).padStart(5, '0')}`, String(100 + i)));
    const listed = cached.map((o, i) => (i % 1000 === 0 ? obj(o.metadata.name!, String(50_000 + i)) : o)).filter((_, i) => i % 1000 !== 1);
    const result = diff(cached, listed);
    expect(result.filter((r) => r.startsWith('update'))).toHaveLength(20);
    expect(result.filter((r) => r.startsWith('delete'))).toHaveLength(20);
  });
});

describe(`Part 2: a whole cluster on your relist diff (seed ${SEED})`, () => {
  const WEB = `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27"}]
`;
  const BUSY = `
apiVersion: v1
kind: Pod
metadata: {name: busy}
spec:
  containers: [{name: app, image: "busybox:1.36"}]
`;

  it(
    'replaces a pod deleted while the controller manager was cut off: its relist must tell the ReplicaSet controller of the deletion',
    () => {
      // Without leader election (--leader-elect=false): a controller manager that holds the Lease
      // fails to renew it within 10 s of the cut and exits, and one started again lists afresh;
      // here the same process must come back and relist.
      const cluster = createCluster({ seed: SEED, use: { relist: SOURCE }, leaderElect: false });
      cluster.apply(WEB);
      cluster.apply(BUSY);
      const running = () => (cluster.kubectl.getObjects('pods') as Pod[]).filter((p) => p.metadata.name !== 'busy' && p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
      expect(cluster.runUntil(() => running().length === 3, 30_000), 'three web pods should run before the experiment starts').toBe(true);

      cluster.net.isolate(CONTROLLER_MANAGER);
      const victim = running()[0].metadata.name!;
      cluster.kubectl.delete('pod', victim);
      // 150 changes to another pod, one a second: the API server's watch cache of pods (100
      // events, 75 s) forgets the deletion, so the controller manager's watches end in 410 and relist.
      for (let i = 1; i <= 150; i++) {
        cluster.kubectl.patch('pods', 'busy', { metadata: { annotations: { beat: String(i) } } }, { type: 'merge' });
        cluster.runFor(1_000);
      }
      expect(running().map((p) => p.metadata.name), 'cut off, the controller manager cannot have replaced the pod').not.toContain(victim);
      cluster.net.reconnect(CONTROLLER_MANAGER);

      const replaced = cluster.runUntil(() => running().length === 3, 11 * 60_000);
      const errors = cluster.trace.all().filter((e) => e.kind === 'error' && e.actor === CONTROLLER_MANAGER && e.summary.includes('relist diff'));
      expect(errors.map((e) => e.summary).slice(0, 1), 'your relist diff was refused').toEqual([]);
      const rs = cluster.kubectl.getObjects('replicasets')[0] as { status?: { replicas?: number } };
      expect(
        replaced,
        `within 11 min of healing, three web pods should run again: the relist must tell the ReplicaSet controller that ${victim} is gone (it counts ${rs.status?.replicas} replicas; ${running().length} run)`,
      ).toBe(true);
      expect(running().map((p) => p.metadata.name)).not.toContain(victim);
    },
    timeLimit(1),
  );
});
