import type { NodeScore } from './framework-types';

/**
 * The contract of the scheduler's last step, after kube-scheduler's prioritizeNodes and
 * selectHost (pkg/scheduler/schedule_one.go): turn every Score plugin's raw scores into one
 * total per node, and pick the node with the highest total.
 *
 *   selectHost({
 *     nodes: ['node-1', 'node-2'],
 *     plugins: [
 *       { plugin: 'TaintToleration', weight: 3, normalize: 'reverse', scores: [{ name: 'node-1', score: 0 }, { name: 'node-2', score: 2 }] },
 *       { plugin: 'NodeResourcesFit', weight: 1, normalize: 'none', scores: [{ name: 'node-1', score: 40 }, { name: 'node-2', score: 90 }] },
 *     ],
 *     draws: [0.7],
 *   })
 *   // TaintToleration normalised (reversed): node-1 100, node-2 0; times 3 => 300, 0
 *   // => { host: 'node-1', totals: [{ name: 'node-1', score: 340 }, { name: 'node-2', score: 90 }], weighted: [...] }
 *
 * Exercise `select-host` (exercises/scheduler/select-host.ts) implements it; the reference is in
 * solutions/scheduler/select-host.ts. The framework (framework.ts) calls it once per pod.
 */

/**
 * How a plugin's raw scores are brought into 0..MAX_NODE_SCORE before weighting:
 *   'none'     already in range (the plugin normalised them itself, or never needs to);
 *   'default'  helper.DefaultNormalizeScore: score * MAX_NODE_SCORE / highest score (integer division);
 *   'reverse'  the same, then MAX_NODE_SCORE - that: for plugins that count bad things (untolerated taints).
 */
export type Normalization = 'none' | 'default' | 'reverse';

export interface PluginScores {
  plugin: string;
  /** The plugin's weight in the profile (TaintToleration 3, NodeAffinity 2, ...). */
  weight: number;
  normalize: Normalization;
  /** One raw score per node, in the order of `nodes`. */
  scores: NodeScore[];
}

export interface SelectHostInput {
  /** The feasible nodes, in the order the scheduler found them. */
  nodes: string[];
  plugins: PluginScores[];
  /**
   * Random numbers in [0, 1), taken in order, one per tie (kube-scheduler's rand.Intn): going
   * through the nodes in order, a node that equals the best total so far is its k-th holder
   * (k = 2, 3, ...); the next draw d replaces the choice with it when Math.floor(d * k) === 0,
   * so each of the k nodes ends up chosen with chance 1/k (reservoir sampling). A strictly
   * better node starts the count again at 1. There are always at least nodes.length - 1 draws.
   */
  draws: number[];
}

export interface SelectHostOutput {
  /** The chosen node. */
  host: string;
  /** Each node's total, in the order of `nodes`. */
  totals: NodeScore[];
  /** Each plugin's scores after normalisation and weighting, in the order of `plugins`. */
  weighted: { plugin: string; scores: NodeScore[] }[];
}

export type SelectHost = (input: SelectHostInput) => SelectHostOutput;
