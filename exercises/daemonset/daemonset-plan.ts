/**
 * Exercise `daemonset-nodes` — which nodes run a daemon pod, and which pods go. (chapter 07)
 *
 * A DaemonSet "ensures that all (or some) Nodes run a copy of a Pod. As nodes are added to the
 * cluster, Pods are added to them. As nodes are removed from the cluster, those Pods are
 * garbage collected." (the docs). Each time something changes (the DaemonSet, one of its pods,
 * a node joining or relabelled or tainted), kube-controller-manager's DaemonSet controller
 * (pkg/controller/daemon/daemon_controller.go, update.go) decides, for one DaemonSet:
 *
 *   every node: should it run a daemon pod?                   (nodeShouldRunDaemonPod)
 *   every node: a pod to create? pods to delete?              (manage, podsShouldBeOnNode)
 *   nothing to do there: which old pods may the rolling update replace now?   (rollingUpdate)
 *
 * The controller creates each pod with a node affinity naming its node (matchFields
 * metadata.name In [<node>]); the default scheduler binds it there.
 *
 *   3 nodes, no pods                              => create on all 3
 *   node-2 labelled disktype=hdd, nodeSelector disktype: ssd, node-2 runs a pod
 *                                                 => delete it ('misscheduled')
 *   node-1 runs 2 pods (a duplicate)              => delete all but the oldest ('duplicate')
 *   node-1's pod Failed                           => delete it ('failed'); once it is gone, a new one
 *   template changed, maxUnavailable 1, 3 old pods available
 *                                                 => delete 1 old pod ('update'); its node gets a new
 *                                                    one once the old one has stopped
 *
 * You write three parts (planDaemonSet, which calls them and counts the status, is given):
 *   1. nodeShouldRunDaemonPod: should a node run a daemon pod, and keep one it runs?
 *   2. manage: the pods to create and delete, node by node
 *   3. rollingUpdate: the old pods to delete within maxUnavailable
 *
 * Run a cluster on your code with
 *   createCluster({ use: { 'daemonset-nodes': 'exercise' } })
 * and grade it with
 *   npm run grade -- daemonset-nodes
 */
import { scaledValue } from '../../lab-kernel/controllers/deployment/fenceposts';
import {
  oldestFirst,
  type DaemonNode, type DaemonPod, type DaemonSetCounts, type DaemonSetPlan, type DaemonSetPlanInput, type DaemonTemplate, type PodDeletion,
} from '../../lab-kernel/controllers/daemonset/daemonset-plan-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/** Part 1's answer for one node. */
export interface NodeVerdict {
  /** A daemon pod should be created there if it has none. */
  shouldRun: boolean;
  /** A daemon pod already there may stay. */
  shouldContinueRunning: boolean;
}

/** Given: your three parts, in the order syncDaemonSet takes them, and the status. */
export function planDaemonSet(input: DaemonSetPlanInput): DaemonSetPlan {
  const verdicts = new Map(input.nodes.map((n) => [n.name, nodeShouldRunDaemonPod(input.template, n)]));
  const managed = manage(input, verdicts);
  let deletions = managed.delete;
  // The rolling update runs only when there is nothing else to do (upstream: once the
  // expectations of manage's creations and deletions are met, which these have not been yet).
  if (input.updateStrategy.type === 'RollingUpdate' && managed.create.length === 0 && managed.delete.length === 0) {
    const desired = [...verdicts.values()].filter((v) => v.shouldRun).length;
    // maxUnavailable 0 comes only with maxSurge above 0, which the lab does not model: such a
    // DaemonSet updates as upstream updates one configured for neither, one pod at a time.
    const maxUnavailable = Math.max(scaledValue(input.updateStrategy.maxUnavailable, desired, true), desired > 0 ? 1 : 0);
    deletions = rollingUpdate(input, verdicts, maxUnavailable);
  }
  return { create: managed.create, delete: deletions, status: countStatus(input, verdicts), ...(managed.requeueAfterMs !== undefined ? { requeueAfterMs: managed.requeueAfterMs } : {}) };
}

/**
 * Given: updateDaemonSetStatus's counts. For each node that should run a pod: desired; if it
 * has any, current, and its first pod in oldestFirst order decides ready, available (only a
 * ready pod counts as available) and updated. A node that should not run one but has some:
 * misscheduled. Unavailable = desired - available.
 */
export function countStatus(input: DaemonSetPlanInput, verdicts: ReadonlyMap<string, NodeVerdict>): DaemonSetCounts {
  const counts: DaemonSetCounts = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 };
  for (const node of input.nodes) {
    const [first] = podsOn(input, node.name).sort(oldestFirst);
    if (!verdicts.get(node.name)!.shouldRun) {
      if (first !== undefined) counts.numberMisscheduled++;
      continue;
    }
    counts.desiredNumberScheduled++;
    if (first === undefined) continue;
    counts.currentNumberScheduled++;
    if (first.ready) counts.numberReady++;
    if (first.ready && first.available) counts.numberAvailable++;
    if (first.updated) counts.updatedNumberScheduled++;
  }
  counts.numberUnavailable = counts.desiredNumberScheduled - counts.numberAvailable;
  return counts;
}

/** Given: the DaemonSet's pods meant for a node (a fresh list, yours to sort). */
export function podsOn(input: DaemonSetPlanInput, node: string): DaemonPod[] {
  return input.pods.filter((p) => p.node === node);
}

/**
 * TODO(1) Should this node run a daemon pod (shouldRun), and may a daemon pod it already runs
 * stay (shouldContinueRunning)? NodeShouldRunDaemonPod, in this order:
 *   - the template names another node (template.nodeName set and not this node)  => no, no
 *   - a label of template.nodeSelector missing or different on the node, or the node does
 *     not match the required node affinity (node.matchesNodeAffinity)           => no, no
 *   - a taint the pod does not tolerate (taint.tolerated false) whose effect is NoSchedule or
 *     NoExecute: no new pod (shouldRun false); a pod already there stays unless one of those
 *     untolerated taints is NoExecute. PreferNoSchedule taints never keep a daemon pod away.
 *   - otherwise                                                                 => yes, yes
 *
 *   nodeSelector { disktype: ssd }, node labelled disktype=ssd, no taints      => { true, true }
 *   node tainted dedicated=infra:NoSchedule, not tolerated                    => { false, true }
 *   node tainted dedicated=infra:NoExecute, not tolerated                     => { false, false }
 *   node tainted spot:PreferNoSchedule, not tolerated                         => { true, true }
 */
export function nodeShouldRunDaemonPod(template: DaemonTemplate, node: DaemonNode): NodeVerdict {
  throw notImplemented('daemonset-nodes');
}

/**
 * TODO(2) Which pods to create and delete? manage, with podsShouldBeOnNode for each node
 * (verdicts from part 1; podsOn(input, node) gives a node's pods):
 *   - shouldRun and no pod at all for the node (not even one being deleted)  => create one
 *   - shouldContinueRunning: skip pods being deleted; then
 *       a Failed pod => delete it ('failed'), unless the node's back-off still runs
 *         (input.failedPodBackoff[node]: nowMs - lastMs < delayMs): then it waits, and the
 *         plan asks to be looked at again in delayMs (requeueAfterMs, the smallest such delay).
 *         Deleting one starts the node's back-off: at most one failed pod per node per plan.
 *       a Succeeded pod => delete it ('succeeded')
 *       more than one pod left running => keep the first in oldestFirst order, delete the
 *         others ('duplicate')
 *   - not shouldContinueRunning, and the node has pods => delete each not being deleted
 *     ('misscheduled')
 * Then the pods whose node is gone from the node list and that were never scheduled: delete
 * them ('node-gone'). (A scheduled pod on a node that is gone is the pod garbage collector's.)
 *
 *   no pods on control-plane, node-1                     => create ['control-plane', 'node-1']
 *   node-1: pods a (created 10 s), b (created 20 s)      => delete b ('duplicate')
 *   node-1: its only pod is being deleted                => nothing: the new pod waits for it to go
 *   node-1: a Failed pod, back-off { lastMs: 1000, delayMs: 2000 }, nowMs 2000
 *                                                        => nothing now, requeueAfterMs 2000
 */
export function manage(input: DaemonSetPlanInput, verdicts: ReadonlyMap<string, NodeVerdict>): { create: string[]; delete: PodDeletion[]; requeueAfterMs?: number } {
  throw notImplemented('daemonset-nodes');
}

/**
 * TODO(3) The rolling update's step, with maxSurge 0 (update.go's rollingUpdate): which old
 * pods may go now, so that at most maxUnavailable of the nodes are without an available pod?
 * Look at every node that should run a pod, and every node that has pods, in name order;
 * of each node's pods take those not being deleted, and count unavailable nodes:
 *   - more than one updated pod, or more than one old one     => unavailable (manage tidies it)
 *   - no pod at all, or an updated and an old one             => unavailable
 *   - an updated pod only                                     => unavailable if it is not available
 *   - an old pod only, not available                          => delete it ('update') at once,
 *                                                                 and count the node unavailable
 *   - an old pod only, available                              => a candidate (while fewer than
 *                                                                 maxUnavailable nodes are unavailable so far)
 * Then delete as many candidates, in that order, as maxUnavailable leaves room for:
 * maxUnavailable - unavailable nodes, never below 0.
 *
 *   maxUnavailable 1, three nodes with an old available pod each      => delete the first node's pod
 *   maxUnavailable 1, node-1's new pod not available yet, node-2 old  => delete nothing
 *   maxUnavailable 1, node-1 old unavailable, node-2 old available    => delete node-1's pod only
 */
export function rollingUpdate(input: DaemonSetPlanInput, verdicts: ReadonlyMap<string, NodeVerdict>, maxUnavailable: number): PodDeletion[] {
  throw notImplemented('daemonset-nodes');
}
