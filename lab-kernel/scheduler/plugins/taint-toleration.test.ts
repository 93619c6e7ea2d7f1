import { describe, expect, it } from 'vitest';
import type { Taint } from '../../api/types';
import { nodeInfoFor } from '../node-info';
import { taintTolerationPlugin } from './taint-toleration';
import { testHandle, testNode, testPod } from './testing';
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
