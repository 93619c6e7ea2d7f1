import type { PodTemplateSpec, ReplicaSet } from '../api/types';
import { revisionOf } from '../controllers/deployment/annotations';
import { deploymentReplicaSets, getDeployment } from './deployment-replica-sets';
import { KubectlError, type Send } from './kubectl-error';
import { describePodTemplate } from './pod-template-describer';

/**
 * `kubectl rollout history deployment/<name> [--revision=N]` (kubectl 1.32: cmd/rollout/
 * rollout_history.go, polymorphichelpers/history.go's DeploymentHistoryViewer). A Deployment's
 * history is its ReplicaSets: each one's revision annotation is a revision, its
 * kubernetes.io/change-cause annotation (copied from the Deployment's when the ReplicaSet was
 * made) the CHANGE-CAUSE. kubectl prints the object's name with the history as its
 * "operation", so the first line ends in a space:
 *
 *   rolloutHistory(send, 'default', 'nginx-deployment')
 *   // => 'deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>'
 *   rolloutHistory(send, 'default', 'nginx-deployment', 2)
 *   // => 'deployment.apps/nginx-deployment with revision #2\nPod Template:\n  Labels:\tapp=nginx\n...'
 *   rolloutHistory(send, 'default', 'nginx-deployment', 9)   // throws 'error: unable to find the specified revision'
 *
 * Revisions are sorted as numbers; a ReplicaSet whose annotation is not a number is left out,
 * one without it is revision 0. kubectl ends the output with an empty line, left off here.
 */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

export function rolloutHistory(send: Send, namespace: string, name: string, revision = 0): string {
  if (revision < 0) throw new KubectlError(`error: revision must be a positive integer: ${revision}`);
  const d = getDeployment(send, namespace, name);
  const history = revisionTemplates(deploymentReplicaSets(send, d));
  const header = `deployment.apps/${name} ${revision > 0 ? `with revision #${revision}` : ''}`;
  if (history.size === 0) return `${header}\nNo rollout history found.`;
  if (revision > 0) {
    const template = history.get(revision);
    if (template === undefined) throw new KubectlError('error: unable to find the specified revision');
    return `${header}\n${describePodTemplate(template).replace(/\n$/, '')}`;
  }
  const rows = [...history.keys()].sort((a, b) => a - b).map((r) => [String(r), history.get(r)!.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] || '<none>']);
  return `${header}\n${tabbed([['REVISION', 'CHANGE-CAUSE'], ...rows])}`;
}

/** Each revision's pod template, with the ReplicaSet's change-cause among its annotations. */
function revisionTemplates(replicaSets: readonly ReplicaSet[]): Map<number, PodTemplateSpec> {
  const history = new Map<number, PodTemplateSpec>();
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    const cause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    const annotations = Object.assign({}, rs.spec.template.metadata?.annotations, cause ? { [CHANGE_CAUSE_ANNOTATION]: cause } : {});
    history.set(v, Object.assign({}, rs.spec.template, { metadata: Object.assign({}, rs.spec.template.metadata, { annotations }) }));
  }
  return history;
}

/** kubectl's tabwriter here (padding 2, no minimum width): every column but the last padded to its widest cell + 2. */
export function tabbed(rows: readonly string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)) + 2);
  return rows.map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]) : cell)).join('')).join('\n');
}
