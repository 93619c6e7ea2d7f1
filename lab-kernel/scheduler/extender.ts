import type { Pod } from '../api/types';
import type { NodeInfo, NodeScore } from './framework-types';

/**
 * A scheduler extender, after kube-scheduler's HTTPExtender (pkg/scheduler/extender.go): code
 * outside the framework that gets a say after the Filter plugins and adds to the scores. A
 * real extender is a web service the scheduler POSTs to; the lab calls it in process.
 *
 *   const gpuOnly: Extender = {
 *     name: 'gpu-extender',
 *     weight: 2,
 *     filter: (pod, nodes) => ({ nodeNames: nodes.filter(hasGpu).map(name), failed: { 'node-1': 'no GPU here' } }),
 *     prioritize: (pod, nodes) => nodes.map((n) => ({ name: n.node.metadata.name!, score: 10 })),
 *   };
 *   createScheduler(..., { extenders: [gpuOnly] })
 *
 * Its scores run from 0 to MAX_EXTENDER_PRIORITY (10); the scheduler scales them to the plugins'
 * 0..100 and multiplies by its weight: total += score * weight * (100 / 10).
 */
export const MAX_EXTENDER_PRIORITY = 10;

export interface ExtenderFilterResult {
  /** The nodes that pass. */
  nodeNames: string[];
  /** Why each other node fails, by node name: it shows in the FailedScheduling message. */
  failed: Record<string, string>;
}

export interface Extender {
  name: string;
  /** Multiplies its (scaled) scores; kube-scheduler requires a positive weight. */
  weight: number;
  filter?(pod: Readonly<Pod>, nodes: readonly NodeInfo[]): ExtenderFilterResult;
  /** 0..MAX_EXTENDER_PRIORITY per node. */
  prioritize?(pod: Readonly<Pod>, nodes: readonly NodeInfo[]): NodeScore[];
}
