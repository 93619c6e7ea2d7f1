import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { prioritySortLess } from './plugins/priority-sort';
import { backoffDuration, MAX_IN_UNSCHEDULABLE_MS, SchedulingQueue } from './scheduling-queue';

function pod(name: string, priority = 0): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], priority } };
}

function queue() {
  let now = 0;
  const q = new SchedulingQueue({ less: prioritySortLess, now: () => now });
  return { q, advance: (ms: number) => (now += ms), at: () => now };
}

/** Pops the pod and fails it with the given plugins to blame. */
function fail(q: SchedulingQueue, plugins: string[]) {
  const info = q.pop()!;
  info.unschedulablePlugins = new Set(plugins);
  q.addUnschedulable(info, q.schedulingCycle);
  return info;
}

describe('scheduling queue (PriorityQueue)', () => {
  it('backoff doubles from 1 s and stops at 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(backoffDuration)).toEqual([1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  });

  it('pops the higher priority first, then the earlier arrival', () => {
    const { q, advance } = queue();
    q.add(pod('low-early', 0));
    advance(10);
    q.add(pod('high', 100));
    q.add(pod('low-late', 0));
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

  it('an unschedulable pod waits for an event its plugins care about', () => {
    const { q, advance } = queue();
    q.add(pod('a'));
    fail(q, ['TaintToleration']);
    q.add(pod('other'));
    q.pop(); // another cycle starts, so the move request below is not during a's cycle
    expect(q.whereIs('default/a')).toBe('unschedulable');
    q.moveOnEvent('AssignedPodDelete');
    expect(q.whereIs('default/a'), 'a deleted pod frees no taint').toBe('unschedulable');
    advance(5000);
    q.moveOnEvent('NodeUpdate');
    expect(q.whereIs('default/a'), 'backoff (1 s) is over: straight to activeQ').toBe('active');
  });

  it('a pod moved while still backing off goes to backoffQ', () => {
    const { q, advance } = queue();
    q.add(pod('a'));
    fail(q, ['NodeResourcesFit']);
    q.add(pod('b'));
    q.pop();
    advance(500);
    q.moveOnEvent('AssignedPodDelete');
    expect(q.whereIs('default/a')).toBe('backoff');
    expect(q.nextBackoffExpiry()).toBe(1000);
  });

  it('a pod that fails in a cycle during which a move request came retries via backoffQ', () => {
    const { q } = queue();
    q.add(pod('a'));
    const info = q.pop()!;
    q.moveOnEvent('NodeAdd'); // e.g. a node joined while a was being scheduled
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    q.addUnschedulable(info, q.schedulingCycle);
    expect(q.whereIs('default/a')).toBe('backoff');
  });

  it('flushes an unschedulable pod after 5 minutes without a relevant event', () => {
    const { q, advance } = queue();
    q.add(pod('a'));
    fail(q, ['NodeAffinity']);
    advance(MAX_IN_UNSCHEDULABLE_MS - 1);
    q.flushUnschedulableLeftover();
    expect(q.whereIs('default/a')).toBe('unschedulable');
    advance(1);
    q.flushUnschedulableLeftover();
    expect(q.whereIs('default/a')).toBe('active');
  });

  it('an update to an unschedulable pod moves it on; a delete forgets it', () => {
    const { q, advance } = queue();
    q.add(pod('a'));
    fail(q, ['NodeAffinity']);
    advance(2000);
    q.update(pod('a', 5));
    expect(q.whereIs('default/a')).toBe('active');
    q.delete(pod('a'));
    expect(q.whereIs('default/a')).toBeUndefined();
    expect(q.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });
});

describe('scheduling queue: updates that do not matter', () => {
  it('a status-only update of an unschedulable pod (its own PodScheduled condition) leaves it waiting', () => {
    const { q, advance } = queue();
    q.add(pod('a'));
    fail(q, ['NodeResourcesFit']);
    advance(2000);
    const withStatus: Pod = { ...pod('a'), metadata: { ...pod('a').metadata, resourceVersion: '42' }, status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } };
    q.update(withStatus);
    expect(q.whereIs('default/a')).toBe('unschedulable');
  });
});
