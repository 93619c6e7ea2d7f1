import { virtualMs } from '../../api/time';
import type { DaemonSet, Node, Pod } from '../../api/types';
import type { NodeAffinityFn } from '../../scheduler/plugins/node-affinity-contract';
import type { TaintTolerationFn } from '../../scheduler/plugins/taint-toleration-contract';
import { isPodReady } from '../replicaset-contract';
import { TEMPLATE_GENERATION_ANNOTATION } from '../../apiserver/strategies/daemonset';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controller-revisions';
import { daemonPodTolerations, POD_TEMPLATE_GENERATION_LABEL, targetNodeName } from './daemon-pod';
import type { DaemonNode, DaemonPod, DaemonSetPlanInput, FailedPodBackoff, PodPhase } from './daemonset-plan-contract';

/**
 * The plan's input, from what the controller's caches hold: what the plan is told rather than
 * left to work out (daemonset-plan-contract.ts). Whether a taint is tolerated and whether a node
 * matches the required node affinity are asked of chapter 05's TaintToleration and NodeAffinity
 * (the reference's, whoever runs those exercises), as the controller asks the scheduler's
 * helpers upstream (predicates() in daemon_controller.go).
 *
 *   planInput({ ds: fluentd, nodes: [control-plane tainted node-role.kubernetes.io/control-plane:NoSchedule], ... })
 *   // => nodes: [{ name: 'control-plane', taints: [{ key: 'node-role...', effect: 'NoSchedule', tolerated: true }],
 *   //              matchesNodeAffinity: true, labels }], the docs' manifest tolerating the control plane
 */
export interface PlanSources {
  ds: Readonly<DaemonSet>;
  nodes: readonly Readonly<Node>[];
  /** The pods the DaemonSet controls. */
  pods: readonly Readonly<Pod>[];
  /** The current revision's controller-revision-hash. */
  hash: string;
  nowMs: number;
  failedPodBackoff: Readonly<Record<string, FailedPodBackoff>>;
  taintToleration: TaintTolerationFn;
  nodeAffinity: NodeAffinityFn;
}

export function planInput(src: PlanSources): DaemonSetPlanInput {
  const spec = src.ds.spec.template.spec!;
  const tolerations = daemonPodTolerations(spec);
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  // The required affinity alone: the plan checks the nodeSelector itself.
  const affinityOnly: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } } } };
  const nodes = [...src.nodes].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1)).map((node): DaemonNode => ({
    name: node.metadata.name!,
    labels: { ...node.metadata.labels },
    taints: (node.spec?.taints ?? []).map((taint) => {
      const verdict = src.taintToleration({ taints: [taint], tolerations });
      // A PreferNoSchedule taint never fails the Filter: its score says whether it is tolerated.
      const tolerated = taint.effect === 'PreferNoSchedule' ? verdict.score === 0 : verdict.status.code === 'Success';
      return { key: taint.key, ...(taint.value !== undefined ? { value: taint.value } : {}), effect: taint.effect, tolerated };
    }),
    matchesNodeAffinity: required === undefined || src.nodeAffinity({ pod: affinityOnly, node }).status.code === 'Success',
  }));
  const generation = src.ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  const minReadySeconds = src.ds.spec.minReadySeconds ?? 0;
  const pods: DaemonPod[] = [];
  for (const pod of src.pods) {
    const node = targetNodeName(pod);
    const phase = (pod.status?.phase ?? 'Pending') as PodPhase;
    const deleting = pod.metadata.deletionTimestamp !== undefined;
    // getNodesToDaemonPods leaves out finished pods on their way out, and pods aimed at no node.
    if (node === undefined || (deleting && (phase === 'Succeeded' || phase === 'Failed'))) continue;
    const labels = pod.metadata.labels ?? {};
    pods.push({
      name: pod.metadata.name!,
      node,
      scheduled: Boolean(pod.spec.nodeName),
      phase,
      deleting,
      createdMs: virtualMs(pod.metadata.creationTimestamp!),
      updated: labels[CONTROLLER_REVISION_HASH_LABEL] === src.hash || (generation !== undefined && labels[POD_TEMPLATE_GENERATION_LABEL] === generation),
      ready: isPodReady(pod),
      available: isPodAvailable(pod, minReadySeconds, src.nowMs),
    });
  }
  const ru = src.ds.spec.updateStrategy;
  const updateStrategy = ru?.type === 'OnDelete' ? { type: 'OnDelete' as const } : { type: 'RollingUpdate' as const, maxUnavailable: ru?.rollingUpdate?.maxUnavailable ?? 1 };
  return { template: Object.assign({}, spec.nodeName ? { nodeName: spec.nodeName } : {}, { nodeSelector: { ...spec.nodeSelector } }), nodes, pods, updateStrategy, nowMs: src.nowMs, failedPodBackoff: src.failedPodBackoff };
}

/**
 * podutil.IsPodAvailable: Ready, and Ready for minReadySeconds (its Ready condition's last
 * transition at least that long ago).
 *
 *   isPodAvailable(ready since 0 s, 10, 10_000)  // => false (not strictly after 10 s)
 *   isPodAvailable(ready since 0 s, 10, 10_001)  // => true
 */
export function isPodAvailable(pod: Readonly<Pod>, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
  return since !== undefined && virtualMs(since) + minReadySeconds * 1000 < nowMs;
}
