import type { Deployment } from '../api/types';

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
 * kubectl watches the Deployment and prints each new message until it is done (Kubectl's
 * rolloutStatus drives it).
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
