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
});
