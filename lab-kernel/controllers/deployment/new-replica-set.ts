import type { Deployment, OwnerReference, ReplicaSet } from '../../api/types';
import { setNewReplicaSetAnnotations } from './annotations';
import { computeHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash';

/**
 * The ReplicaSet a Deployment creates for its current pod template (sync.go, getNewReplicaSet):
 * named after the Deployment and the template's hash, that hash added as the
 * pod-template-hash label to its selector, its template's labels and its own labels (so the
 * ReplicaSets of two versions never select each other's pods), and owned by the Deployment.
 *
 *   newReplicaSetFor(nginxDeployment, 3, '1')
 *   // => { metadata: { name: 'nginx-deployment-<hash>', labels: { app: 'nginx', 'pod-template-hash': '<hash>' },
 *   //                  annotations: { revision: '1', desired-replicas: '3', max-replicas: '4' },
 *   //                  ownerReferences: [{ kind: 'Deployment', name: 'nginx-deployment', controller: true, ... }] },
 *   //      spec: { replicas: 3, selector: { matchLabels: { app: 'nginx', 'pod-template-hash': '<hash>' } }, template: ... } }
 */
export function controllerRefTo(d: Readonly<Deployment>): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function newReplicaSetFor(d: Readonly<Deployment>, replicas: number, newRevision: string): ReplicaSet {
  const template = structuredClone(d.spec.template);
  const hash = computeHash(template, d.status?.collisionCount);
  const labels = Object.assign({}, template.metadata?.labels, { [POD_TEMPLATE_HASH_LABEL]: hash });
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = Object.assign({}, selector.matchLabels, { [POD_TEMPLATE_HASH_LABEL]: hash });
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels: { ...labels }, ownerReferences: [controllerRefTo(d)] },
    spec: {
      replicas,
      ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
      selector,
      template: Object.assign({}, template, { metadata: Object.assign({}, template.metadata, { labels }) }),
    },
  };
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  return rs;
}
