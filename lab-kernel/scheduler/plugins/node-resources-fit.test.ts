import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/types';
import { nodeInfoFor } from '../node-info';
import { nodeResourcesFitPlugin } from './node-resources-fit';
import { event, requeueHint, testHandle, testNode, testPod } from './testing';
import { REFERENCE_CODE } from '../reference-code.fixture';
import { notImplemented } from '../../sim/not-implemented';

const requesting = (name: string, cpu: string) => testPod(name, {}, {}, [{ name: 'app', image: 'nginx', resources: { requests: { cpu } } }]);

describe('NodeResourcesFit plugin', () => {
  const node = nodeInfoFor(testNode('node-1'), [requesting('existing', '3')]);

  it('filters with the pod requests summed once in PreFilter: 3 CPUs used + 2 requested on 4 => "Insufficient cpu"', () => {
    const plugin = nodeResourcesFitPlugin(testHandle([node]), { fit: REFERENCE_CODE['node-resources-fit'] });
    const state = new Map();
    plugin.preFilter(state, requesting('p', '2'), [node]);
    expect(plugin.filter(state, requesting('p', '2'), node)).toEqual({ code: 'Unschedulable', reasons: ['Insufficient cpu'] });
    expect(plugin.filter(state, requesting('p', '2'), nodeInfoFor(testNode('empty'))).code).toBe('Success');
  });

  it('scores LeastAllocated by default and MostAllocated when configured', () => {
    const empty = nodeInfoFor(testNode('empty'));
    const pod = requesting('p', '1');
    // cpu 1000 of 4000; memory: the 200Mi default of 8Gi
    expect(nodeResourcesFitPlugin(testHandle([empty]), { fit: REFERENCE_CODE['node-resources-fit'] }).score(new Map(), pod, empty).score).toBe(86);
    const packing = nodeResourcesFitPlugin(testHandle([empty]), { fit: REFERENCE_CODE['node-resources-fit'], scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }] } });
    expect(packing.score(new Map(), pod, empty).score).toBe(25);
  });

  it("learner code that is not written yet becomes the framework's Error status, not a crash", () => {
    const plugin = nodeResourcesFitPlugin(testHandle([node]), {
      fit: () => {
        throw notImplemented('node-resources-fit');
      },
    });
    const status = plugin.filter(new Map(), requesting('p', '1'), node);
    expect(status.code).toBe('Error');
    expect(status.reasons[0]).toContain('not implemented yet: node-resources-fit');
  });
});

describe('NodeResourcesFit QueueingHints', () => {
  const plugin = nodeResourcesFitPlugin(testHandle([]), { fit: REFERENCE_CODE['node-resources-fit'] });
  const node = (cpu: string, extra: Record<string, string> = {}) => testNode('node-1', { allocatable: { cpu, memory: '8Gi', pods: '110', ...extra } });
  const boundPod = (name: string, nodeName?: string): Pod => ({ ...requesting(name, '1'), spec: { ...requesting(name, '1').spec, nodeName } });
  const relabelled: Node = { ...node('4'), metadata: { ...node('4').metadata, labels: { tick: '1' } } };
  const rows: [string, Pod, ReturnType<typeof event>, unknown, unknown, string][] = [
    ['a node added that the pod fits when empty => Queue', requesting('big', '6'), event('Node', 'Add'), undefined, node('8'), 'Queue'],
    ['a node added too small even when empty => QueueSkip', requesting('big', '6'), event('Node', 'Add'), undefined, node('4'), 'QueueSkip'],
    ['allocatable cpu 4 -> 8, the pod asks 6 => Queue', requesting('big', '6'), event('Node', 'UpdateNodeAllocatable'), node('4'), node('8'), 'Queue'],
    ['allocatable cpu 4 -> 5, the pod asks 6 => QueueSkip (still too small)', requesting('big', '6'), event('Node', 'UpdateNodeAllocatable'), node('4'), node('5'), 'QueueSkip'],
    ['allocatable memory up, the pod asks only cpu => QueueSkip', requesting('p', '2'), event('Node', 'UpdateNodeAllocatable'), node('4'), { ...node('4'), status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } } }, 'QueueSkip'],
    ['allocatable pods up => Queue', requesting('p', '2'), event('Node', 'UpdateNodeAllocatable'), node('4'), node('4', { pods: '120' }), 'Queue'],
    ['a label-only change => QueueSkip (not registered: a label holds no resources)', requesting('big', '6'), event('Node', 'UpdateNodeLabel'), node('4'), relabelled, 'QueueSkip'],
    ['a taint change or an uncordon => Queue (the quirk: it registered Node Add)', requesting('big', '6'), event('Node', 'UpdateNodeTaint'), node('4'), node('4'), 'Queue'],
    ['a bound pod deleted, on any node => Queue', requesting('p', '2'), event('AssignedPod', 'Delete'), boundPod('other', 'node-7'), undefined, 'Queue'],
    ['a pending pod deleted => QueueSkip (it held nothing)', requesting('p', '2'), event('UnschedulablePod', 'Delete'), boundPod('other'), undefined, 'QueueSkip'],
    ['a bound pod added => QueueSkip', requesting('p', '2'), event('AssignedPod', 'Add'), undefined, boundPod('other', 'node-1'), 'QueueSkip'],
  ];
  it.each(rows)('%s', (_name, pod, e, oldObj, newObj, expected) => {
    expect(requeueHint(plugin, pod, e, oldObj, newObj)).toBe(expected);
  });

  it("asks the same function as its Filter: learner code that throws makes the hint Queue", () => {
    const stub = nodeResourcesFitPlugin(testHandle([]), {
      fit: () => {
        throw notImplemented('node-resources-fit');
      },
    });
    expect(requeueHint(stub, requesting('big', '6'), event('Node', 'Add'), undefined, node('4'))).toBe('Queue');
  });
});
