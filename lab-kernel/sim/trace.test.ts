import { describe, expect, it } from 'vitest';
import { dataOf, formatEvent, Trace } from './trace';

describe('Trace', () => {
  it('does it number events in order and keep what each said, whoever sent it?', () => {
    const trace = new Trace();
    trace.message(1200, 'kube-scheduler', 'kube-apiserver', 1202, 'request', 'create pods/binding default/web', dataOf('code', 201));
    trace.action(1300, 'kubelet/node-1', 'started container web');
    trace.error(1400, 'kube-controller-manager', 'sync failed');
    expect(trace.all().map((e) => [e.seq, e.kind, e.summary])).toEqual([
      [0, 'message', 'create pods/binding default/web'],
      [1, 'action', 'started container web'],
      [2, 'error', 'sync failed'],
    ]);
    expect(formatEvent(trace.all()[0])).toBe('   1.200s  kube-scheduler -> kube-apiserver          create pods/binding default/web');
  });

  it('does the same run hash the same, and a different one not?', () => {
    const run = (last: string) => {
      const t = new Trace();
      for (let i = 0; i < 100; i++) t.action(i, 'a', `step ${i % 7}`);
      t.action(100, 'a', last);
      return t.hash();
    };
    expect(run('end')).toBe(run('end'));
    expect(run('end')).not.toBe(run('End'));
  });

  it('does an event read back as the object it always was, the same object at every read, past the first thousand?', () => {
    const trace = new Trace();
    for (let i = 0; i < 2500; i++) {
      if (i % 2 === 0) trace.message(i, 'kubelet/node-1', 'kube-apiserver', i + 1.5, 'request', `get pods ${i}`, dataOf('code', 200));
      else trace.action(i, 'kube-scheduler', `bind ${i}`);
    }
    expect(trace.length).toBe(2500);
    expect(JSON.stringify(trace.at(2000))).toBe('{"seq":2000,"time":2000,"kind":"message","actor":"kubelet/node-1","to":"kube-apiserver","deliveredAt":2001.5,"flow":"request","summary":"get pods 2000","data":{"code":200}}');
    expect(JSON.stringify(trace.at(2001))).toBe('{"seq":2001,"time":2001,"kind":"action","actor":"kube-scheduler","summary":"bind 2001"}');
    expect(trace.at(2000)).toBe(trace.all()[2000]);
    expect(trace.at(2500)).toBeUndefined();
    expect(trace.all().slice(2498).map((e) => e.seq)).toEqual([2498, 2499]);
  });

  it('does between() find a window by time, even when an event was recorded out of time order?', () => {
    const trace = new Trace();
    for (const t of [0, 10, 10, 20, 30]) trace.action(t, 'a', `at ${t}`);
    expect(trace.between(10, 30).map((e) => e.summary)).toEqual(['at 10', 'at 10', 'at 20']);
    trace.action(5, 'a', 'late, at 5');
    expect(trace.between(0, 10).map((e) => e.summary)).toEqual(['at 0', 'late, at 5']);
  });
});
