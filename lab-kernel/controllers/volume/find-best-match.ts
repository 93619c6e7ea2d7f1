import { selectorMatches } from '../../api/labels';
import { compareQuantities, parseQuantity, type Quantity } from '../../api/quantity';
import type { AccessMode, PersistentVolume, PersistentVolumeClaim } from '../../api/types';

/**
 * findBestMatchForClaim (pkg/controller/volume/persistentvolume/index.go, FindMatchingVolume in
 * component-helpers/storage/volume): the PersistentVolume the PV controller binds a claim to.
 * Plain data in, a volume (or nothing) out.
 *
 * Volumes are grouped by their set of access modes; only groups that hold every mode the claim
 * asks for count, the group with the fewest modes first (a ReadWriteOnce claim prefers a
 * ReadWriteOnce volume of 100Gi over a ReadWriteOnce+ReadWriteMany one of 5Gi). In a group:
 *
 *   - a volume pre-bound to this claim (claimRef naming it, with its uid or none) and big
 *     enough is the answer at once;
 *   - otherwise the smallest volume that is Available, unclaimed, not being deleted, at least
 *     as big as the request, of the same volumeMode (Filesystem when unset), of the same class
 *     ('' for none) and matching the claim's selector;
 *   - with delayBinding (the class binds WaitForFirstConsumer) only a pre-bound volume:
 *     the scheduler picks the others, knowing the node.
 *
 *   claim 3Gi RWO class manual, volumes 10Gi RWO manual and 5Gi RWO manual  // => the 5Gi one
 *   claim 3Gi RWO class manual, volume 10Gi RWO class fast                    // => undefined
 *
 * Lab simplification: where upstream's index lists groups of the same size in map order, the
 * lab orders them by their modes' names, so a run is deterministic.
 */
export interface FindBestMatchInput {
  claim: Readonly<PersistentVolumeClaim>;
  volumes: readonly Readonly<PersistentVolume>[];
  /** The claim's class binds WaitForFirstConsumer: only a volume pre-bound to it matches. */
  delayBinding: boolean;
}

export function findBestMatch({ claim, volumes, delayBinding }: FindBestMatchInput): Readonly<PersistentVolume> | undefined {
  const wanted = claim.spec.accessModes ?? [];
  const groups = new Map<string, Readonly<PersistentVolume>[]>();
  for (const volume of volumes) {
    const key = modesKey(volume.spec.accessModes ?? []);
    groups.set(key, [...(groups.get(key) ?? []), volume]);
  }
  const usable = [...groups.keys()]
    .map((key) => (key === '' ? [] : (key.split(',') as AccessMode[])))
    .filter((modes) => wanted.every((m) => modes.includes(m)))
    .sort((a, b) => a.length - b.length || (modesKey(a) < modesKey(b) ? -1 : 1));
  for (const modes of usable) {
    const match = matchingVolume(claim, groups.get(modesKey(modes))!, delayBinding);
    if (match !== undefined) return match;
  }
  return undefined;
}

/** FindMatchingVolume over one group of volumes (the PV controller's path: no node). */
function matchingVolume(claim: Readonly<PersistentVolumeClaim>, volumes: readonly Readonly<PersistentVolume>[], delayBinding: boolean): Readonly<PersistentVolume> | undefined {
  const requested = quantity(claim.spec.resources?.requests?.storage);
  const requestedClass = claim.spec.storageClassName ?? '';
  let smallest: { volume: Readonly<PersistentVolume>; size: Quantity } | undefined;
  for (const volume of volumes) {
    if (volume.spec.claimRef !== undefined && !isVolumeBoundToClaim(volume, claim)) continue;
    const size = quantity(volume.spec.capacity?.storage);
    if (compareQuantities(size, requested) < 0) continue;
    if ((claim.spec.volumeMode ?? 'Filesystem') !== (volume.spec.volumeMode ?? 'Filesystem')) continue;
    if (volume.metadata.deletionTimestamp !== undefined) continue;
    if (isVolumeBoundToClaim(volume, claim)) return volume;
    if (delayBinding) continue;
    if (volume.status?.phase !== 'Available') continue;
    if (claim.spec.selector !== undefined && !selectorMatches(claim.spec.selector, volume.metadata.labels)) continue;
    if ((volume.spec.storageClassName ?? '') !== requestedClass) continue;
    if (smallest === undefined || compareQuantities(smallest.size, size) > 0) smallest = { volume, size };
  }
  return smallest?.volume;
}

/**
 * IsVolumeBoundToClaim: the volume's claimRef names the claim (namespace and name), and its
 * uid, when set, is the claim's.
 *
 *   claimRef { namespace: default, name: data }             claim default/data  // => true (pre-bound)
 *   claimRef { namespace: default, name: data, uid: 'x' }   claim uid 'y'       // => false (an older claim of that name)
 */
export function isVolumeBoundToClaim(volume: Readonly<PersistentVolume>, claim: Readonly<PersistentVolumeClaim>): boolean {
  const ref = volume.spec.claimRef;
  if (ref === undefined) return false;
  if (ref.name !== claim.metadata.name || (ref.namespace ?? '') !== (claim.metadata.namespace ?? '')) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** The modes in GetAccessModesAsString's order (RWO, ROX, RWX, RWOP), as one key. */
const MODE_ORDER: readonly AccessMode[] = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
function modesKey(modes: readonly AccessMode[]): string {
  return MODE_ORDER.filter((m) => modes.includes(m)).join(',');
}

function quantity(text: string | undefined): Quantity {
  return parseQuantity(text ?? '0');
}
