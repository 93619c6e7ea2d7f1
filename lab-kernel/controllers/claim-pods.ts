import { selectorMatches } from '../api/labels';
import type { KubeObject, LabelSelector, Pod } from '../api/types';
import { controllerRef } from '../api/owner-references';

/**
 * Which objects a controller owns, and which it should adopt or release: the decision of
 * kube-controller-manager's ControllerRefManager (controller_ref_manager.go ClaimObject, which
 * ClaimPods runs on pods and the Deployment controller's ClaimReplicaSets on ReplicaSets).
 * A controller finds its pods by their controller reference, not by its selector; the selector
 * only decides what changes hands. For each object:
 *
 *   its controller is someone else           -> left alone (in no list)
 *   its controller is the owner, and
 *     the selector matches                   -> owned (even while the owner is being deleted)
 *     the selector no longer matches         -> release (unless the owner is being deleted)
 *   it has no controller (an orphan), and
 *     the owner is being deleted             -> left alone
 *     the selector does not match            -> left alone
 *     it is itself being deleted             -> left alone
 *     it is in another namespace             -> left alone
 *     otherwise                              -> adopt
 *
 * The decision is pure; claim-applier.ts sends the patches, and only what it adopted joins
 * `owned`. Example, web (uid u1) selecting app=web:
 *
 *   claimPods(web, { matchLabels: { app: 'web' } }, [
 *     a: app=web, controller u1;   b: app=db, controller u1;   c: app=web, no controller;
 *     d: app=web, controller u2;   e: app=web, no controller, deletionTimestamp set ])
 *   // => { owned: [a], adopt: [c], release: [b] }
 */
export interface Claims<T extends KubeObject> {
  /** Already controlled by the owner, and matching: its own, with nothing to do. */
  readonly owned: Readonly<T>[];
  /** Orphans that match: to be patched with the owner's controller reference. */
  readonly adopt: Readonly<T>[];
  /** Controlled by the owner but no longer matching: to be patched free of its reference. */
  readonly release: Readonly<T>[];
}

export function claimObjects<T extends KubeObject>(
  owner: Readonly<KubeObject>,
  selector: Readonly<LabelSelector>,
  objects: readonly Readonly<T>[],
  filter: (obj: Readonly<T>) => boolean = () => true,
): Claims<T> {
  const claims = { owned: [] as Readonly<T>[], adopt: [] as Readonly<T>[], release: [] as Readonly<T>[] };
  const ownerDeleting = owner.metadata.deletionTimestamp !== undefined;
  for (let i = 0; i < objects.length; i++) {
    const obj = objects[i];
    const matches = selectorMatches(selector, obj.metadata.labels) && filter(obj);
    const controller = controllerRef(obj);
    if (controller !== undefined) {
      if (controller.uid !== owner.metadata.uid) continue;
      if (matches) claims.owned.push(obj);
      else if (!ownerDeleting) claims.release.push(obj);
      continue;
    }
    if (ownerDeleting || !matches || obj.metadata.deletionTimestamp !== undefined) continue;
    if (owner.metadata.namespace !== undefined && owner.metadata.namespace !== obj.metadata.namespace) continue;
    claims.adopt.push(obj);
  }
  return claims;
}

/**
 * ClaimPods: claimObjects over pods. A `filter` narrows what matches further, as ClaimPods'
 * filters do (the StatefulSet's: a pod named <set>-<ordinal>); a pod of its own that fails it
 * is released like one the selector no longer matches.
 *
 *   claimPods(web, { matchLabels: { app: 'nginx' } }, [web-0, db-0 (orphans, app=nginx)], (p) => ordinalOf('web', p.metadata.name) !== undefined)
 *   // => { owned: [], adopt: [web-0], release: [] }
 */
export function claimPods(owner: Readonly<KubeObject>, selector: Readonly<LabelSelector>, pods: readonly Readonly<Pod>[], filter?: (pod: Readonly<Pod>) => boolean): Claims<Pod> {
  return claimObjects(owner, selector, pods, filter);
}

