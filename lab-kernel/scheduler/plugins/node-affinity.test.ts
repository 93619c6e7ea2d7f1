import { describe, expect, it } from 'vitest';
import type { NodeSelectorTerm } from '../../api/types';
import { nodeInfoFor } from '../node-info';
import { ERR_REASON_CONFLICT, nodeAffinityPlugin, requiredNodeNames } from './node-affinity';
import type { Node } from '../../api/types';
import { event, requeueHint, testHandle, testNode, testPod } from './testing';
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

describe('NodeAffinity QueueingHints', () => {
  const plugin = nodeAffinityPlugin(testHandle([]), { evaluate: REFERENCE_CODE['node-affinity'] });
  const ssdPod = testPod('p', {}, { nodeSelector: { disk: 'ssd' } });
  const node = (labels: Record<string, string>): Node => testNode('node-1', { labels });
  const rows: [string, ReturnType<typeof event>, unknown, unknown, string][] = [
    ['a matching node added => Queue', event('Node', 'Add'), undefined, node({ disk: 'ssd' }), 'Queue'],
    ['a node added that does not match => QueueSkip', event('Node', 'Add'), undefined, node({ disk: 'hdd' }), 'QueueSkip'],
    ['labels changed from not matching to matching => Queue', event('Node', 'UpdateNodeLabel'), node({ disk: 'hdd' }), node({ disk: 'ssd' }), 'Queue'],
    ['labels changed on a node that already matched => QueueSkip', event('Node', 'UpdateNodeLabel'), node({ disk: 'ssd' }), node({ disk: 'ssd', zone: 'a' }), 'QueueSkip'],
    ['labels changed to not matching => QueueSkip', event('Node', 'UpdateNodeLabel'), node({ disk: 'ssd' }), node({ disk: 'hdd' }), 'QueueSkip'],
    ['a taint change => Queue (the quirk, whatever the labels)', event('Node', 'UpdateNodeTaint'), node({ disk: 'hdd' }), node({ disk: 'hdd' }), 'Queue'],
    ['an allocatable change => QueueSkip (not registered)', event('Node', 'UpdateNodeAllocatable'), node({ disk: 'hdd' }), node({ disk: 'ssd' }), 'QueueSkip'],
  ];
  it.each(rows)('%s', (_name, e, oldObj, newObj, expected) => {
    expect(requeueHint(plugin, ssdPod, e, oldObj, newObj)).toBe(expected);
  });

  it("asks the learner's function: a node-affinity stub makes every node hint Queue", () => {
    const stub = nodeAffinityPlugin(testHandle([]), {
      evaluate: () => {
        throw new Error('not implemented yet: node-affinity');
      },
    });
    expect(requeueHint(stub, ssdPod, event('Node', 'Add'), undefined, node({ disk: 'hdd' }))).toBe('Queue');
  });
});
