import { describe, expect, it } from 'vitest';
import { nodeInfoFor } from '../node-info';
import { ERR_REASON_UNSCHEDULABLE, nodeUnschedulablePlugin } from './node-unschedulable';
import type { Node, Pod } from '../../api/types';
import { event, requeueHint, testHandle, testNode, testPod } from './testing';
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

describe('NodeUnschedulable QueueingHints', () => {
  const plugin = nodeUnschedulablePlugin(handle, { taintToleration: REFERENCE_CODE['taint-toleration'] });
  const node = (unschedulable: boolean): Node => testNode('node-1', { spec: { unschedulable } });
  const withToleration = (p: Pod, key: string): Pod => ({ ...p, spec: { ...p.spec, tolerations: [{ key, operator: 'Exists', effect: 'NoSchedule' }] } });
  const rows: [string, ReturnType<typeof event>, unknown, unknown, string][] = [
    ['a schedulable node added => Queue', event('Node', 'Add'), undefined, node(false), 'Queue'],
    ['a cordoned node added => QueueSkip', event('Node', 'Add'), undefined, node(true), 'QueueSkip'],
    ['a node uncordoned (UpdateNodeTaint) => Queue', event('Node', 'UpdateNodeTaint'), node(true), node(false), 'Queue'],
    ['a taint change on a node that was never cordoned => QueueSkip', event('Node', 'UpdateNodeTaint'), node(false), node(false), 'QueueSkip'],
    ['a label change => QueueSkip (not registered with QueueingHints on)', event('Node', 'UpdateNodeLabel'), node(true), node(true), 'QueueSkip'],
    ['the pod itself now tolerates the cordon => Queue', event('UnschedulablePod', 'UpdatePodTolerations'), testPod('p'), withToleration(testPod('p'), 'node.kubernetes.io/unschedulable'), 'Queue'],
    ['the pod itself got another toleration => QueueSkip', event('UnschedulablePod', 'UpdatePodTolerations'), testPod('p'), withToleration(testPod('p'), 'gpu'), 'QueueSkip'],
    ['another pod tolerates the cordon => QueueSkip', event('AssignedPod', 'UpdatePodTolerations'), testPod('q'), withToleration(testPod('q'), 'node.kubernetes.io/unschedulable'), 'QueueSkip'],
  ];
  it.each(rows)('%s', (_name, e, oldObj, newObj, expected) => {
    expect(requeueHint(plugin, testPod('p'), e, oldObj, newObj)).toBe(expected);
  });
});
