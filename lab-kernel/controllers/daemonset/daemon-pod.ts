import type { Affinity, DaemonSet, Pod, PodSpec, Toleration } from '../../api/types';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controller-revisions';

/**
 * A daemon pod as the DaemonSet controller makes it (pkg/controller/daemon/util/daemonset_util.go):
 * its template, with tolerations for the node conditions a daemon must live through, labels
 * naming the template's revision, and a node affinity naming its node, which the default
 * scheduler then honours:
 *
 *   newDaemonPod(fluentd, 'node-1', '6c8d7b9f5', '1')
 *   // => generateName 'fluentd-elasticsearch-', labels { name: fluentd-elasticsearch,
 *   //    controller-revision-hash: 6c8d7b9f5, pod-template-generation: 1 }, owned by the DaemonSet,
 *   //    affinity.nodeAffinity.required: [{ matchFields: [metadata.name In [node-1]] }],
 *   //    tolerations: the template's, then not-ready and unreachable NoExecute (no time limit),
 *   //    disk-, memory-, pid-pressure and unschedulable NoSchedule (and network-unavailable
 *   //    NoSchedule for a hostNetwork pod)
 */
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

const exists = (key: string, effect: Toleration['effect']): Toleration => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });

/**
 * AddOrUpdateDaemonPodTolerations: the template's tolerations, each daemon toleration added
 * unless one with the same key, operator, value and effect is there; such a one is replaced
 * (so a not-ready toleration with tolerationSeconds loses its limit).
 *
 *   daemonPodTolerations({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] })
 *   // => [not-ready NoExecute (no tolerationSeconds), unreachable NoExecute, disk-pressure, memory-pressure, pid-pressure, unschedulable NoSchedule]
 */
export function daemonPodTolerations(spec: Readonly<Pick<PodSpec, 'tolerations' | 'hostNetwork'>>): Toleration[] {
  const daemon = [exists('not-ready', 'NoExecute'), exists('unreachable', 'NoExecute'), exists('disk-pressure', 'NoSchedule'), exists('memory-pressure', 'NoSchedule'), exists('pid-pressure', 'NoSchedule'), exists('unschedulable', 'NoSchedule')];
  if (spec.hostNetwork) daemon.push(exists('network-unavailable', 'NoSchedule'));
  let tolerations = [...(spec.tolerations ?? [])];
  for (const t of daemon) {
    const same = (x: Toleration) => (x.key ?? '') === t.key && (x.operator ?? '') === t.operator && (x.value ?? '') === '' && (x.effect ?? '') === t.effect;
    tolerations = tolerations.some(same) ? tolerations.map((x) => (same(x) ? t : x)) : [...tolerations, t];
  }
  return tolerations;
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes one term,
 * `matchFields metadata.name In [node]`; its preferred terms and pod (anti-)affinity stay.
 */
export function nodeNameAffinity(affinity: Readonly<Affinity> | undefined, node: string): Affinity {
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: [node] }] }] };
  return Object.assign({}, affinity, { nodeAffinity: Object.assign({}, affinity?.nodeAffinity, { requiredDuringSchedulingIgnoredDuringExecution: required }) });
}

/** The pod for `node`: what syncNodes hands to CreatePods. */
export function newDaemonPod(ds: Readonly<DaemonSet>, node: string, hash: string, templateGeneration: string | undefined): Pod {
  const template = structuredClone(ds.spec.template);
  const spec = template.spec!;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: Object.assign({}, template.metadata?.labels, templateGeneration !== undefined ? { [POD_TEMPLATE_GENERATION_LABEL]: templateGeneration } : {}, { [CONTROLLER_REVISION_HASH_LABEL]: hash }),
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name!, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: Object.assign({}, spec, { tolerations: daemonPodTolerations(spec), affinity: nodeNameAffinity(spec.affinity, node) }),
  };
}

/**
 * GetTargetNodeName: spec.nodeName once the pod is bound, else the node its required affinity
 * names (metadata.name In [one node]); undefined if neither (not a pod the controller made).
 *
 *   targetNodeName(bound to node-2)                          // => 'node-2'
 *   targetNodeName(pending, matchFields metadata.name In [node-1])  // => 'node-1'
 */
export function targetNodeName(pod: Readonly<Pod>): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const field = term.matchFields?.find((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (field !== undefined) return field.values?.length === 1 ? field.values[0] : undefined;
  }
  return undefined;
}
