/**
 * Grader suite for exercise `select-host` (exercises/scheduler/select-host.ts).
 *
 * Table cases after kube-scheduler's helper.DefaultNormalizeScore, prioritizeNodes and
 * selectHost (pkg/scheduler/schedule_one.go); then whole clusters whose scheduler picks nodes
 * with the learner's function.
 */
import { describe, expect, it } from 'vitest';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import type { NodeScore } from '../../lab-kernel/scheduler/framework-types';
import type { Normalization, PluginScores, SelectHostInput } from '../../lab-kernel/scheduler/select-host-contract';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const selectHost = slotUnderTest('select-host');

const scores = (byNode: Record<string, number>): NodeScore[] => Object.entries(byNode).map(([name, score]) => ({ name, score }));
const plugin = (name: string, weight: number, normalize: Normalization, byNode: Record<string, number>): PluginScores => ({ plugin: name, weight, normalize, scores: scores(byNode) });
const input = (nodes: string[], plugins: PluginScores[], draws: number[] = nodes.map(() => 0.99)): SelectHostInput => ({ nodes, plugins, draws });
const asRecord = (list: NodeScore[]) => Object.fromEntries(list.map((s) => [s.name, s.score]));

describe('Part 1: normalising a plugin\'s scores (DefaultNormalizeScore)', () => {
  it.each<[string, Normalization, Record<string, number>, Record<string, number>]>([
    ["'none' keeps the scores", 'none', { a: 40, b: 90 }, { a: 40, b: 90 }],
    ["'default' scales the highest to 100: [1, 3] => [33, 100] (integer division)", 'default', { a: 1, b: 3 }, { a: 33, b: 100 }],
    ["'default' scales up as well as down: [2, 4, 0] => [50, 100, 0]", 'default', { a: 2, b: 4, c: 0 }, { a: 50, b: 100, c: 0 }],
    ["'reverse' makes the highest 0: [1, 3] => [67, 0]", 'reverse', { a: 1, b: 3 }, { a: 67, b: 0 }],
    ["'default' truncates as Go's integer division does, never rounds: [2, 3] => [66, 100]", 'default', { a: 2, b: 3 }, { a: 66, b: 100 }],
    ["'reverse' with all zeros gives every node 100", 'reverse', { a: 0, b: 0 }, { a: 100, b: 100 }],
    ["'default' with all zeros leaves them 0", 'default', { a: 0, b: 0 }, { a: 0, b: 0 }],
  ])('%s', (_what, how, raw, expected) => {
    const out = selectHost(input(Object.keys(raw), [plugin('P', 1, how, raw)]));
    expect(asRecord(out.weighted[0].scores), `the normalised scores of one plugin with weight 1 and normalize '${how}'`).toEqual(expected);
  });

  it('does not change the scores it was given', () => {
    const given = input(['a', 'b'], [plugin('P', 2, 'default', { a: 1, b: 4 })]);
    const copy = structuredClone(given);
    selectHost(given);
    expect(given, 'the input must be left as it was').toEqual(copy);
  });
});

describe('Part 2: weights and totals', () => {
  it('multiplies each plugin\'s normalised scores by its weight and adds them up per node', () => {
    const out = selectHost(
      input(['a', 'b', 'c'], [plugin('NodeResourcesFit', 1, 'none', { a: 40, b: 90, c: 90 }), plugin('TaintToleration', 3, 'reverse', { a: 0, b: 1, c: 2 })]),
    );
    expect(asRecord(out.weighted[1].scores), 'TaintToleration: reversed to a 100, b 50, c 0, times 3').toEqual({ a: 300, b: 150, c: 0 });
    expect(out.totals, 'totals in the order of input.nodes').toEqual(scores({ a: 340, b: 240, c: 90 }));
    expect(out.host).toBe('a');
  });

  it('keeps `weighted` in the order of the plugins, each named', () => {
    const out = selectHost(input(['a'], [plugin('X', 2, 'none', { a: 5 }), plugin('Y', 1, 'none', { a: 7 })]));
    expect(out.weighted.map((w) => w.plugin)).toEqual(['X', 'Y']);
    expect(out.weighted.map((w) => w.scores[0].score), 'X weighted 2 => 10, Y weighted 1 => 7').toEqual([10, 7]);
  });

  it('with no Score plugins, every total is 0 and the first node is picked when every draw keeps it', () => {
    const out = selectHost(input(['a', 'b', 'c'], []));
    expect(out.totals).toEqual(scores({ a: 0, b: 0, c: 0 }));
    expect(out.host, 'draws of 0.99 never replace the choice (Math.floor(0.99 * k) > 0)').toBe('a');
  });

  it('picks the highest total even when it is not the first node', () => {
    expect(selectHost(input(['a', 'b', 'c'], [plugin('P', 1, 'none', { a: 10, b: 20, c: 30 })])).host).toBe('c');
  });
});

describe('Part 3: breaking ties like selectHost (reservoir sampling)', () => {
  const tied = (draws: number[]) => selectHost(input(['a', 'b', 'c'], [plugin('P', 1, 'none', { a: 5, b: 9, c: 9 })], draws)).host;

  it('a draw with Math.floor(d * 2) === 0 lets the second tied node replace the first', () => {
    expect(tied([0.2, 0.99]), 'b holds 9 first; c ties it (k = 2); draw 0.2 => 0 => c').toBe('c');
  });

  it('a draw with Math.floor(d * 2) === 1 keeps the first tied node', () => {
    expect(tied([0.7, 0.99]), 'draw 0.7 => 1 => b stays').toBe('b');
  });

  it('uses one draw per tie, in node order, with k counting the holders of the best total', () => {
    const three = (draws: number[]) => selectHost(input(['a', 'b', 'c'], [plugin('P', 1, 'none', { a: 9, b: 9, c: 9 })], draws)).host;
    expect(three([0.9, 0.1]), 'b: floor(0.9 * 2) = 1 keeps a; c: floor(0.1 * 3) = 0 takes c').toBe('c');
    expect(three([0.1, 0.5]), 'b: floor(0.1 * 2) = 0 takes b; c: floor(0.5 * 3) = 1 keeps b').toBe('b');
    expect(three([0.9, 0.4]), 'b kept out; c: floor(0.4 * 3) = 1 keeps a').toBe('a');
  });

  it('a strictly higher total starts the count again (the draws of earlier ties are already spent)', () => {
    const out = selectHost(input(['a', 'b', 'c', 'd'], [plugin('P', 1, 'none', { a: 1, b: 1, c: 5, d: 5 })], [0.9, 0.1, 0.99]));
    expect(out.host, 'a/b tie uses 0.9 (keeps a); c is higher; d ties c (k = 2) with draw 0.1 => d').toBe('d');
    const again = selectHost(input(['a', 'b', 'c', 'd'], [plugin('P', 1, 'none', { a: 1, b: 1, c: 5, d: 5 })], [0.9, 0.4, 0.99]));
    expect(again.host, 'd ties c with k = 2, not 3 (a and b no longer hold the best): floor(0.4 * 2) = 0 => d').toBe('d');
  });

  it('gives each tied node about the same chance over many draws', () => {
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    let x = 0.123;
    for (let i = 0; i < 3000; i++) {
      const draws = [0, 1].map(() => (x = (x * 9301 + 0.49297) % 1));
      counts[selectHost(input(['a', 'b', 'c'], [plugin('P', 1, 'none', { a: 7, b: 7, c: 7 })], draws)).host]++;
    }
    for (const name of ['a', 'b', 'c']) expect(counts[name], `node ${name} should be picked about 1000 times of 3000, was ${counts[name]}`).toBeGreaterThan(800);
  });
});

describe(`A whole cluster whose scheduler picks with your selectHost (seed ${SEED})`, () => {
  /** The scheduler's last complaint in the trace, to show why a pod was not placed. */
  const lastSchedulerError = (cluster: ReturnType<typeof createCluster>) => {
    const e = [...cluster.trace.all()].reverse().find((x) => x.kind === 'error' && x.actor === 'kube-scheduler');
    return e ? `; the scheduler last said: ${e.summary}` : '';
  };

  const pod = (name: string) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  containers: [{ name: c, image: nginx, resources: { requests: { cpu: 500m, memory: 256Mi } } }]
`;

  it('avoids nodes with PreferNoSchedule taints (TaintToleration, weight 3, reversed)', () => {
    const cluster = createCluster({ seed: SEED, workers: 3, use: { 'select-host': SOURCE } });
    for (const node of ['node-1', 'node-2']) cluster.kubectl.patch('node', node, { spec: { taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] } }, { type: 'merge' });
    cluster.runFor(1000);
    cluster.apply(pod('web'));
    const placed = () => cluster.scheduler.pods.lister.get('default/web')?.spec.nodeName;
    const ok = cluster.runUntil(() => placed() !== undefined, 10_000);
    expect(ok, `the pod was not scheduled within 10 s${lastSchedulerError(cluster)}`).toBe(true);
    expect(placed(), 'node-3 is the only worker without a PreferNoSchedule taint').toBe('node-3');
  });

  it('spreads identical pods over the workers (NodeResourcesFit prefers the emptier node)', () => {
    const cluster = createCluster({ seed: SEED, workers: 3, use: { 'select-host': SOURCE } });
    for (const name of ['a', 'b', 'c']) {
      cluster.apply(pod(name));
      cluster.runUntil(() => cluster.scheduler.pods.lister.get(`default/${name}`)?.spec.nodeName !== undefined, 10_000);
    }
    const nodes = ['a', 'b', 'c'].map((n) => cluster.scheduler.pods.lister.get(`default/${n}`)?.spec.nodeName);
    expect(nodes.every((n) => n !== undefined), `every pod should be scheduled, got ${JSON.stringify(nodes)}${lastSchedulerError(cluster)}`).toBe(true);
    expect(new Set(nodes).size, `three pods on three different workers, got ${nodes.join(', ')}`).toBe(3);
  });
});
