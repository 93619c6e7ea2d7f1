import type { NodeScore } from '../framework-types';

/**
 * kube-scheduler's helper.DefaultNormalizeScore: rescales raw scores so the highest becomes
 * maxPriority, in place; with `reverse`, the highest becomes 0 and a zero becomes maxPriority
 * (for plugins whose raw score counts something bad, such as untolerated taints).
 *
 *   defaultNormalizeScore(100, false, [a: 2, b: 4, c: 0])  // => a: 50, b: 100, c: 0
 *   defaultNormalizeScore(100, true,  [a: 1, b: 2, c: 0])  // => a: 50, b: 0,   c: 100
 *   defaultNormalizeScore(100, true,  [a: 0, b: 0])        // => a: 100, b: 100 (all zero, reversed)
 *
 * Integer arithmetic, as in Go: 100 * 1 / 3 is 33.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): void {
  const maxCount = Math.max(0, ...scores.map((s) => s.score));
  if (maxCount === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    const scaled = Math.trunc((maxPriority * s.score) / maxCount);
    s.score = reverse ? maxPriority - scaled : scaled;
  }
}
