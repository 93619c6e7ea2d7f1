import type { Deployment, PodTemplateSpec, ReplicaSet } from '../../api/types';
import { revisionOf } from './annotations';
import { jsonEqual } from '../../api/json-equal';
import { POD_TEMPLATE_HASH_LABEL } from './pod-template-hash';

/**
 * Sorting, finding and counting a Deployment's ReplicaSets (deployment_util.go,
 * controller_utils.go):
 *
 *   findNewReplicaSet(d, rss)     // => the oldest whose template equals d's, the hash label aside
 *   findOldReplicaSets(d, rss)    // => every other one
 *   byCreation(a, b)              // ReplicaSetsByCreationTimestamp: creationTimestamp, then name
 *   replicaCount(rss)             // => sum of spec.replicas (GetReplicaCountForReplicaSets)
 *   actualReplicaCount(rss)       // => sum of status.replicas
 *   availableCount(rss)           // => sum of status.availableReplicas
 */
export type RS = Readonly<ReplicaSet>;

export const specReplicas = (rs: RS): number => rs.spec.replicas ?? 1;

export function byCreation(a: RS, b: RS): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** ReplicaSetsByRevision: by the revision annotation, then by creation. */
export function byRevision(a: RS, b: RS): number {
  const ra = revisionOf(a) ?? 0;
  const rb = revisionOf(b) ?? 0;
  return ra !== rb ? ra - rb : byCreation(a, b);
}

/** EqualIgnoreHash: the two templates are the same once the pod-template-hash label is set aside. */
export function equalIgnoreHash(a: Readonly<PodTemplateSpec>, b: Readonly<PodTemplateSpec>): boolean {
  return jsonEqual(withoutHash(a), withoutHash(b));
}

function withoutHash(t: Readonly<PodTemplateSpec>): PodTemplateSpec {
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return Object.assign({}, t, { metadata: Object.assign({}, t.metadata, { labels }) });
}

export function findNewReplicaSet<T extends RS>(d: Readonly<Deployment>, rss: readonly T[]): T | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

export function findOldReplicaSets<T extends RS>(d: Readonly<Deployment>, rss: readonly T[]): T[] {
  const newRS = findNewReplicaSet(d, rss);
  return rss.filter((rs) => newRS === undefined || rs.metadata.uid !== newRS.metadata.uid);
}

/** FilterActiveReplicaSets: those asked for at least one pod. */
export function activeReplicaSets<T extends RS>(rss: readonly (T | undefined)[]): T[] {
  return rss.filter((rs): rs is T => rs !== undefined && specReplicas(rs) > 0);
}

/**
 * FindActiveOrLatest: the only active ReplicaSet; with none active, the new one or else the
 * newest old one; with several active, none (they would be scaled in proportion).
 */
export function findActiveOrLatest<T extends RS>(newRS: T | undefined, oldRSs: readonly T[]): T | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

const sum = (rss: readonly (RS | undefined)[], f: (rs: RS) => number): number => rss.reduce((n, rs) => n + (rs === undefined ? 0 : f(rs)), 0);

export const replicaCount = (rss: readonly (RS | undefined)[]): number => sum(rss, specReplicas);
export const actualReplicaCount = (rss: readonly (RS | undefined)[]): number => sum(rss, (rs) => rs.status?.replicas ?? 0);
export const readyCount = (rss: readonly (RS | undefined)[]): number => sum(rss, (rs) => rs.status?.readyReplicas ?? 0);
export const availableCount = (rss: readonly (RS | undefined)[]): number => sum(rss, (rs) => rs.status?.availableReplicas ?? 0);
