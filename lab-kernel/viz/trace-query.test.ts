import { describe, expect, it } from 'vitest';
import { Trace } from '../sim/trace';
import { traceQuery } from './trace-query';

function trace(): Trace {
  const t = new Trace();
  t.message(10, 'kube-apiserver', 'etcd-1', 12, 'request', 'watch /registry/pods/');
  t.message(20, 'kube-apiserver', 'demo-informer', 22, 'response', '410 too old resource version: 5 (9)');
  t.action(30, 'kube-apiserver', 'watch configmaps for kubectl');
  t.error(40, 'level-counter', 'watch pods failed: 410');
  return t;
}

describe('traceQuery', () => {
  it('matches strings exactly, regular expressions anywhere, and arrays by any member', () => {
    const t = trace();
    expect(traceQuery(t, { actor: 'kube-apiserver', to: /^etcd-/ }).map((e) => e.seq)).toEqual([0]);
    expect(traceQuery(t, { to: ['demo-informer', 'kubectl'], summary: /^410/ }).map((e) => e.seq)).toEqual([1]);
    expect(traceQuery(t, { kind: 'action', summary: /for kubectl/ }).map((e) => e.seq)).toEqual([2]);
    expect(traceQuery(t, { flow: 'request' }).map((e) => e.seq)).toEqual([0]);
  });

  it('keeps to the time window [since, until)', () => {
    expect(traceQuery(trace(), { since: 20, until: 40 }).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('never matches a missing field', () => {
    expect(traceQuery(trace(), { to: /./, kind: 'error' })).toEqual([]);
  });
});
