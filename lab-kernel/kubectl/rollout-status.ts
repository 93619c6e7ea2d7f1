import type { Deployment } from '../api/types';
import type { Client } from '../client/client';
import type { Simulation } from '../sim/simulation';
import { checked, type Send } from './kubectl-error';

/**
 * What `kubectl rollout status deployment/<name>` says about a Deployment at one moment
 * (kubectl's DeploymentStatusViewer, pkg/polymorphichelpers/rollout_status.go): it reads only
 * the Deployment's status, as the Deployment controller wrote it.
 *
 *   generation 2, observedGeneration 1                  => 'Waiting for deployment spec update to be observed...'
 *   replicas 3, updatedReplicas 1                       => 'Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas have been updated...'
 *   status.replicas 4, updatedReplicas 3                => '... rollout to finish: 1 old replicas are pending termination...'
 *   updatedReplicas 3, availableReplicas 2              => '... rollout to finish: 2 of 3 updated replicas are available...'
 *   all of them updated and available                   => 'deployment "nginx-deployment" successfully rolled out' (done)
 *   Progressing False, reason ProgressDeadlineExceeded  => error: deployment "nginx-deployment" exceeded its progress deadline
 *
 * kubectl watches the Deployment and prints each new message until it is done
 * (followRolloutStatus, below).
 */
export interface RolloutStatusLine {
  message: string;
  done: boolean;
  error?: string;
}

export function deploymentRolloutStatus(d: Readonly<Deployment>): RolloutStatusLine {
  const name = d.metadata.name;
  const status = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) return { message: 'Waiting for deployment spec update to be observed...', done: false };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { message: '', done: false, error: `deployment "${name}" exceeded its progress deadline` };
  const replicas = d.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const waiting = (what: string) => ({ message: `Waiting for deployment "${name}" rollout to finish: ${what}...`, done: false });
  if (updated < replicas) return waiting(`${updated} out of ${replicas} new replicas have been updated`);
  if ((status.replicas ?? 0) > updated) return waiting(`${(status.replicas ?? 0) - updated} old replicas are pending termination`);
  if ((status.availableReplicas ?? 0) < updated) return waiting(`${status.availableReplicas ?? 0} of ${updated} updated replicas are available`);
  return { message: `deployment "${name}" successfully rolled out`, done: true };
}

/**
 * The command itself: GET the Deployment, then watch it (from that resourceVersion) and collect
 * each new line until it is done, it failed, or `limitMs` of virtual time pass
 * ('error: timed out waiting for the condition').
 */
export function followRolloutStatus(send: Send, watch: Client['watch'], sim: Pick<Simulation, 'runUntil'>, namespace: string, name: string, limitMs: number): string {
  const first = checked(send({ verb: 'get', resource: 'deployments', namespace, name })).body as Deployment;
  const lines: string[] = [];
  let current = deploymentRolloutStatus(first);
  const tell = (line: RolloutStatusLine) => {
    current = line;
    const text = line.error !== undefined ? `error: ${line.error}` : line.message;
    if (lines[lines.length - 1] !== text) lines.push(text);
  };
  tell(current);
  if (current.done || current.error !== undefined) return lines.join('\n');
  const stop = watch({ verb: 'watch', resource: 'deployments', namespace, fieldSelector: `metadata.name=${name}`, resourceVersion: first.metadata.resourceVersion }, (event) => {
    if (event.type === 'ADDED' || event.type === 'MODIFIED') tell(deploymentRolloutStatus(event.object as Deployment));
  });
  const finished = sim.runUntil(() => current.done || current.error !== undefined, limitMs);
  stop();
  if (!finished) lines.push('error: timed out waiting for the condition');
  return lines.join('\n');
}
