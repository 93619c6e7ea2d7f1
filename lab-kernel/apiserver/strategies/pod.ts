import type { ResourceInfo } from '../../api/resources';
import { conflict } from '../../api/status';
import { timestamp } from '../../api/time';
import type { Pod } from '../../api/types';
import { defaultStrategy } from './default';
import type { ResourceStrategy } from './strategy';

/**
 * Pods: the default strategy, plus what only pods have.
 *
 *   list     field selectors on spec.nodeName, spec.schedulerName, status.phase too
 *            (a kubelet lists ?fieldSelector=spec.nodeName=node-1); the watch cache indexes
 *            watchers by spec.nodeName
 *   delete   a pod running on a node gets a grace period to stop its containers:
 *            the request's gracePeriodSeconds, else its terminationGracePeriodSeconds (30)
 *   binding  POST pods/web/binding { target: { name: 'node-1' } }
 *            // => spec.nodeName 'node-1', condition PodScheduled True; once only
 */
export function podStrategy(info: ResourceInfo): ResourceStrategy {
  return Object.assign({}, defaultStrategy(info), {
    selectableFields: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.schedulerName', 'status.phase'],
    // As kube-apiserver's pod registry (NodeNameTriggerFunc): a kubelet's watch, spec.nodeName=<node>,
    // only hears of changes to pods on its node, without the cache asking every kubelet's selector.
    watchTrigger: 'spec.nodeName',
    // A pod that never reached a node, or has already finished, has nothing to stop: 0.
    gracePeriodSeconds(obj, requested) {
      const pod = obj as Pod;
      if (!pod.spec.nodeName || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
      return Math.max(0, requested ?? pod.spec.terminationGracePeriodSeconds ?? 30);
    },
    bind(obj, target, nowMs) {
      const pod = obj as Pod;
      const name = pod.metadata.name ?? '';
      if (pod.spec.nodeName) {
        throw conflict({ group: '', resource: 'pods/binding', name }, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
      }
      if (pod.metadata.deletionTimestamp) throw conflict({ group: '', resource: 'pods/binding', name }, `pod ${name} is being deleted, cannot be assigned to a host`);
      pod.spec.nodeName = target;
      const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp(nowMs) });
      pod.status = Object.assign({}, pod.status, { conditions });
    },
  } satisfies Partial<ResourceStrategy>);
}
