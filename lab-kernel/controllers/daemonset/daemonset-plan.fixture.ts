import type { Taint } from '../../api/types';
import type { DaemonNode, DaemonPod, DaemonSetPlanInput, DaemonTaint } from './daemonset-plan-contract';

/**
 * For tests of the DaemonSet plan (the kernel's and the grader's): inputs by example.
 *
 *   input({ nodes: [node('node-1'), node('node-2', { taints: [taint('gpu', 'NoSchedule')] })], pods: [pod('a', 'node-1')] })
 */
export function node(name: string, extra: Partial<DaemonNode> = {}): DaemonNode {
  return { name, labels: { 'kubernetes.io/hostname': name }, taints: [], matchesNodeAffinity: true, ...extra };
}

/** A taint, not tolerated unless said. */
export function taint(key: string, effect: Taint['effect'], tolerated = false): DaemonTaint {
  return { key, effect, tolerated };
}

/** A running, ready, available, updated, scheduled pod on `node`, created at `createdMs` (default 1 s). */
export function pod(name: string, node: string, extra: Partial<DaemonPod> = {}): DaemonPod {
  return { name, node, scheduled: true, phase: 'Running', deleting: false, createdMs: 1_000, updated: true, ready: true, available: true, ...extra };
}

export function input(parts: Partial<DaemonSetPlanInput> = {}): DaemonSetPlanInput {
  return { template: { nodeSelector: {} }, nodes: [], pods: [], updateStrategy: { type: 'RollingUpdate', maxUnavailable: 1 }, nowMs: 60_000, failedPodBackoff: {}, ...parts };
}

/** Three nodes, each running one pod of the old template, available: where a rolling update starts. */
export function oldEverywhere(names = ['node-1', 'node-2', 'node-3']): { nodes: DaemonNode[]; pods: DaemonPod[] } {
  return { nodes: names.map((n) => node(n)), pods: names.map((n, i) => pod(`old-${i + 1}`, n, { updated: false })) };
}
