/**
 * Exercise `select-host` — the scheduler's final pick.                      (chapter 05)
 *
 * After Filter has kept the nodes a pod can run on, every Score plugin gives each of them a
 * score. The scheduler brings each plugin's scores into the range 0..MAX_NODE_SCORE (100),
 * multiplies them by the plugin's weight, adds them up per node, and binds the pod to the node
 * with the highest total. That is kube-scheduler's prioritizeNodes and selectHost
 * (pkg/scheduler/schedule_one.go).
 *
 * The framework calls your function once per pod; run a cluster on it with
 *   createCluster({ use: { 'select-host': 'exercise' } })
 * and grade it with
 *   npm run grade -- select-host
 *
 * Input => output, by example (nodes a, b, c):
 *
 *   NodeResourcesFit, weight 1, normalize 'none',    scores a 40, b 90, c 90
 *   TaintToleration,  weight 3, normalize 'reverse', scores a 0,  b 1,  c 2   (untolerated PreferNoSchedule taints)
 *     TaintToleration normalised: highest is 2 => a 100 - 0 = 100, b 100 - 50 = 50, c 100 - 100 = 0; weighted a 300, b 150, c 0
 *   => totals a 340, b 240, c 90; host 'a'
 *
 *   two nodes tie at the top: draws decide (see Part 3)
 */
import { MAX_NODE_SCORE, type NodeScore } from '../../lab-kernel/scheduler/framework-types';
import type { Normalization, SelectHostInput, SelectHostOutput } from '../../lab-kernel/scheduler/select-host-contract';

/**
 * TODO(2) Put it together:
 *   - normalise each plugin's scores (Part 1), multiply each by the plugin's weight: that is
 *     `weighted`, one entry per plugin, in the order of input.plugins;
 *   - add the weighted scores up per node: `totals`, one entry per node of input.nodes, in that
 *     order (a node no plugin scored has total 0; with no plugins at all every total is 0);
 *   - pick the host with pickHighest (Part 3).
 *
 *   nodes [a, b], plugins [{ weight 2, normalize 'none', scores a 10, b 30 }]
 *   => { host: 'b', totals: [a 20, b 60], weighted: [{ plugin, scores: [a 20, b 60] }] }
 */
export function selectHost(input: SelectHostInput): SelectHostOutput {
  // BEGIN SOLUTION
  // This runs once per pod over up to 500 nodes, so it indexes scores by position (the contract
  // gives every plugin's scores in the order of input.nodes) rather than by name.
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
  // END SOLUTION
}

/**
 * TODO(1) helper.DefaultNormalizeScore, on a copy (never change the scores you are given):
 *   'none'     the scores as they are;
 *   'default'  each score becomes Math.trunc(MAX_NODE_SCORE * score / highest), where highest is
 *              the largest score of the list (Go's integer division truncates);
 *   'reverse'  the same, then MAX_NODE_SCORE minus it (plugins that count bad things: fewer is better).
 *   When the highest score is 0 (or there are none above 0), 'default' leaves every score at 0
 *   and 'reverse' makes every score MAX_NODE_SCORE.
 *
 *   [a 1, b 3], 'default'  => [a 33, b 100]
 *   [a 1, b 3], 'reverse'  => [a 67, b 0]
 *   [a 0, b 0], 'reverse'  => [a 100, b 100]
 */
export function normalizeScores(scores: readonly NodeScore[], how: Normalization): NodeScore[] {
  void MAX_NODE_SCORE;
  // BEGIN SOLUTION
  if (how === 'none') return scores.map((s) => ({ name: s.name, score: s.score }));
  const reverse = how === 'reverse';
  let highest = 0;
  for (const s of scores) highest = Math.max(highest, s.score);
  return scores.map((s) => {
    if (highest === 0) return { name: s.name, score: reverse ? MAX_NODE_SCORE : s.score };
    const scaled = Math.trunc((MAX_NODE_SCORE * s.score) / highest);
    return { name: s.name, score: reverse ? MAX_NODE_SCORE - scaled : scaled };
  });
  // END SOLUTION
}

/**
 * TODO(3) The node with the highest total. Ties are broken at random, by reservoir sampling as
 * kube-scheduler's selectHost does, so each tied node has the same chance:
 *   go through the totals in order, remembering the best total so far, how many nodes have it
 *   (k), and the chosen node;
 *   - a strictly higher total: choose that node, k = 1;
 *   - an equal total: k = k + 1; take the next unused draw d from `draws`; if Math.floor(d * k) === 0,
 *     choose this node instead (chance 1/k).
 *
 *   totals [a 5, b 9, c 9], draws [0.2]   => c 9 ties b: k = 2, Math.floor(0.2 * 2) = 0 => 'c'
 *   totals [a 5, b 9, c 9], draws [0.7]   => Math.floor(0.7 * 2) = 1 => 'b' stays
 *   totals [a 9, b 9, c 9], draws [0.9, 0.1] => b: floor(1.8) = 1, keep a; c: floor(0.3) = 0 => 'c'
 */
export function pickHighest(totals: readonly NodeScore[], draws: readonly number[]): string {
  // BEGIN SOLUTION
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
  // END SOLUTION
}
