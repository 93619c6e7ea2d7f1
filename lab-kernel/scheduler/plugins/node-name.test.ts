import { describe, expect, it } from 'vitest';
import { nodeInfoFor } from '../node-info';
import { ERR_REASON_NODE_NAME, nodeNameFits, nodeNamePlugin } from './node-name';
import { event, requeueHint, testHandle, testNode, testPod } from './testing';

const handle = testHandle([]);

describe('NodeName', () => {
  it('a pod with spec.nodeName only fits that node', () => {
    expect(nodeNameFits(testPod('p', {}, { nodeName: 'node-2' }), testNode('node-1'))).toBe(false);
    expect(nodeNameFits(testPod('p', {}, { nodeName: 'node-1' }), testNode('node-1'))).toBe(true);
    expect(nodeNameFits(testPod('p'), testNode('node-1'))).toBe(true);
  });

  it("fails with \"node(s) didn't match the requested node name\", unresolvable", () => {
    const status = nodeNamePlugin(handle).filter(new Map(), testPod('p', {}, { nodeName: 'node-2' }), nodeInfoFor(testNode('node-1')));
    expect(status).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_NODE_NAME] });
  });
});

describe('NodeName QueueingHints', () => {
  const plugin = nodeNamePlugin(handle);
  const pinned = testPod('p', {}, { nodeName: 'node-9' });
  it.each([
    ['a node added => Queue (no hint)', event('Node', 'Add'), 'Queue'],
    ['a taint change or an uncordon => Queue (the quirk: Node Add without UpdateNodeTaint)', event('Node', 'UpdateNodeTaint'), 'Queue'],
    ['a label change => QueueSkip', event('Node', 'UpdateNodeLabel'), 'QueueSkip'],
    ['a bound pod deleted => QueueSkip', event('AssignedPod', 'Delete'), 'QueueSkip'],
  ] as const)('%s', (_name, e, expected) => {
    expect(requeueHint(plugin, pinned, e, testNode('node-1'), testNode('node-1'))).toBe(expected);
  });
});
