/**
 * Exercise `select-host` — reference solution. See exercises/scheduler/select-host.ts for the
 * full task description; this file mirrors it with the parts filled in.
 *
 * It runs once per pod over up to 500 nodes, so it indexes scores by position (the contract
 * gives every plugin's scores in the order of input.nodes) rather than by name.
 */
import { MAX_NODE_SCORE, type NodeScore } from '../../lab-kernel/scheduler/framework-types';
import type { Normalization, SelectHostInput, SelectHostOutput } from '../../lab-kernel/scheduler/select-host-contract';

export function selectHost(input: SelectHostInput): SelectHostOutput {
  const totals: NodeScore[] = input.nodes.map((name) => ({ name, score: 0 }));
  const weighted = input.plugins.map((p) => {
    const scores = normalizeScores(p.scores, p.normalize);
    for (let i = 0; i < scores.length; i++) {
      scores[i].score *= p.weight;
      totals[i].score += scores[i].score;
    }
    return { plugin: p.plugin, scores };
  });
  return { host: pickHighest(totals, input.draws), totals, weighted };
}

// Part 1: helper.DefaultNormalizeScore, on a copy.
function normalizeScores(scores: readonly NodeScore[], how: Normalization): NodeScore[] {
  if (how === 'none') return scores.map((s) => ({ name: s.name, score: s.score }));
  const reverse = how === 'reverse';
  let highest = 0;
  for (const s of scores) highest = Math.max(highest, s.score);
  return scores.map((s) => {
    if (highest === 0) return { name: s.name, score: reverse ? MAX_NODE_SCORE : s.score };
    const scaled = Math.trunc((MAX_NODE_SCORE * s.score) / highest);
    return { name: s.name, score: reverse ? MAX_NODE_SCORE - scaled : scaled };
  });
}

// Part 3: the highest total, ties by reservoir sampling.
function pickHighest(totals: readonly NodeScore[], draws: readonly number[]): string {
  let host = totals[0].name;
  let best = totals[0].score;
  let holders = 1;
  let used = 0;
  for (let i = 1; i < totals.length; i++) {
    const t = totals[i];
    if (t.score > best) {
      host = t.name;
      best = t.score;
      holders = 1;
    } else if (t.score === best) {
      holders++;
      if (Math.floor(draws[used++] * holders) === 0) host = t.name;
    }
  }
  return host;
}
