import { describe, expect, it } from 'vitest';
import { nodeInfoFor } from '../node-info';
import { ERR_REASON_UNSCHEDULABLE, nodeUnschedulablePlugin } from './node-unschedulable';
import { testHandle, testNode, testPod } from './testing';
import { REFERENCE_CODE } from '../reference-code.fixture';

const handle = testHandle([]);

describe('NodeUnschedulable', () => {
  const cordoned = nodeInfoFor(testNode('node-1', { spec: { unschedulable: true } }));
  const plugin = nodeUnschedulablePlugin(handle, { taintToleration: REFERENCE_CODE['taint-toleration'] });
  it('a cordoned node takes no new pods: "node(s) were unschedulable"', () => {
    expect(plugin.filter(new Map(), testPod('p'), cordoned)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_UNSCHEDULABLE] });
  });
  it('except pods tolerating node.kubernetes.io/unschedulable:NoSchedule (as DaemonSet pods do)', () => {
    const tolerant = testPod('p', {}, { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(plugin.filter(new Map(), tolerant, cordoned).code).toBe('Success');
  });
  it('an uncordoned node takes any pod', () => {
    expect(plugin.filter(new Map(), testPod('p'), nodeInfoFor(testNode('node-1'))).code).toBe('Success');
  });
});
