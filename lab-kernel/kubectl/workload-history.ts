import { selectorString } from '../api/labels';
import type { ResourceInfo } from '../api/resources';
import type { ControllerRevision, KubeList } from '../api/types';
import { matchesTemplate, revisionTemplate, type RevisionedWorkload } from '../controllers/history/controller-revisions';
import { checked, displayName, KubectlError, type Send } from './kubectl-error';
import { describePodTemplate } from './pod-template-describer';
import { CHANGE_CAUSE_ANNOTATION, tabbed } from './rollout-history';

/**
 * `kubectl rollout history` and `kubectl rollout undo` of a DaemonSet or a StatefulSet
 * (kubectl 1.32: polymorphichelpers/history.go's DaemonSetHistoryViewer and
 * StatefulSetHistoryViewer, rollback.go's DaemonSetRollbacker and StatefulSetRollbacker). Their
 * history is their ControllerRevisions (controllers/history/controller-revisions.ts): those
 * matching the workload's selector whose controller it is. Each revision's data is the patch
 * that puts its template back; undo sends that data as a strategic merge patch.
 *
 *   workloadHistory(send, daemonsets, 'kube-system', 'fluentd-elasticsearch')
 *   // => 'daemonset.apps/fluentd-elasticsearch \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>'
 *   workloadHistory(send, statefulsets, 'default', 'web')     // a StatefulSet's has no CHANGE-CAUSE column
 *   // => 'statefulset.apps/web \nREVISION\n1\n2'
 *   workloadUndo(send, daemonsets, 'kube-system', 'fluentd-elasticsearch', 0)
 *   // => 'daemonset.apps/fluentd-elasticsearch rolled back'   (to the second-highest revision)
 *   a single revision, no --to-revision   // throws 'error: no last revision to roll back to'
 *
 * A DaemonSet's revision carries the DaemonSet's annotations, change-cause among them; a paused
 * check does not exist for these kinds.
 */
export function workloadHistory(send: Send, info: ResourceInfo, namespace: string, name: string, revision = 0): string {
  if (revision < 0) throw new KubectlError(`error: revision must be a positive integer: ${revision}`);
  const { revisions } = workloadRevisions(send, info, namespace, name);
  const header = `${displayName(info)}/${name} ${revision > 0 ? `with revision #${revision}` : ''}`;
  const byNumber = new Map(revisions.map((r) => [r.revision, r]));
  if (byNumber.size === 0) return `${header}\nNo rollout history found.`;
  if (revision > 0) {
    const found = byNumber.get(revision);
    if (found === undefined) throw new KubectlError('error: unable to find the specified revision');
    return `${header}\n${describePodTemplate(revisionTemplate(found)).replace(/\n$/, '')}`;
  }
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  if (info.kind === 'StatefulSet') return `${header}\n${['REVISION', ...numbers.map(String)].join('\n')}`;
  return `${header}\n${tabbed([['REVISION', 'CHANGE-CAUSE'], ...numbers.map((n) => [String(n), byNumber.get(n)!.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] || '<none>'])])}`;
}

export function workloadUndo(send: Send, info: ResourceInfo, namespace: string, name: string, toRevision = 0): string {
  if (toRevision < 0) throw new KubectlError(`error: unable to find specified revision ${toRevision} in history`);
  const { workload, revisions } = workloadRevisions(send, info, namespace, name);
  if (toRevision === 0 && revisions.length <= 1) throw new KubectlError('error: no last revision to roll back to');
  const target = toRevision === 0 ? [...revisions].sort((a, b) => a.revision - b.revision)[revisions.length - 2] : revisions.find((r) => r.revision === toRevision);
  if (target === undefined) throw new KubectlError(`error: unable to find specified revision ${toRevision} in history`);
  if (matchesTemplate(workload, target)) return `${displayName(info)}/${name} skipped rollback (current template already matches revision ${toRevision})`;
  const res = send({ verb: 'patch', resource: info.resource, namespace, name, patchType: 'application/strategic-merge-patch+json', body: target.data });
  if (res.code >= 400) throw new KubectlError(`error: failed restoring revision ${toRevision}: ${(res.body as { message?: string }).message}`);
  return `${displayName(info)}/${name} rolled back`;
}

/** daemonSetHistory / statefulSetHistory: the workload, and the ControllerRevisions it controls. */
function workloadRevisions(send: Send, info: ResourceInfo, namespace: string, name: string): { workload: RevisionedWorkload; revisions: ControllerRevision[] } {
  const workload = checked(send({ verb: 'get', resource: info.resource, namespace, name })).body as RevisionedWorkload;
  const list = checked(send({ verb: 'list', resource: 'controllerrevisions', namespace, labelSelector: selectorString(workload.spec.selector) })).body as KubeList<ControllerRevision>;
  const revisions = list.items.filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === workload.metadata.uid));
  return { workload, revisions };
}
