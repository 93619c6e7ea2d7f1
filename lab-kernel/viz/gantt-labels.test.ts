import { describe, expect, it } from 'vitest';
import { Timeline } from '../raft/timeline';
import { fitGanttLabels } from './gantt-labels';

describe('fitGanttLabels', () => {
  const t = new Timeline(['raft-0']);
  t.record('raft-0', 1000, { state: 'candidate', term: 1 });
  t.record('raft-0', 1300, { state: 'leader' });
  t.record('raft-0', 5000, { state: 'crashed' });
  t.record('raft-0', 5001, { state: 'follower' });
  t.mark(5000, 'crash raft-0');
  const chart = t.mermaid({ fromMs: 0, toMs: 6000 });

  it('keeps the labels that fit and shortens the others to letter and term', () => {
    const fitted = fitGanttLabels(chart).split('\n');
    expect(fitted).toContain('  follower t0 :done, 0, 1000ms');
    expect(fitted).toContain('  leader t1 :1300, 3700ms');
    expect(fitted).toContain('  C1 :active, 1000, 300ms');
    // One millisecond of crash: not even 'x' fits, but mermaid needs a name.
    expect(fitted).toContain('  x :crit, 5000, 1ms');
  });

  it('leaves milestones, sections and the header alone', () => {
    const fitted = fitGanttLabels(chart);
    expect(fitted).toContain('  section raft-0');
    expect(fitted).toContain('  crash raft-0 :milestone, 5000, 0ms');
    expect(fitted.split('\n').slice(0, 8)).toEqual(chart.split('\n').slice(0, 8));
  });
});
