import { badRequest } from '../../api/status';
import type { Pod, Toleration } from '../../api/types';
import type { AdmissionPlugin, AdmissionRequest } from '../pipeline-types';

/**
 * DefaultTolerationSeconds: every pod tolerates a not-ready or unreachable node for 5 minutes,
 * then the node lifecycle controller's NoExecute taints evict it. On CREATE and UPDATE of a pod,
 * for each of the two taints the pod does not already tolerate, it appends:
 *
 *   { key: 'node.kubernetes.io/not-ready',   operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }
 *   { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }
 *
 * A toleration already counts when its key is the taint's or empty (any key) and its effect is
 * NoExecute or empty (any effect), whatever its operator or tolerationSeconds: a pod that asks
 * for 30 s keeps its 30 s, and a DaemonSet pod's tolerate-forever toleration stays forever.
 * The two durations are kube-apiserver's --default-not-ready-toleration-seconds and
 * --default-unreachable-toleration-seconds (both 300).
 */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

export function defaultTolerationSecondsPlugin(options: { notReadySeconds?: number; unreachableSeconds?: number } = {}): AdmissionPlugin {
  const defaults: [string, number][] = [
    [NOT_READY_TAINT, options.notReadySeconds ?? 300],
    [UNREACHABLE_TAINT, options.unreachableSeconds ?? 300],
  ];
  return {
    name: 'DefaultTolerationSeconds',
    operations: ['CREATE', 'UPDATE'],
    mayMutate: isPodMainEndpoint,
    mutate(req) {
      if (!isPodMainEndpoint(req)) return undefined;
      if (req.object?.kind !== 'Pod') return badRequest(`expected *api.Pod but got ${req.object?.kind ?? 'nothing'}`);
      const pod = req.object as Pod;
      for (const [key, seconds] of defaults) {
        if ((pod.spec.tolerations ?? []).some((t) => toleratesNoExecute(t, key))) continue;
        pod.spec.tolerations = [...(pod.spec.tolerations ?? []), { key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }];
      }
      return undefined;
    },
  };
}

/** A pod written through its main endpoint (not status or binding): the only request the plugin changes. */
function isPodMainEndpoint(req: Readonly<AdmissionRequest>): boolean {
  return req.info.group === '' && req.info.resource === 'pods' && req.subresource === '';
}

function toleratesNoExecute(t: Readonly<Toleration>, key: string): boolean {
  return (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect);
}
