import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../api/types';
import { Rng } from '../sim/rng';
import { REFERENCE_CODE } from './reference-code.fixture';
import { SchedulerCache } from './cache';
import type { Extender } from './extender';
import { Framework, numFeasibleNodesToFind, NO_NODES_AVAILABLE, type Profile } from './framework';
import { success, unresolvable, unschedulable, type FilterPlugin, type Plugin, type PreFilterPlugin, type ScorePlugin } from './framework-types';
import { prioritySortPlugin } from './plugins/priority-sort';
import { multiPoint } from './profiles';

const withWeights = (plugins: Plugin[], weights: Record<string, number>) => multiPoint(plugins.map((plugin) => ({ plugin, weight: weights[plugin.name] ?? 1 })));

const selectHost = REFERENCE_CODE['select-host'];

function node(name: string, labels: Record<string, string> = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {}, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } };
}

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

/** A stand-in Filter: a node labelled full=true is Unschedulable "Insufficient cpu"; tainted=true is unresolvable. */
const fitsByLabel: FilterPlugin = {
  name: 'StandInFit',
  filter: (_s, _p, n) => {
    if (n.node.metadata.labels?.tainted) return unresolvable('node(s) had untolerated taint {dedicated: gpu}');
    return n.node.metadata.labels?.full ? unschedulable('Insufficient cpu') : success();
  },
};

/** A stand-in Score: the node's `score` label. */
const scoreByLabel: ScorePlugin = { name: 'StandInScore', score: (_s, _p, n) => ({ score: Number(n.node.metadata.labels?.score ?? 0), status: success() }) };

function framework(plugins: Plugin[], options: Partial<Profile> = {}, weights: Record<string, number> = {}): Framework {
  const profile: Profile = {
    schedulerName: 'default-scheduler',
    plugins: (handle) => withWeights([prioritySortPlugin(handle), ...plugins], weights),
    ...options,
  };
  return new Framework(profile, selectHost, new Rng(1));
}

function snapshotOf(nodes: Node[]) {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.addNode(n);
  return cache.updateSnapshot();
}

describe('percentageOfNodesToScore (numFeasibleNodesToFind)', () => {
  it.each([
    [50, 50, 'a cluster under 100 nodes: every node'],
    [100, 100, '100 nodes: 50 - 0 = 50% = 50, raised to the minimum of 100'],
    [1000, 420, '1000 nodes: 50 - 8 = 42%'],
    [5000, 500, '5000 nodes: 50 - 40 = 10%'],
    [6000, 300, '6000 nodes: 50 - 48 = 2%, raised to the floor of 5%'],
    [10000, 500, '10000 nodes: the 5% floor'],
  ])('%i nodes => find %i feasible nodes (%s)', (nodes, wanted) => {
    expect(numFeasibleNodesToFind(0, nodes)).toBe(wanted);
  });

  it('a set percentage is used as it is, but never below 100 nodes', () => {
    expect(numFeasibleNodesToFind(30, 1000)).toBe(300);
    expect(numFeasibleNodesToFind(1, 1000)).toBe(100);
  });
});

describe('the scheduling cycle (schedulePod)', () => {
  it('stops filtering at 500 feasible nodes of 5000, and the next pod starts where it stopped (rotating start index)', () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => node(`n-${i}`));
    const fw = framework([fitsByLabel]);
    const snap = snapshotOf(nodes);
    const first = fw.schedulePod(pod, snap);
    expect(first).toMatchObject({ kind: 'scheduled', evaluatedNodes: 500, feasibleNodes: 500 });
    expect(fw.startIndex).toBe(500);
    fw.schedulePod(pod, snap);
    expect(fw.startIndex).toBe(1000);
  });

  it('counts nodes that failed Filter towards the processed nodes of the rotation', () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(`n-${i}`, i < 10 ? { full: 'true' } : {}));
    const fw = framework([fitsByLabel], { percentageOfNodesToScore: 50 });
    const out = fw.schedulePod(pod, snapshotOf(nodes));
    expect(out).toMatchObject({ kind: 'scheduled', evaluatedNodes: 110, feasibleNodes: 100 });
    expect(fw.startIndex).toBe(110);
  });

  it('picks the highest-scoring node, times the plugin weight', () => {
    const nodes = [node('a', { score: '10' }), node('b', { score: '70' }), node('c', { score: '30' })];
    const out = framework([fitsByLabel, scoreByLabel], {}, { StandInScore: 2 }).schedulePod(pod, snapshotOf(nodes), true);
    expect(out.kind === 'scheduled' && out.node).toBe('b');
    const b = out.kind === 'scheduled' ? out.record!.nodes.find((n) => n.node === 'b')! : undefined;
    expect(b?.scores).toEqual([{ plugin: 'StandInScore', raw: 70, normalized: 70, weighted: 140 }]);
    expect(b?.total).toBe(140);
  });

  it('breaks ties at random with the seeded stream: the same seed gives the same picks, and every tied node gets picked', () => {
    const nodes = [node('a'), node('b'), node('c')];
    const picks = (seed: number) => {
      const fw = new Framework({ schedulerName: 's', plugins: (h) => withWeights([prioritySortPlugin(h), scoreByLabel], {}) }, selectHost, new Rng(seed));
      const snap = snapshotOf(nodes);
      return Array.from({ length: 30 }, () => (fw.schedulePod(pod, snap) as { node: string }).node);
    };
    expect(picks(7)).toEqual(picks(7));
    expect(new Set(picks(7))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('fails with Kubernetes\' FailedScheduling message and names the plugins that rejected the pod', () => {
    const nodes = [node('control-plane', { tainted: 'true' }), node('node-1', { full: 'true' }), node('node-2', { full: 'true' })];
    const out = framework([fitsByLabel]).schedulePod(pod, snapshotOf(nodes));
    expect(out).toMatchObject({
      kind: 'unschedulable',
      message: '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu.',
      plugins: new Set(['StandInFit']),
    });
  });

  it('a PreFilter rejection is the whole message, and its plugin is to blame', () => {
    const gate: PreFilterPlugin = { name: 'Gate', preFilter: () => ({ status: unresolvable('persistentvolumeclaim "data" not found') }) };
    const out = framework([gate, fitsByLabel]).schedulePod(pod, snapshotOf([node('a'), node('b')]));
    expect(out).toMatchObject({ kind: 'unschedulable', message: '0/2 nodes are available: persistentvolumeclaim "data" not found.', plugins: new Set(['Gate']) });
  });

  it('a PreFilter result narrows the nodes Filter looks at', () => {
    const only: PreFilterPlugin = { name: 'OnlyB', preFilter: () => ({ result: { nodeNames: new Set(['b']) }, status: success() }) };
    const out = framework([only, fitsByLabel]).schedulePod(pod, snapshotOf([node('a'), node('b'), node('c')]));
    expect(out).toMatchObject({ kind: 'scheduled', node: 'b', evaluatedNodes: 1 });
  });

  it('with no nodes at all: "no nodes available to schedule pods"', () => {
    expect(framework([fitsByLabel]).schedulePod(pod, snapshotOf([]))).toMatchObject({ kind: 'unschedulable', message: NO_NODES_AVAILABLE });
  });

  it('an extender filters after the plugins and adds its scores, scaled from 0..10 and weighted', () => {
    const ext: Extender = {
      name: 'gpu-extender',
      weight: 2,
      filter: (_p, nodes) => ({ nodeNames: nodes.map((n) => n.node.metadata.name!).filter((n) => n !== 'a'), failed: { a: 'no GPU' } }),
      prioritize: (_p, nodes) => nodes.map((n) => ({ name: n.node.metadata.name!, score: n.node.metadata.name === 'c' ? 10 : 0 })),
    };
    const fw = framework([fitsByLabel, scoreByLabel], { extenders: [ext] });
    const out = fw.schedulePod(pod, snapshotOf([node('a', { score: '100' }), node('b', { score: '90' }), node('c', { score: '0' })]), true);
    expect(out.kind === 'scheduled' && out.node, 'c: extender 10 * (100/10) * 2 = 200 beats b: 90').toBe('c');
    const none = framework([fitsByLabel], { extenders: [{ ...ext, filter: (_p, nodes) => ({ nodeNames: [], failed: Object.fromEntries(nodes.map((n) => [n.node.metadata.name!, 'no GPU'])) }) }] });
    expect(none.schedulePod(pod, snapshotOf([node('a'), node('b')]))).toMatchObject({ kind: 'unschedulable', message: '0/2 nodes are available: 2 no GPU.' });
  });
});

describe('Reserve and Permit', () => {
  it('a Reserve failure unreserves every Reserve plugin, in reverse order', () => {
    const calls: string[] = [];
    const reserve = (name: string, ok: boolean) => ({
      name,
      reserve: () => (calls.push(`reserve ${name}`), ok ? success() : unschedulable('no volume')),
      unreserve: () => void calls.push(`unreserve ${name}`),
    });
    const fw = framework([reserve('A', true), reserve('B', false)]);
    expect(fw.runReserve(new Map(), pod, 'n')).toMatchObject({ code: 'Unschedulable', plugin: 'B' });
    expect(calls).toEqual(['reserve A', 'reserve B', 'unreserve B', 'unreserve A']);
  });

  it('Permit: any rejection wins; otherwise Wait with the shortest timeout', () => {
    const wait = (name: string, timeoutMs: number) => ({ name, permit: () => ({ status: { code: 'Wait' as const, reasons: [] }, timeoutMs }) });
    expect(framework([wait('A', 5000), wait('B', 2000)]).runPermit(new Map(), pod, 'n')).toEqual({ status: { code: 'Wait', reasons: [], plugin: 'B' }, timeoutMs: 2000 });
    const deny = { name: 'Deny', permit: () => ({ status: unschedulable('quota') }) };
    expect(framework([wait('A', 5000), deny]).runPermit(new Map(), pod, 'n').status).toMatchObject({ code: 'Unschedulable', plugin: 'Deny' });
  });
});
