import { describe, expect, it } from 'vitest';
import { loadSlot } from '../slots/slots';
import { figure8 } from './figure8';
import { votesByTerm } from './trace-views';

const reference = loadSlot('raft', 'solution');
const terms = (log: { entries: { term: number }[] }) => log.entries.map((e) => e.term);

describe('figure8: the paper’s Figure 8 on five real members', () => {
  const run = figure8(reference, 17);
  const [a, b, c, d, e] = run.stages;

  it('casts S1 to S5 and draws the five stages in the paper’s order', () => {
    expect(run.stages.map((s) => s.label)).toEqual(['(a)', '(b)', '(c)', '(d)', '(e)']);
    expect(new Set(Object.values(run.cast)).size).toBe(5);
    expect(a.logs.map((l) => l.member)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5'].map((s) => `${s} = ${run.cast[s]}`));
  });

  it('(a) and (b): entry 2 of term 2 on S1 and S2; S5’s own entry 2 on S5 alone', () => {
    expect(a.logs.map(terms)).toEqual([[1, 2], [1, 2], [1], [1], [1]]);
    expect(a.logs[0]).toMatchObject({ role: 'leader', term: 2, commit: 1 });
    expect(b.logs.map(terms)).toEqual([[1, 2], [1, 2], [1], [1], [1, 3]]);
    expect(b.logs[4]).toMatchObject({ role: 'leader', term: 3 });
  });

  it('(c): entry 2 on a majority, and S1 does not count it as committed', () => {
    const t = c.logs[0].term;
    expect(c.logs.map(terms)).toEqual([[1, 2, t], [1, 2], [1, 2, t], [1], [1, 3]]);
    expect(c.logs[0]).toMatchObject({ role: 'leader', commit: 1 });
  });

  it('(d): S5 wins and replaces entry 2 everywhere but on S1’s disk', () => {
    const t = d.logs[4].term;
    expect(d.logs[0].role).toBeUndefined();
    expect(d.logs.map(terms)).toEqual([[1, 2, c.logs[0].term], [1, 3, t], [1, 3, t], [1, 3, t], [1, 3, t]]);
    expect(d.logs[4]).toMatchObject({ role: 'leader', commit: 3 });
  });

  it('(e): S1’s own entry on a majority commits entry 2 with it, and then S5 cannot win', () => {
    expect(e.logs[0]).toMatchObject({ role: 'leader', commit: 3 });
    expect(e.logs.slice(0, 3).every((l) => l.commit === 3)).toBe(true);
    const s5 = run.cast.S5;
    expect(votesByTerm(run.e.sim.trace, e.at, 5).filter((v) => v.candidate === s5 && v.result === 'leader')).toEqual([]);
  });
});
