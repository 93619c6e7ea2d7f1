import { describe, expect, it } from 'vitest';
import { planDaemonSet } from '../../../solutions/daemonset/daemonset-plan';
import { oldestFirst } from './daemonset-plan-contract';
import { input, node, oldEverywhere, pod, taint } from './daemonset-plan.fixture';

/** The reference decision (exercise daemonset-nodes), on the examples of its contract; the grader's suite has the rest. */
describe('the DaemonSet plan', () => {
  it('keeps the oldest of a node’s pods: scheduled before unscheduled, then the older, then by name', () => {
    const pods = [pod('b', 'n', { createdMs: 5_000 }), pod('c', 'n', { createdMs: 1_000, scheduled: false }), pod('a', 'n', { createdMs: 5_000 }), pod('d', 'n', { createdMs: 2_000 })];
    expect([...pods].sort(oldestFirst).map((p) => p.name)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('creates a pod on every node that has none, and counts them desired', () => {
    const plan = planDaemonSet(input({ nodes: [node('control-plane'), node('node-1'), node('node-2')] }));
    expect(plan.create).toEqual(['control-plane', 'node-1', 'node-2']);
    expect(plan.status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 0, numberUnavailable: 3 });
  });

  it('deletes the pod of a node tainted NoExecute, keeps the one of a node tainted NoSchedule, and counts both misscheduled', () => {
    const plan = planDaemonSet(input({
      nodes: [node('node-1', { taints: [taint('dedicated', 'NoExecute')] }), node('node-2', { taints: [taint('dedicated', 'NoSchedule')] })],
      pods: [pod('a', 'node-1'), pod('b', 'node-2')],
    }));
    expect(plan.delete).toEqual([{ pod: 'a', node: 'node-1', reason: 'misscheduled' }]);
    expect(plan.status).toMatchObject({ desiredNumberScheduled: 0, numberMisscheduled: 2 });
  });

  it('replaces one old pod at a time with maxUnavailable 1, only once nothing else is to be done', () => {
    expect(planDaemonSet(input(oldEverywhere())).delete).toEqual([{ pod: 'old-1', node: 'node-1', reason: 'update' }]);
    const busy = oldEverywhere();
    busy.nodes.push(node('node-4'));
    expect(planDaemonSet(input(busy)), 'node-4 needs its pod first').toMatchObject({ create: ['node-4'], delete: [] });
  });

  it('deletes a daemon pod never scheduled whose node is gone, and leaves a scheduled one there to the pod garbage collector', () => {
    const p = planDaemonSet(input({ nodes: [node('node-1')], pods: [pod('a', 'node-1'), pod('pending', 'gone-1', { scheduled: false, phase: 'Pending' }), pod('bound', 'gone-2')] }));
    expect(p.delete.map((d) => `${d.pod} ${d.reason}`)).toEqual(['pending node-gone']);
  });

  it('counts the status: desired, current, ready, available, updated, misscheduled and unavailable', () => {
    const p = planDaemonSet(
      input({
        nodes: [node('node-1'), node('node-2'), node('node-3'), node('node-4'), node('node-5', { taints: [taint('dedicated', 'NoSchedule')] })],
        pods: [pod('a', 'node-1'), pod('b', 'node-2', { updated: false }), pod('c', 'node-3', { ready: false, available: false }), pod('e', 'node-5')],
        updateStrategy: { type: 'OnDelete' },
      }),
    );
    expect(p.status).toEqual({ desiredNumberScheduled: 4, currentNumberScheduled: 3, numberMisscheduled: 1, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberUnavailable: 2 });
  });
});
