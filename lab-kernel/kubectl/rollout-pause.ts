import type { Deployment } from '../api/types';
import { checked, displayName, KubectlError, resourceString, type Send } from './kubectl-error';
import { findResource } from '../api/resources';

/**
 * `kubectl rollout pause deployment/<name>` and `kubectl rollout resume deployment/<name>`
 * (kubectl 1.32: cmd/rollout/rollout_pause.go, rollout_resume.go, polymorphichelpers/
 * objectpauser.go, objectresumer.go). kubectl reads the object, flips spec.paused on its copy
 * and sends the difference as a strategic merge patch: `{"spec":{"paused":true}}` to pause,
 * `{"spec":{"paused":null}}` to resume (false is omitted from the object, so the field goes).
 * Only Deployments can be paused.
 *
 *   rolloutPause(send, 'deployment', 'default', 'web', true)    // => 'deployment.apps/web paused'
 *   again                                                        // throws 'error: deployments.apps "web" is already paused'
 *   rolloutPause(send, 'deployment', 'default', 'web', false)   // => 'deployment.apps/web resumed'
 *   again                                                        // throws 'error: deployments.apps "web" is not paused'
 *   rolloutPause(send, 'daemonset', 'default', 'ds', true)      // throws 'error: daemonsets.apps "ds" pausing is not supported'
 */
export function rolloutPause(send: Send, resource: string, namespace: string, name: string, pause: boolean): string {
  const info = findResource(resource);
  if (info === undefined) throw new KubectlError(`error: the server doesn't have a resource type "${resource}"`);
  const obj = checked(send({ verb: 'get', resource: info.resource, namespace, name })).body as Deployment;
  const fail = (why: string) => new KubectlError(`error: ${resourceString(info)} "${name}" ${why}`);
  if (info.kind !== 'Deployment') throw fail(pause ? 'pausing is not supported' : 'resuming is not supported');
  if (pause && obj.spec.paused) throw fail('is already paused');
  if (!pause && !obj.spec.paused) throw fail('is not paused');
  const res = send({ verb: 'patch', resource: info.resource, namespace, name, patchType: 'application/strategic-merge-patch+json', body: { spec: { paused: pause ? true : null } } });
  if (res.code >= 400) throw new KubectlError(`error: failed to patch: ${(res.body as { message?: string }).message}`);
  return `${displayName(info)}/${name} ${pause ? 'paused' : 'resumed'}`;
}
