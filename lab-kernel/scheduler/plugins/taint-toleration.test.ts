import { describe, expect, it } from 'vitest';
import type { Node, Pod, Taint } from '../../api/types';
import { nodeInfoFor } from '../node-info';
import { taintTolerationPlugin } from './taint-toleration';
import { event, requeueHint, testHandle, testNode, testPod } from './testing';
import { REFERENCE_CODE } from '../reference-code.fixture';

describe('TaintToleration plugin', () => {
  const tainted = (name: string, taints: Taint[]) => nodeInfoFor(testNode(name, { spec: { taints } }));
  const plugin = taintTolerationPlugin(testHandle([]), { evaluate: REFERENCE_CODE['taint-toleration'] });

  it('a node under memory pressure (tainted node.kubernetes.io/memory-pressure:NoSchedule) keeps ordinary pods out', () => {
    const node = tainted('node-1', [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }]);
    expect(plugin.filter(new Map(), testPod('p'), node)).toEqual({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }'],
    });
  });

  it('scores fewer intolerable PreferNoSchedule taints higher after the reversed normalisation', () => {
    const nodes = [tainted('clean', []), tainted('spot', [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }])];
    const scores = nodes.map((n) => ({ name: n.node.metadata.name!, score: plugin.score(new Map(), testPod('p'), n).score }));
    plugin.normalizeScore!(new Map(), testPod('p'), scores);
    expect(scores).toEqual([
      { name: 'clean', score: 100 },
      { name: 'spot', score: 0 },
    ]);
  });
});

describe('TaintToleration QueueingHints', () => {
  const plugin = taintTolerationPlugin(testHandle([]), { evaluate: REFERENCE_CODE['taint-toleration'] });
  const node = (...taints: Taint[]): Node => testNode('node-1', { spec: { taints } });
  const gpu: Taint = { key: 'gpu', value: 'true', effect: 'NoSchedule' };
  const spot: Taint = { key: 'spot', effect: 'PreferNoSchedule' };
  const tolerating = (p: Pod): Pod => ({ ...p, spec: { ...p.spec, tolerations: [{ key: 'gpu', operator: 'Exists' }] } });
  const rows: [string, ReturnType<typeof event>, unknown, unknown, string][] = [
    ['a node added without an untolerated taint => Queue', event('Node', 'Add'), undefined, node(spot), 'Queue'],
    ['a node added with an untolerated NoSchedule taint => QueueSkip', event('Node', 'Add'), undefined, node(gpu), 'QueueSkip'],
    ['the untolerated taint removed => Queue', event('Node', 'UpdateNodeTaint'), node(gpu), node(), 'Queue'],
    ['one untolerated taint swapped for another => QueueSkip', event('Node', 'UpdateNodeTaint'), node(gpu), node({ key: 'dedicated', effect: 'NoExecute' }), 'QueueSkip'],
    ['a PreferNoSchedule taint removed from a node that kept none untolerated => QueueSkip (it was no obstacle)', event('Node', 'UpdateNodeTaint'), node(spot), node(), 'QueueSkip'],
    ['an unrelated label change => QueueSkip (not registered)', event('Node', 'UpdateNodeLabel'), node(gpu), { ...node(gpu), metadata: { name: 'node-1', labels: { a: 'b' } } }, 'QueueSkip'],
    ['the pod itself got a new toleration => Queue', event('UnschedulablePod', 'UpdatePodTolerations'), testPod('p'), tolerating(testPod('p')), 'Queue'],
    ['another pod got a new toleration => QueueSkip', event('AssignedPod', 'UpdatePodTolerations'), testPod('other'), tolerating(testPod('other')), 'QueueSkip'],
  ];
  it.each(rows)('%s', (_name, e, oldObj, newObj, expected) => {
    expect(requeueHint(plugin, testPod('p'), e, oldObj, newObj)).toBe(expected);
  });
});
