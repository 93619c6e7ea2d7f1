import type { Deployment, PodTemplateSpec, ReplicaSet } from '../api/types';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, revisionOf } from '../controllers/deployment/annotations';
import { POD_TEMPLATE_HASH_LABEL } from '../controllers/deployment/pod-template-hash';
import { equalIgnoreHash } from '../controllers/deployment/replica-set-lists';
import { deploymentReplicaSets, getDeployment } from './deployment-replica-sets';
import { KubectlError, type Send } from './kubectl-error';
import { LAST_APPLIED } from './last-applied';

/**
 * `kubectl rollout undo deployment/<name> [--to-revision=N]` (kubectl 1.32: cmd/rollout/
 * rollout_undo.go, polymorphichelpers/rollback.go's DeploymentRollbacker). The rollback is
 * kubectl's own work, not the controller's: it finds the ReplicaSet of that revision (0: the
 * one before the newest), and patches the Deployment's template back to that ReplicaSet's
 * (its pod-template-hash label taken out) with a JSON patch that also replaces the
 * Deployment's annotations by the ReplicaSet's (keeping the Deployment's own revision,
 * last-applied and replica annotations). The Deployment controller then sees a template it
 * has a ReplicaSet for, gives that one the next revision, and rolls out to it.
 *
 *   rolloutUndo(send, 'default', 'web')          // => 'deployment.apps/web rolled back'
 *   rolloutUndo(send, 'default', 'web', 2)       // the template is revision 2's already
 *   // => 'deployment.apps/web skipped rollback (current template already matches revision 2)'
 *   rolloutUndo(send, 'default', 'web', 9)       // throws 'error: unable to find specified revision 9 in history'
 *   paused Deployment                            // throws "error: you cannot rollback a paused deployment; resume it
 *                                                //   first with 'kubectl rollout resume deployment/web' and try again"
 *   only one revision, no --to-revision          // throws 'error: no rollout history found for deployment "web"'
 */
export function rolloutUndo(send: Send, namespace: string, name: string, toRevision = 0): string {
  if (toRevision < 0) throw revisionNotFound(toRevision);
  const d = getDeployment(send, namespace, name);
  const target = revisionReplicaSet(d, deploymentReplicaSets(send, d), toRevision);
  if (d.spec.paused) throw new KubectlError(`error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`);
  if (equalIgnoreHash(target.spec.template, d.spec.template)) return `deployment.apps/${name} skipped rollback (current template already matches revision ${toRevision})`;
  const res = send({ verb: 'patch', resource: 'deployments', namespace, name, patchType: 'application/json-patch+json', body: rollbackPatch(d, target) });
  if (res.code >= 400) throw new KubectlError(`error: failed restoring revision ${toRevision}: ${(res.body as { message?: string }).message}`);
  return `deployment.apps/${name} rolled back`;
}

/** annotationsToSkip: kept from the Deployment, never taken from the ReplicaSet. */
const KEPT = [LAST_APPLIED, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, 'deprecated.deployment.rollback.to'];

/** The JSON patch: replace /spec/template and /metadata/annotations. */
export function rollbackPatch(d: Readonly<Deployment>, rs: Readonly<ReplicaSet>): unknown[] {
  const labels = { ...rs.spec.template.metadata?.labels };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  const template: PodTemplateSpec = Object.assign({}, rs.spec.template, { metadata: Object.assign({}, rs.spec.template.metadata, { labels }) });
  const annotations: Record<string, string> = {};
  for (const k of KEPT) if (d.metadata.annotations?.[k] !== undefined) annotations[k] = d.metadata.annotations[k];
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!KEPT.includes(k)) annotations[k] = v;
  return [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
}

/** deploymentRevision: the ReplicaSet of that revision, or (0) the one of the second-highest revision. */
function revisionReplicaSet(d: Readonly<Deployment>, replicaSets: readonly ReplicaSet[], toRevision: number): ReplicaSet {
  let latest: { rs: ReplicaSet; v: number } | undefined;
  let previous: { rs: ReplicaSet; v: number } | undefined;
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (toRevision > 0) {
      if (v === toRevision) return rs;
      continue;
    }
    if (latest === undefined || latest.v < v) {
      previous = latest;
      latest = { rs, v };
    } else if (previous === undefined || previous.v < v) previous = { rs, v };
  }
  if (toRevision > 0) throw revisionNotFound(toRevision);
  if (previous === undefined) throw new KubectlError(`error: no rollout history found for deployment "${d.metadata.name}"`);
  return previous.rs;
}

const revisionNotFound = (r: number) => new KubectlError(`error: unable to find specified revision ${r} in history`);
