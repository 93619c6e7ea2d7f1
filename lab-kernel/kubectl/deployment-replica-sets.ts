import { selectorString } from '../api/labels';
import type { Deployment, KubeList, ReplicaSet } from '../api/types';
import { checked, type Send } from './kubectl-error';

/**
 * kubectl's GetAllReplicaSets (k8s.io/kubectl/pkg/util/deployment, 1.32): the Deployment's
 * ReplicaSets as `rollout history` and `rollout undo` find them. kubectl lists the ReplicaSets
 * of the Deployment's namespace that match its selector, then keeps those whose controller
 * reference is this Deployment (same uid): every revision still kept, old ones and the new one.
 *
 *   deploymentReplicaSets(send, nginxDeployment)
 *   // GET /apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dnginx
 *   // => [nginx-deployment-7c5ddbdf54 (revision 1), nginx-deployment-6b7f6bb8d9 (revision 2)]
 */
export function deploymentReplicaSets(send: Send, d: Readonly<Deployment>): ReplicaSet[] {
  const res = checked(send({ verb: 'list', resource: 'replicasets', namespace: d.metadata.namespace, labelSelector: selectorString(d.spec.selector) }));
  return (res.body as KubeList<ReplicaSet>).items.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid));
}

/** GET the Deployment, as every rollout command starts. */
export function getDeployment(send: Send, namespace: string, name: string): Deployment {
  return checked(send({ verb: 'get', resource: 'deployments', namespace, name })).body as Deployment;
}
