import { findResource } from '../api/resources';
import { timestamp } from '../api/time';
import type { Deployment } from '../api/types';
import { checked, displayName, KubectlError, resourceString, type Send } from './kubectl-error';

/**
 * `kubectl rollout restart deployment/<name>` (kubectl 1.32: cmd/rollout/rollout_restart.go,
 * polymorphichelpers/objectrestarter.go). Nothing restarts a pod in place: kubectl stamps the
 * pod template with an annotation, kubectl.kubernetes.io/restartedAt, set to the current time
 * (RFC 3339; here the simulation's clock). A new template means a new ReplicaSet, so the
 * Deployment controller rolls every pod over, as for any other change. The patch is a
 * strategic merge patch of that one annotation. Deployments, DaemonSets and StatefulSets can
 * be restarted; a paused Deployment cannot.
 *
 *   rolloutRestart(send, 'deployment', 'default', 'web', 60_000)
 *   // PATCH {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2025-01-01T00:01:00Z"}}}}}
 *   // => 'deployment.apps/web restarted'
 *   paused                // throws 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)'
 */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

export function rolloutRestart(send: Send, resource: string, namespace: string, name: string, nowMs: number): string {
  const info = findResource(resource);
  if (info === undefined) throw new KubectlError(`error: the server doesn't have a resource type "${resource}"`);
  const obj = checked(send({ verb: 'get', resource: info.resource, namespace, name })).body as Deployment;
  const fail = (why: string) => new KubectlError(`error: ${resourceString(info)} "${name}" ${why}`);
  if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(info.kind)) throw fail('restarting is not supported');
  if (info.kind === 'Deployment' && obj.spec.paused) throw fail("can't restart paused deployment (run rollout resume first)");
  const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: timestamp(nowMs) } } } } };
  const res = send({ verb: 'patch', resource: info.resource, namespace, name, patchType: 'application/strategic-merge-patch+json', body });
  if (res.code >= 400) throw new KubectlError(`error: failed to patch: ${(res.body as { message?: string }).message}`);
  return `${displayName(info)}/${name} restarted`;
}
