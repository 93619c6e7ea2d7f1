import { selectorString } from '../../api/labels';
import type { ResourceInfo } from '../../api/resources';
import { invalid, invalidValue } from '../../api/status';
import type { KubeObject, LabelSelector, Scale } from '../../api/types';
import type { SubresourceHandler } from './subresource';

/**
 * The scale subresource (autoscaling/v1 Scale) of the kinds that have a replica count:
 * deployments, replicasets, statefulsets and replicationcontrollers. It shows the parent as a
 * Scale, and a Scale written to it changes the parent's spec.replicas and nothing else
 * (kube-apiserver's ScaleREST: scaleFromDeployment and scaleUpdatedObjectInfo, pkg/registry/apps/
 * deployment/storage/storage.go and its siblings). It is how `kubectl scale` and the
 * HorizontalPodAutoscaler change a workload without knowing its kind.
 *
 *   GET   deployments/web/scale   // => { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name, namespace, uid,
 *                                 //      resourceVersion, creationTimestamp }, spec: { replicas: 1 },
 *                                 //      status: { replicas: 1, selector: 'app=web' } }
 *   PATCH deployments/web/scale { spec: { replicas: 3 } }   // => the Scale at 3; the Deployment's generation + 1
 *   PUT   deployments/web/scale { spec: { replicas: -1 } }  // => 422 Scale.autoscaling "web" is invalid:
 *                                                           //    spec.replicas: Invalid value: -1: must be greater than or equal to 0
 *
 * The change goes through the parent's own update (its strategy and validation), so the
 * generation rises as for any change of spec. A resourceVersion in the Scale is the parent's:
 * a stale one is a 409 Conflict.
 */
export const SCALE: ResourceInfo = { kind: 'Scale', resource: 'scale', group: 'autoscaling', version: 'v1', namespaced: true, storagePrefix: '', shortNames: [], hasStatus: false };

/** The kinds kube-apiserver 1.32 serves a scale subresource for (CRDs with one are not modelled). */
const SCALABLE = new Set(['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers']);

interface Scalable extends KubeObject {
  spec: { replicas?: number; selector?: LabelSelector | Record<string, string> };
  status?: { replicas?: number };
}

export const scaleSubresource: SubresourceHandler = {
  servedFor: (strategy) => strategy.info.group === (strategy.info.resource === 'replicationcontrollers' ? '' : 'apps') && SCALABLE.has(strategy.info.resource),
  verbs: ['get', 'update', 'patch'],
  body: SCALE,
  view: scaleOf,
  changesSpec: true,
  update: (_call, old, body) => {
    const scale = body as Scale;
    const replicas = scale.spec?.replicas ?? 0;
    if (replicas < 0) throw invalid(SCALE, old.metadata.name ?? '', [invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0')]);
    const parent = old as Scalable;
    return Object.assign({}, parent, { metadata: Object.assign({}, parent.metadata, { resourceVersion: scale.metadata.resourceVersion }), spec: Object.assign({}, parent.spec, { replicas }) });
  },
};

/**
 * The Scale of a stored parent (scaleFromDeployment and its siblings).
 *   scaleOf(deployment web, 2 replicas, selector app=web)   // => spec.replicas 2, status { replicas: 2, selector: 'app=web' }
 */
export function scaleOf(obj: Readonly<KubeObject>): Scale {
  const parent = obj as Scalable;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = parent.metadata;
  const selector = parent.spec.selector;
  const asSelector: LabelSelector = selector === undefined ? {} : 'matchLabels' in selector || 'matchExpressions' in selector ? (selector as LabelSelector) : { matchLabels: selector as Record<string, string> };
  const replicas = parent.spec.replicas ?? 0;
  const text = selectorString(asSelector);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: Object.fromEntries(Object.entries({ name, namespace, uid, resourceVersion, creationTimestamp }).filter(([, v]) => v !== undefined)),
    spec: replicas === 0 ? {} : { replicas },
    status: { replicas: parent.status?.replicas ?? 0, ...(text === '' ? {} : { selector: text }) },
  };
}
