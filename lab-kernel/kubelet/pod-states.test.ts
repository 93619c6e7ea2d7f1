import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { PodStates, type WorkerState } from './pod-states';
import type { PodRuntimeView } from './pod-status-reader';

const pod = (uid: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: uid, namespace: 'default', uid }, spec: { containers: [] } });
const view = (running: boolean): PodRuntimeView => ({
  decision: { containers: running ? [{ id: 'c', name: 'app', state: 'running', hash: 'h', attempt: 0, createdAt: 0 }] : [], sandboxes: [] } as unknown as PodRuntimeView['decision'],
  containers: new Map(),
  ip: '',
});

function states(workers: Record<string, WorkerState>, known: string[], synced = true) {
  return new PodStates({ workers: new Map(Object.entries(workers)), podByUid: (uid) => (known.includes(uid) ? pod(uid) : undefined), synced: () => synced });
}

describe("the pod workers' view of each pod's life", () => {
  it('counts as active only admitted, unfinished, not evicted pods the kubelet still knows', () => {
    const s = states({
      running: { status: { phase: 'Running' } },
      done: { status: { phase: 'Succeeded' } },
      rejected: { admission: { rejected: { reason: 'OutOfcpu' } } },
      evicted: { evicted: { stopped: false } },
      forgotten: { status: { phase: 'Running' } },
    }, ['running', 'done', 'rejected', 'evicted']);
    expect([...s.active()]).toEqual(['running']);
  });

  it("lets container GC remove all of an evicted pod once stopped, or of a pod that is gone, but a finished pod's runtime only under disk pressure", () => {
    const s = states({ evicted: { evicted: { stopped: true } }, stopping: { evicted: { stopped: false } }, done: { status: { phase: 'Succeeded' } } }, ['evicted', 'stopping', 'done']);
    expect(['evicted', 'stopping', 'done', 'gone'].map((uid) => [uid, s.contentRemovable(uid), s.runtimeRemovable(uid)])).toEqual([
      ['evicted', true, true],
      ['stopping', false, false],
      ['done', false, true],
      ['gone', true, true],
    ]);
    expect(states({}, [], false).contentRemovable('gone')).toBe(false);
  });

  it('calls a pod finished in a terminal phase only once nothing of it runs', () => {
    const s = states({}, []);
    expect(s.finished(pod('a'), { status: { phase: 'Succeeded' } }, view(false))).toBe(true);
    expect(s.finished(pod('a'), { status: { phase: 'Failed' } }, view(true))).toBe(false);
    expect(s.finished(pod('a'), { status: { phase: 'Running' } }, view(false))).toBe(false);
  });
});
