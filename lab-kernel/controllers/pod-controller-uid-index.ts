import type { KubeObject, Pod } from '../api/types';
import type { Indexer } from '../client/store';
import { controllerRef } from '../api/owner-references';

/** What the index needs of an informer: its cache. */
type PodCache = { readonly indexer: Indexer<Pod> };

/**
 * The pods informer's index by controller: each pod filed under the uid of the object whose
 * owner reference says `controller: true` (kube-controller-manager's PodControllerUIDIndex,
 * controller_utils.go AddPodControllerUIDIndexer). A ReplicaSet's sync finds its own pods in
 * it without walking every pod of the namespace:
 *
 *   addPodControllerUIDIndex(pods)          // once per informer; a second call is a no-op
 *   podsControlledBy(pods, rs.metadata.uid) // => rs's pods, sorted by key
 *   orphanPodsIn(pods, 'default')           // => the namespace's pods without a controller
 *
 * Pods without a controller are filed under one orphan key (OrphanPodIndexKey), so that a
 * controller can find the orphans it might adopt (claim-pods.ts) as upstream's
 * FilterPodsByOwner does with includeOrphanedPods.
 */
export const POD_CONTROLLER_UID_INDEX = 'podControllerUID';
/** kube-controller-manager's OrphanPodIndexKey: where pods without a controller are filed. */
export const ORPHAN_POD_INDEX_KEY = '_ORPHAN_POD';

export function addPodControllerUIDIndex(pods: PodCache): void {
  if (pods.indexer.hasIndex(POD_CONTROLLER_UID_INDEX)) return;
  pods.indexer.addIndexers({ [POD_CONTROLLER_UID_INDEX]: controllerUids });
}

/** The pods whose controller is the object with this uid. */
export function podsControlledBy(pods: PodCache, uid: string): Readonly<Pod>[] {
  return pods.indexer.byIndex(POD_CONTROLLER_UID_INDEX, uid);
}

/** The pods of a namespace that have no controller, sorted by key. */
export function orphanPodsIn(pods: PodCache, namespace: string): Readonly<Pod>[] {
  return pods.indexer.byIndex(POD_CONTROLLER_UID_INDEX, ORPHAN_POD_INDEX_KEY).filter((p) => p.metadata.namespace === namespace);
}

/** Where a pod is filed: its controller's uid, or the orphan key if it has none. */
function controllerUids(obj: Readonly<KubeObject>): string[] {
  const ref = controllerRef(obj);
  if (ref === undefined) return [ORPHAN_POD_INDEX_KEY];
  return ref.uid === undefined ? [] : [ref.uid];
}
