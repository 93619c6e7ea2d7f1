import type { Pod } from '../api/types';
import { cloneNodeInfo } from './cache';
import { fitErrorMessage } from './fit-error';
import { success, unresolvable, unschedulable, type NodeInfo, type NodeToStatus, type PostFilterPlugin, type Status } from './framework-types';
import type { FrameworkHandle } from './framework';
import { removePod } from './node-info';

/**
 * DefaultPreemption (plugins/defaultpreemption), the PostFilter plugin: when a pod fits no node,
 * look for a node where evicting pods of lower priority would make it fit.
 *
 *   pod priority 1000 requesting cpu 2; node-1 full of priority-0 pods
 *   // => { nominatedNodeName: 'node-1', victims: [the fewest priority-0 pods that make room], status: Success }
 *   no node where that helps
 *   // => Unschedulable "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
 *
 * The scheduler runtime then deletes the victims (each gets a Preempted event) and the pod
 * waits in the queue until their deletion frees the node.
 *
 * Lab simplification of victim selection: on each node where Filter said Unschedulable (not
 * UnschedulableAndUnresolvable), lower-priority pods are removed one at a time, lowest priority
 * first, until the pod fits; the candidate is the node with the fewest victims, then the lowest
 * highest-victim priority, then the first tried. Kubernetes instead removes all lower-priority
 * pods, then reprieves as many as it can (highest priority first, PodDisruptionBudgets
 * considered), and picks among candidates by more criteria. Filters re-run on the node with the
 * victims removed but with the PreFilter state of the whole cluster (no AddPod/RemovePod
 * extensions), so PodTopologySpread's counts still include the victims. Nominated pods are not
 * tracked (PodStatus has no nominatedNodeName in the lab).
 */
export const DEFAULT_PREEMPTION = 'DefaultPreemption';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

interface Candidate {
  node: string;
  victims: Readonly<Pod>[];
}

export function defaultPreemptionPlugin(handle: FrameworkHandle): PostFilterPlugin {
  return {
    name: DEFAULT_PREEMPTION,
    postFilter(state, pod, filtered) {
      if (pod.spec.preemptionPolicy === 'Never') return { status: unschedulable('preemption: not eligible due to preemptionPolicy=Never') };
      const snapshot = handle.snapshot();
      const verdicts: NodeToStatus = new Map();
      let best: Candidate | undefined;
      for (const info of snapshot.nodeInfos()) {
        const name = info.node.metadata.name!;
        const status = filtered.get(name);
        if (status === undefined) continue;
        if (status.code === 'UnschedulableAndUnresolvable') {
          verdicts.set(name, unresolvable(PREEMPTION_NOT_HELPFUL));
          continue;
        }
        const found = victimsOn(info, pod, (copy) => handle.runFilterPlugins(state, pod, copy));
        if (found.kind === 'none') verdicts.set(name, found.status);
        else if (best === undefined || better(found.victims, best.victims)) best = { node: name, victims: found.victims };
      }
      if (best !== undefined) return { nominatedNodeName: best.node, victims: best.victims, status: success() };
      return { status: unschedulable(`preemption: ${fitErrorMessage({ numAllNodes: snapshot.nodeInfos().length, nodeToStatus: verdicts })}`) };
    },
  };
}

const priorityOf = (p: Readonly<Pod>): number => p.spec.priority ?? 0;

/**
 * The fewest lower-priority pods (lowest priority first) whose removal lets Filter pass. None:
 * "No preemption victims found for incoming pod" when there is no lower-priority pod, else what
 * Filter still says with all of them gone.
 */
function victimsOn(info: NodeInfo, pod: Readonly<Pod>, filter: (copy: NodeInfo) => Status): { kind: 'found'; victims: Readonly<Pod>[] } | { kind: 'none'; status: Status } {
  const lower = info.pods.map((p) => p.pod).filter((p) => priorityOf(p) < priorityOf(pod));
  if (lower.length === 0) return { kind: 'none', status: unresolvable(NO_VICTIMS) };
  lower.sort((a, b) => priorityOf(a) - priorityOf(b));
  const copy = cloneNodeInfo(info);
  const victims: Readonly<Pod>[] = [];
  let status: Status = unresolvable(NO_VICTIMS);
  for (const v of lower) {
    removePod(copy, v);
    victims.push(v);
    status = filter(copy);
    if (status.code === 'Success') return { kind: 'found', victims };
  }
  return { kind: 'none', status };
}

/** Fewer victims first, then a lower highest victim priority. */
function better(a: readonly Readonly<Pod>[], b: readonly Readonly<Pod>[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  return Math.max(...a.map(priorityOf)) < Math.max(...b.map(priorityOf));
}
