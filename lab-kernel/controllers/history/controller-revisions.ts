import { jsonEqual } from '../../api/json-equal';
import type { ControllerRevision, DaemonSet, Pod, StatefulSet } from '../../api/types';
import { computeHash } from '../deployment/pod-template-hash';

/**
 * A workload's history (pkg/controller/history, and the DaemonSet's and StatefulSet's use of
 * it: daemon/update.go constructHistory, snapshot, Match, cleanupHistory; statefulset
 * getStatefulSetRevisions, truncateHistory): one ControllerRevision per pod template it has
 * run, named <workload>-<hash of the template>, whose data is the patch that puts that template
 * back, numbered in the order the templates were current. Its pods carry the revision in their
 * controller-revision-hash label (a DaemonSet's the hash, a StatefulSet's the revision's name),
 * which is how the controller tells old pods from new.
 *
 *   fluentd-elasticsearch created             => revision fluentd-elasticsearch-6c8d7b9f5, revision 1
 *   image changed to v2.6.0                   => fluentd-elasticsearch-58d8b7c6f4, revision 2
 *   image changed back to v2.5.2 (a rollback) => the first one again, renumbered 3
 *   more old revisions than revisionHistoryLimit (10) => the oldest go, except those a pod still runs
 *
 * The hash is computeHash's (the Deployment's pod-template-hash), over the template and the
 * workload's status.collisionCount. (Upstream the StatefulSet's hashes the revision's data,
 * HashControllerRevision; the lab hashes the template for both: a name of the same shape.)
 */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** A workload that keeps ControllerRevisions. */
export type RevisionedWorkload = DaemonSet | StatefulSet;

export function revisionHash(w: Readonly<RevisionedWorkload>): string {
  return computeHash(w.spec.template, w.status?.collisionCount);
}

/** getPatch: the strategic merge patch that restores the workload's template, `{"spec":{"template":{...,"$patch":"replace"}}}`. */
export function revisionData(w: Readonly<RevisionedWorkload>): unknown {
  return { spec: { template: Object.assign({}, w.spec.template, { $patch: 'replace' }) } };
}

/** The pod template a revision holds (its data's template, without the patch directive). */
export function revisionTemplate(revision: Readonly<ControllerRevision>): RevisionedWorkload['spec']['template'] {
  const { $patch: _replace, ...template } = (revision.data as { spec: { template: RevisionedWorkload['spec']['template'] & { $patch?: string } } }).spec.template;
  return template;
}

/** Match: whether a revision holds the workload's current template. */
export function matchesTemplate(w: Readonly<RevisionedWorkload>, revision: Readonly<ControllerRevision>): boolean {
  return jsonEqual(revision.data, revisionData(w));
}

/**
 * snapshot / NewControllerRevision: the revision of the current template, labelled like the
 * template plus its hash, owned by the workload; a DaemonSet's is also annotated like the
 * DaemonSet (snapshot copies its annotations; a StatefulSet's revision has none).
 */
export function newRevision(w: Readonly<RevisionedWorkload>, hash: string, revision: number): ControllerRevision {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${w.metadata.name}-${hash}`,
      namespace: w.metadata.namespace,
      labels: Object.assign({}, w.spec.template.metadata?.labels, { [CONTROLLER_REVISION_HASH_LABEL]: hash }),
      ...(w.kind === 'DaemonSet' && w.metadata.annotations ? { annotations: { ...w.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: w.kind!, name: w.metadata.name!, uid: w.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    data: revisionData(w),
    revision,
  };
}

/** maxRevision: the highest revision number among these (0 for none). */
export function maxRevision(revisions: readonly Readonly<ControllerRevision>[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0);
}

/**
 * cleanupHistory: the old revisions to delete, oldest first, so that at most `limit` remain;
 * a revision whose hash a pod still carries (finished pods included) is kept. (A StatefulSet
 * leaves its live revisions out of `old` before it counts, truncateHistory: it passes no pods.)
 *
 *   revisionsToDelete([r1, r2, r3], [a pod of r1], 1)  // => ['<r2's name>']: r1 is live, r3 is within the limit
 */
export function revisionsToDelete(old: readonly Readonly<ControllerRevision>[], pods: readonly Readonly<Pod>[], limit: number): string[] {
  let excess = old.length - limit;
  if (excess <= 0) return [];
  const live = new Set(pods.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]).filter((h) => h !== undefined));
  const names: string[] = [];
  for (const r of [...old].sort((a, b) => a.revision - b.revision)) {
    if (excess <= 0) break;
    const hash = r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
    if (hash !== undefined && live.has(hash)) continue;
    names.push(r.metadata.name!);
    excess--;
  }
  return names;
}
