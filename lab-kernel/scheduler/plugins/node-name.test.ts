import { describe, expect, it } from 'vitest';
import { nodeInfoFor } from '../node-info';
import { ERR_REASON_NODE_NAME, nodeNameFits, nodeNamePlugin } from './node-name';
import { testHandle, testNode, testPod } from './testing';

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
