import { describe, expect, it } from 'vitest';
import { defaultNormalizeScore } from './normalize-score';

describe('DefaultNormalizeScore', () => {
  const cases: [string, boolean, number[], number[]][] = [
    ['scales so the highest raw score becomes 100', false, [2, 4, 0], [50, 100, 0]],
    ['truncates like Go integer division', false, [1, 3], [33, 100]],
    ['reversed: the highest becomes 0 and a zero becomes 100', true, [1, 2, 0], [50, 0, 100]],
    ['all zero stays zero', false, [0, 0], [0, 0]],
    ['all zero, reversed, becomes 100 everywhere', true, [0, 0], [100, 100]],
  ];
  for (const [name, reverse, raw, expected] of cases) {
    it(name, () => {
      const scores = raw.map((score, i) => ({ name: `n${i}`, score }));
      defaultNormalizeScore(100, reverse, scores);
      expect(scores.map((s) => s.score)).toEqual(expected);
    });
  }
});
