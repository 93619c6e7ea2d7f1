import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../api/types';
import { EVENT_ASSIGNED_POD_DELETE, EVENT_NODE_ADD, type ClusterEvent } from './cluster-events';
import type { FilterPlugin } from './framework-types';
import { success } from './framework-types';
import { nodeResourcesFitPlugin } from './plugins/node-resources-fit';
import { prioritySortLess } from './plugins/priority-sort';
import { taintTolerationPlugin } from './plugins/taint-toleration';
import { testHandle, testNode, testPod } from './plugins/testing';
import { buildQueueingHintMap } from './queueing-hint-map';
import { REFERENCE_CODE } from './reference-code.fixture';
import { backoffDuration, MAX_IN_UNSCHEDULABLE_MS, SchedulingQueue } from './scheduling-queue';

const fit = nodeResourcesFitPlugin(testHandle([]), { fit: REFERENCE_CODE['node-resources-fit'] });
const taints = taintTolerationPlugin(testHandle([]), { evaluate: REFERENCE_CODE['taint-toleration'] });
/** A second profile whose "NodeResourcesFit" is woken by label changes only. */
const labelled: FilterPlugin = { name: 'NodeResourcesFit', filter: () => success(), eventsToRegister: () => [{ event: { resource: 'Node', actions: ['UpdateNodeLabel'] } }] };
const HINT_MAPS = new Map([
  ['default-scheduler', buildQueueingHintMap([taints, fit])],
  ['batch', buildQueueingHintMap([labelled])],
]);

function pod(name: string, opts: { priority?: number; cpu?: string; schedulerName?: string } = {}): Pod {
  const containers = [{ name: 'c', image: 'nginx', resources: { requests: { cpu: opts.cpu ?? '100m' } } }];
  return testPod(name, {}, { priority: opts.priority ?? 0, ...(opts.schedulerName ? { schedulerName: opts.schedulerName } : {}) }, containers);
}

function queue() {
  let now = 0;
  const q = new SchedulingQueue({ less: prioritySortLess, now: () => now, hintMaps: HINT_MAPS, profileOf: (p) => p.spec.schedulerName ?? 'default-scheduler' });
  return { q, advance: (ms: number) => (now += ms), at: () => now };
}

/** Pops the next pod and fails it with the given plugins to blame. */
function fail(q: SchedulingQueue, plugins: string[]) {
  const info = q.pop()!;
  info.unschedulablePlugins = new Set(plugins);
  q.addUnschedulable(info);
  return info;
}

const node4 = testNode('node-1', { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } });
const node8 = testNode('node-1', { allocatable: { cpu: '8', memory: '8Gi', pods: '110' } });
const relabelled: Node = { ...node4, metadata: { ...node4.metadata, labels: { ...node4.metadata.labels, tick: '1' } } };
const UPDATE = (action: 'UpdateNodeLabel' | 'UpdateNodeAllocatable' | 'UpdateNodeTaint' | 'UpdateNodeCondition'): ClusterEvent => ({ resource: 'Node', actions: [action] });
const bound = (name: string): Pod => ({ ...pod(name), spec: { ...pod(name).spec, nodeName: 'node-1' } });

describe('scheduling queue (PriorityQueue)', () => {
  it('backoff doubles from 1 s and stops at 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(backoffDuration)).toEqual([1000, 2000, 4000, 8000, 10000, 10000, 10000]);
    expect(backoffDuration(0), 'no attempt yet, no backoff').toBe(0);
  });

  it('pops the higher priority first, then the earlier arrival', () => {
    const { q, advance } = queue();
    q.add(pod('low-early'));
    advance(10);
    q.add(pod('high', { priority: 100 }));
    q.add(pod('low-late'));
    expect([q.pop(), q.pop(), q.pop()].map((i) => i!.pod.metadata.name)).toEqual(['high', 'low-early', 'low-late']);
  });

  it('an Error (no plugin to blame) waits in backoffQ for 1 s, then 2 s after the second attempt', () => {
    const { q, advance } = queue();
    q.add(pod('a'));
    fail(q, []);
    expect(q.whereIs('default/a')).toBe('backoff');
    advance(999);
    q.flushBackoffCompleted();
    expect(q.whereIs('default/a')).toBe('backoff');
    advance(1);
    q.flushBackoffCompleted();
    expect(q.whereIs('default/a')).toBe('active');
    fail(q, []);
    advance(1999);
    q.flushBackoffCompleted();
    expect(q.whereIs('default/a'), 'second attempt: 2 s').toBe('backoff');
    advance(1);
    q.flushBackoffCompleted();
    expect(q.whereIs('default/a')).toBe('active');
  });

  it('QueueSkip leaves a pod where it is: NodeResourcesFit ignores a label change, and an allocatable increase it fits moves the pod', () => {
    const { q, advance } = queue();
    q.add(pod('big', { cpu: '6' }));
    fail(q, ['NodeResourcesFit']);
    advance(5000);
    q.moveAllToActiveOrBackoffQueue(UPDATE('UpdateNodeLabel'), node4, relabelled);
    expect(q.whereIs('default/big'), 'a label holds no CPU').toBe('unschedulable');
    q.moveAllToActiveOrBackoffQueue(UPDATE('UpdateNodeAllocatable'), node4, testNode('node-1', { allocatable: { cpu: '5', memory: '8Gi', pods: '110' } }));
    expect(q.whereIs('default/big'), '5 CPUs: still too small').toBe('unschedulable');
    q.moveAllToActiveOrBackoffQueue(UPDATE('UpdateNodeAllocatable'), node4, node8);
    expect(q.whereIs('default/big'), 'backoff (1 s) is over: straight to activeQ').toBe('active');
  });

  it('a Queue while the pod is still backing off sends it to backoffQ, until its backoff ends', () => {
    const { q, advance } = queue();
    q.add(pod('a', { cpu: '6' }));
    fail(q, ['NodeResourcesFit']);
    advance(500);
    q.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_DELETE, bound('other'), undefined);
    expect(q.whereIs('default/a')).toBe('backoff');
    expect(q.nextBackoffExpiry()).toBe(1000);
  });

  it('a pod rejected by TaintToleration is not moved by an assigned pod deleted (it registered no pod deletion)', () => {
    const { q, advance } = queue();
    q.add(pod('a'));
    fail(q, ['TaintToleration']);
    advance(5000);
    q.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_DELETE, bound('other'), undefined);
    expect(q.whereIs('default/a')).toBe('unschedulable');
  });

  it("each pod's own profile decides: a label change moves the batch profile's pod, not the default one's", () => {
    const { q, advance } = queue();
    q.add(pod('mine', { cpu: '6', schedulerName: 'batch' }));
    q.add(pod('theirs', { cpu: '6' }));
    fail(q, ['NodeResourcesFit']);
    fail(q, ['NodeResourcesFit']);
    advance(5000);
    q.moveAllToActiveOrBackoffQueue(UPDATE('UpdateNodeLabel'), node4, relabelled);
    expect([q.whereIs('default/mine'), q.whereIs('default/theirs')]).toEqual(['active', 'unschedulable']);
  });

  it('preCheck leaves out the pods it refuses', () => {
    const { q, advance } = queue();
    q.add(pod('a', { cpu: '6' }));
    fail(q, ['NodeResourcesFit']);
    advance(5000);
    q.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_DELETE, bound('a'), undefined, (p) => p.metadata.name !== 'a');
    expect(q.whereIs('default/a')).toBe('unschedulable');
  });

  it('flushes an unschedulable pod after 5 minutes without a relevant event', () => {
    const { q, advance } = queue();
    q.add(pod('a'));
    fail(q, ['NodeAffinity']);
    advance(MAX_IN_UNSCHEDULABLE_MS);
    q.flushUnschedulableLeftover();
    expect(q.whereIs('default/a'), 'exactly 5 minutes: not yet (longer than, as upstream)').toBe('unschedulable');
    advance(1);
    q.flushUnschedulableLeftover();
    expect(q.whereIs('default/a')).toBe('active');
  });

  it('a delete forgets the pod, in any queue', () => {
    const { q } = queue();
    q.add(pod('a'));
    fail(q, ['NodeAffinity']);
    q.delete(pod('a'));
    expect(q.whereIs('default/a')).toBeUndefined();
    expect(q.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });
});

describe('scheduling queue: events while a pod is in flight', () => {
  it('an event during its scheduling cycle that a rejector says Queue to sends the failed pod to backoffQ, not unschedulable', () => {
    const { q } = queue();
    q.add(pod('big', { cpu: '6' }));
    const info = q.pop()!;
    q.moveAllToActiveOrBackoffQueue(EVENT_NODE_ADD, undefined, testNode('node-9', { allocatable: { cpu: '8', memory: '8Gi', pods: '110' } }));
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    q.addUnschedulable(info);
    expect(q.whereIs('default/big')).toBe('backoff');
  });

  it('an event during its cycle that the rejectors skip leaves the failed pod unschedulable', () => {
    const { q } = queue();
    q.add(pod('big', { cpu: '6' }));
    const info = q.pop()!;
    q.moveAllToActiveOrBackoffQueue(EVENT_NODE_ADD, undefined, testNode('node-9', { allocatable: { cpu: '2', memory: '8Gi', pods: '110' } }));
    expect(q.inFlightEventLabels(), 'recorded: TaintToleration and NodeResourcesFit registered Node Add').toEqual(['NodeAdd']);
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    q.addUnschedulable(info);
    expect(q.whereIs('default/big'), 'a 2-CPU node is no help').toBe('unschedulable');
    expect(q.inFlightEventLabels(), 'no pod in flight any more: forgotten').toEqual([]);
  });

  it('an event no plugin registered is not even recorded', () => {
    const { q } = queue();
    q.add(pod('a'));
    q.pop();
    q.moveAllToActiveOrBackoffQueue(UPDATE('UpdateNodeCondition'), node4, node4);
    expect(q.inFlightEventLabels()).toEqual([]);
  });

  it("the pod's own update while it is in flight is recorded and replayed: a new toleration retries a pod TaintToleration rejected", () => {
    const { q } = queue();
    q.add(pod('a'));
    const info = q.pop()!;
    const tolerant: Pod = { ...pod('a'), spec: { ...pod('a').spec, tolerations: [{ key: 'gpu', operator: 'Exists' }] } };
    q.update(pod('a'), tolerant);
    expect(q.whereIs('default/a'), 'not requeued during its cycle').toBe('in-flight');
    info.unschedulablePlugins = new Set(['TaintToleration']);
    q.addUnschedulable(info);
    expect(q.whereIs('default/a')).toBe('backoff');
  });

  it('a pod deleted while in flight is not brought back by its failure', () => {
    const { q } = queue();
    q.add(pod('a'));
    const info = q.pop()!;
    q.delete(pod('a'));
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    q.addUnschedulable(info);
    expect(q.whereIs('default/a')).toBeUndefined();
  });
});

describe('scheduling queue: an update of a pending pod', () => {
  const withToleration = (p: Pod): Pod => ({ ...p, spec: { ...p.spec, tolerations: [{ key: 'gpu', operator: 'Exists' }] } });

  it("runs only that pod's own hints: its new toleration moves it, and not another pod TaintToleration rejected", () => {
    const { q, advance } = queue();
    q.add(pod('a'));
    q.add(pod('b'));
    fail(q, ['TaintToleration']);
    fail(q, ['TaintToleration']);
    advance(5000);
    q.update(pod('a'), withToleration(pod('a')));
    expect([q.whereIs('default/a'), q.whereIs('default/b')]).toEqual(['active', 'unschedulable']);
  });

  it('a label-only update of a pod NodeResourcesFit rejected leaves it waiting', () => {
    const { q, advance } = queue();
    q.add(pod('a', { cpu: '6' }));
    fail(q, ['NodeResourcesFit']);
    advance(5000);
    const relabelledPod: Pod = { ...pod('a', { cpu: '6' }), metadata: { ...pod('a').metadata, labels: { tier: 'gold' } } };
    q.update(pod('a', { cpu: '6' }), relabelledPod);
    expect(q.whereIs('default/a')).toBe('unschedulable');
  });

  it('a status-only update of an unschedulable pod (its own PodScheduled condition) leaves it waiting', () => {
    const { q, advance } = queue();
    q.add(pod('a'));
    fail(q, ['NodeResourcesFit']);
    advance(2000);
    const withStatus: Pod = { ...pod('a'), metadata: { ...pod('a').metadata, resourceVersion: '42' }, status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } };
    q.update(pod('a'), withStatus);
    expect(q.whereIs('default/a')).toBe('unschedulable');
  });
});
