import { describe, expect, it } from 'vitest';
import { unresolvable, unschedulable, type NodeToStatus } from './framework-types';
import { fitErrorMessage } from './fit-error';

const TAINT = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';

describe('FailedScheduling message (framework.FitError.Error)', () => {
  it('counts each Filter reason over the nodes and sorts the counts as strings', () => {
    const statuses: NodeToStatus = new Map([
      ['control-plane', unresolvable(TAINT)],
      ['node-1', unschedulable('Insufficient cpu')],
      ['node-2', unschedulable('Insufficient cpu')],
    ]);
    expect(fitErrorMessage({ numAllNodes: 3, nodeToStatus: statuses })).toBe(`0/3 nodes are available: 1 ${TAINT}, 2 Insufficient cpu.`);
  });

  it('appends the preemption message after the histogram (ending in two full stops, as Kubernetes prints it)', () => {
    const statuses: NodeToStatus = new Map([['node-1', unschedulable('Insufficient cpu', 'Insufficient memory')]]);
    const preemption = 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    expect(fitErrorMessage({ numAllNodes: 1, nodeToStatus: statuses, postFilterMsg: preemption })).toBe(
      '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
    );
  });

  it('sorts "10 ..." before "2 ..." (Go sort.Strings, not by count)', () => {
    const statuses: NodeToStatus = new Map();
    for (let i = 0; i < 10; i++) statuses.set(`a-${i}`, unschedulable('Insufficient memory'));
    for (let i = 0; i < 2; i++) statuses.set(`b-${i}`, unschedulable('Insufficient cpu'));
    expect(fitErrorMessage({ numAllNodes: 12, nodeToStatus: statuses })).toBe('0/12 nodes are available: 10 Insufficient memory, 2 Insufficient cpu.');
  });

  it('shows only the PreFilter message when PreFilter rejected the pod', () => {
    const statuses: NodeToStatus = new Map([['node-1', unresolvable('ignored')]]);
    expect(fitErrorMessage({ numAllNodes: 2, nodeToStatus: statuses, preFilterMsg: 'persistentvolumeclaim "data" not found' })).toBe(
      '0/2 nodes are available: persistentvolumeclaim "data" not found.',
    );
  });

  it('with no nodes at all: "0/0 nodes are available:"', () => {
    expect(fitErrorMessage({ numAllNodes: 0, nodeToStatus: new Map() })).toBe('0/0 nodes are available:');
  });
});
