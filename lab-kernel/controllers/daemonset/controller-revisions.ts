import { canonicalJson } from '../../api/object-hash';
import type { ControllerRevision, DaemonSet, Pod } from '../../api/types';
import { computeHash } from '../deployment/pod-template-hash';
import { CONTROLLER_REVISION_HASH_LABEL } from './daemon-pod';

/**
 * A DaemonSet's history (pkg/controller/daemon/update.go: constructHistory, snapshot, Match,
 * cleanupHistory): one ControllerRevision per pod template it has run, named
 * <daemonset>-<hash of the template>, whose data is the patch that puts that template back,
 * numbered in the order the templates were current. The current revision's hash labels every
 * pod the DaemonSet makes (controller-revision-hash), which is how it tells old pods from new.
 *
 *   fluentd-elasticsearch created             => revision fluentd-elasticsearch-6c8d7b9f5, revision 1
 *   image changed to v2.6.0                   => fluentd-elasticsearch-58d8b7c6f4, revision 2
 *   image changed back to v2.5.2 (a rollback) => the first one again, renumbered 3
 *   more old revisions than revisionHistoryLimit (10) => the oldest go, except those a pod still runs
 *
 * The hash is computeHash's (the Deployment's pod-template-hash), over the template and the
 * DaemonSet's status.collisionCount.
 */
export function revisionHash(ds: Readonly<DaemonSet>): string {
  return computeHash(ds.spec.template, ds.status?.collisionCount);
}

/** getPatch: the strategic merge patch that restores the DaemonSet's template, `{"spec":{"template":{...,"$patch":"replace"}}}`. */
export function revisionData(ds: Readonly<DaemonSet>): unknown {
  return { spec: { template: { ...ds.spec.template, $patch: 'replace' } } };
}

/** Match: whether a revision holds the DaemonSet's current template. */
export function matchesTemplate(ds: Readonly<DaemonSet>, revision: Readonly<ControllerRevision>): boolean {
  return canonicalJson(revision.data) === canonicalJson(revisionData(ds));
}

/** snapshot: the revision of the current template, labelled like the template plus its hash, annotated like the DaemonSet. */
export function newRevision(ds: Readonly<DaemonSet>, hash: string, revision: number): ControllerRevision {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${ds.metadata.name}-${hash}`,
      namespace: ds.metadata.namespace,
      labels: { ...ds.spec.template.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name!, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    data: revisionData(ds),
    revision,
  };
}

/** maxRevision: the highest revision number among these (0 for none). */
export function maxRevision(revisions: readonly Readonly<ControllerRevision>[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0);
}

/**
 * cleanupHistory: the old revisions to delete, oldest first, so that at most `limit` remain;
 * a revision whose hash a pod still carries (finished pods included) is kept.
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
