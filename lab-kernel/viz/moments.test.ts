import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../sim/trace';
import { moments } from './moments';

describe('moments', () => {
  it('times each event from the given moment, in seconds with one decimal, and names sender and receiver', () => {
    const events: TraceEvent[] = [
      { seq: 1, time: 61_250, kind: 'action', actor: 'kube-controller-manager', summary: 'node-2: conditions Unknown' },
      { seq: 2, time: 61_300, kind: 'message', flow: 'request', actor: 'kube-controller-manager', to: 'kube-apiserver', summary: 'update nodes/status node-2' },
    ];
    expect(moments(events, 10_000)).toEqual([
      { 'after (s)': '51.3', who: 'kube-controller-manager', what: 'node-2: conditions Unknown' },
      { 'after (s)': '51.3', who: 'kube-controller-manager -> kube-apiserver', what: 'update nodes/status node-2' },
    ]);
  });
});
