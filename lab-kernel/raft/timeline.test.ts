import { describe, expect, it } from 'vitest';
import { Timeline } from './timeline';

/** Three peers: raft-0 leads term 1 and is cut off at 2 s; raft-1 leads term 2 from 3.4 s; raft-2 crashes at 3.8 s and restarts at 4 s. */
function story(): Timeline {
  const t = new Timeline(['raft-0', 'raft-1', 'raft-2']);
  t.record('raft-0', 1200, { state: 'candidate', term: 1 });
  t.record('raft-0', 1204, { state: 'leader' });
  t.record('raft-1', 1202, { term: 1 });
  t.record('raft-2', 1203, { term: 1 });
  t.mark(2000, 'disconnect raft-0');
  t.record('raft-0', 2000, { cutOff: true });
  t.record('raft-1', 3400, { state: 'candidate', term: 2 });
  t.record('raft-1', 3405, { state: 'leader' });
  t.record('raft-2', 3402, { term: 2 });
  t.mark(3800, 'crash raft-2');
  t.record('raft-2', 3800, { state: 'crashed' });
  t.mark(4000, 'restart raft-2');
  t.record('raft-2', 4000, { state: 'follower' });
  return t;
}

describe('Timeline', () => {
  it('draws one row per peer and one column per 100 ms, with the terms under each row and the events below', () => {
    expect(story().text({ toMs: 4500 })).toBe(
      [
        'virtual time 0.000s to 4.500s, one column = 100 ms',
        '        0s        1s        2s        3s        4s',
        'raft-0  FFFFFFFFFFFFLLLLLLLLlllllllllllllllllllllllll',
        '        0           1',
        'raft-1  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFLLLLLLLLLLL',
        '        0           1                     2',
        'raft-2  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFxxFFFFF',
        '        0           1                     2',
        'events                      ^                 ^ ^',
        '    2.000s  disconnect raft-0',
        '    3.800s  crash raft-2',
        '    4.000s  restart raft-2',
        'L leader, C candidate, P pre-candidate, F follower, x crashed; lowercase: cut off from a majority; digits under a row: the term from there on',
      ].join('\n'),
    );
  });

  it('shows what matters most in a column: a leader of 20 ms, a restart at one instant', () => {
    const t = new Timeline(['a']);
    t.record('a', 150, { state: 'leader', term: 3 });
    t.record('a', 170, { state: 'follower', term: 4 });
    t.record('a', 420, { state: 'crashed' });
    t.record('a', 420, { state: 'follower' });
    const row = t.text({ toMs: 600 }).split('\n')[2];
    expect(row).toBe('a       FLFFxF');
  });

  it('keeps a blank between term labels, the later one winning', () => {
    const t = new Timeline(['a']);
    t.record('a', 1000, { term: 9 });
    t.record('a', 1100, { term: 10 });
    t.record('a', 1400, { term: 11 });
    t.record('a', 1500, { term: 12 });
    const terms = t.text({ toMs: 1800 }).split('\n')[3];
    expect(terms, '9 gives way to 10, and 11 to 12').toBe(`${' '.repeat(8)}0${' '.repeat(10)}10  12`);
  });

  it('draws a window of a long run, and knows where each peer stood at any time', () => {
    const t = story();
    expect(t.text({ fromMs: 3000, toMs: 4500 }).split('\n').slice(1, 4)).toEqual(['        3s        4s', 'raft-0  lllllllllllllll', '        1']);
    expect(t.at('raft-1', 3404)).toEqual({ at: 3400, state: 'candidate', term: 2, cutOff: false });
    expect(t.history('raft-2').map((c) => c.state)).toEqual(['follower', 'follower', 'follower', 'crashed', 'follower']);
    expect(() => t.at('raft-9', 0)).toThrow(/no peer named raft-9/);
  });

  it('tells the same story as a Mermaid gantt chart, events at one instant sharing a milestone', () => {
    const t = story();
    t.mark(4000, 'connect raft-0');
    const chart = t.mermaid({ toMs: 4500 }).split('\n');
    expect(chart.slice(0, 8)).toEqual(['---', 'displayMode: compact', '---', 'gantt', '  dateFormat x', '  axisFormat %M:%S', '  tickInterval 1second', '  todayMarker off']);
    expect(chart).toContain('  section raft-0');
    expect(chart).toContain('  leader t1 :1204, 3296ms');
    expect(chart).toContain('  candidate t2 :active, 3400, 5ms');
    expect(chart).toContain('  crashed :crit, 3800, 200ms');
    expect(chart).toContain('  follower t2 :done, 4000, 500ms');
    expect(chart.slice(-2)).toEqual(['  crash raft-2 :milestone, 3800, 0ms', '  restart raft-2, connect raft-0 :milestone, 4000, 0ms']);
  });
});
