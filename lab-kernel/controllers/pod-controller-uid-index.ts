import type { KubeObject, Pod } from '../api/types';
import type { Indexer } from '../client/store';

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
 *
 * Pods without a controller are filed nowhere (kube-controller-manager files them under an
 * orphan key, for adoption, which the lab's controllers do not do).
 */
export const POD_CONTROLLER_UID_INDEX = 'podControllerUID';

export function addPodControllerUIDIndex(pods: PodCache): void {
  if (pods.indexer.hasIndex(POD_CONTROLLER_UID_INDEX)) return;
  pods.indexer.addIndexers({ [POD_CONTROLLER_UID_INDEX]: controllerUids });
}

/** The pods whose controller is the object with this uid. */
export function podsControlledBy(pods: PodCache, uid: string): Readonly<Pod>[] {
  return pods.indexer.byIndex(POD_CONTROLLER_UID_INDEX, uid);
}

/** Where a pod is filed: its controller's uid, if it has one. */
function controllerUids(obj: Readonly<KubeObject>): string[] {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref?.uid === undefined ? [] : [ref.uid];
}
