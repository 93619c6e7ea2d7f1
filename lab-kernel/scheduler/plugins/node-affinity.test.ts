import { describe, expect, it } from 'vitest';
import type { NodeSelectorTerm } from '../../api/types';
import { nodeInfoFor } from '../node-info';
import { ERR_REASON_CONFLICT, nodeAffinityPlugin, requiredNodeNames } from './node-affinity';
import { testHandle, testNode, testPod } from './testing';
import { REFERENCE_CODE } from '../reference-code.fixture';

const withTerms = (...nodeSelectorTerms: NodeSelectorTerm[]) => testPod('p', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } } });
const byName = (...names: string[]): NodeSelectorTerm => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: names }] });

describe('NodeAffinity plugin', () => {
  const cases: [string, NodeSelectorTerm[], string[] | undefined][] = [
    ['terms naming nodes by metadata.name narrow the nodes to their union', [byName('n1', 'n2'), byName('n3')], ['n1', 'n2', 'n3']],
    ['two metadata.name requirements in one term intersect', [{ matchFields: [...byName('n1', 'n2').matchFields!, ...byName('n2', 'n3').matchFields!] }], ['n2']],
    ['a term matching by labels leaves every node possible', [byName('n1'), { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }], undefined],
  ];
  for (const [name, terms, nodes] of cases) {
    it(name, () => {
      const names = requiredNodeNames(withTerms(...terms));
      expect(names === undefined ? undefined : [...names].sort()).toEqual(nodes);
    });
  }

  it('PreFilter returns the named nodes, or "pod affinity terms conflict" when they name none', () => {
    const plugin = nodeAffinityPlugin(testHandle([]), { evaluate: REFERENCE_CODE['node-affinity'] });
    expect(plugin.preFilter(new Map(), withTerms(byName('n1')), []).result?.nodeNames).toEqual(new Set(['n1']));
    const conflict = withTerms({ matchFields: [...byName('n1').matchFields!, ...byName('n2').matchFields!] });
    expect(plugin.preFilter(new Map(), conflict, []).status).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_CONFLICT] });
  });

  it('PreFilter and PreScore skip a pod without node selection', () => {
    const plugin = nodeAffinityPlugin(testHandle([]), { evaluate: REFERENCE_CODE['node-affinity'] });
    expect(plugin.preFilter(new Map(), testPod('p'), []).status.code).toBe('Skip');
    expect(plugin.preScore(new Map(), testPod('p'), []).code).toBe('Skip');
  });

  it('Filter rejects a node the nodeSelector does not match', () => {
    const plugin = nodeAffinityPlugin(testHandle([]), { evaluate: REFERENCE_CODE['node-affinity'] });
    const status = plugin.filter(new Map(), testPod('p', {}, { nodeSelector: { disktype: 'ssd' } }), nodeInfoFor(testNode('n1')));
    expect(status).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] });
  });
});
