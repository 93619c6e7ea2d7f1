import type { KubeObject } from '../api/types';

/**
 * The contract of an informer's relist: after its reflector lists again (the watch broke, and
 * the events in between are gone), the informer holds two pictures of the same objects, the
 * one in its cache and the fresh list, and must tell its handlers what changed between them.
 * Nobody says what happened while the watch was down: the informer works it out.
 *
 *   relistDiff({
 *     cached: [a (rv 3), b (rv 4), c (rv 5)],          // sorted by key, as the cache keeps them
 *     listed: [a (rv 3), b (rv 9), d (rv 8)],          // in the order the list gave them
 *   })
 *   // => [{ kind: 'update', key: 'default/b' },      // b changed while we were away
 *   //     { kind: 'add',    key: 'default/d' },      // d was made
 *   //     { kind: 'delete', key: 'default/c' }]      // c was deleted: how, and its last state, are unknown
 *
 * a is in neither: same resourceVersion, nothing happened to it.
 *
 * The informer then makes its cache exactly the list and calls its handlers from these
 * notifications, with its own objects: onAdd(d), onUpdate(b as cached, b as listed), and
 * onDelete(c as last cached, 'final-state-unknown').
 *
 * In client-go the same work is split in two (tools/cache): DeltaFIFO.Replace queues a
 * Replaced delta for every listed object and a Deleted delta, holding a
 * DeletedFinalStateUnknown, for every known key the list lacks; sharedIndexInformer's
 * processDeltas then turns each Replaced delta into an add (not in the indexer) or an update.
 * An update whose resourceVersion did not change is delivered as a resync, only to handlers
 * whose resync period is due; the lab's informer delivers nothing for it.
 *
 * Exercise `relist` (exercises/reflector/relist.ts) implements it; the reference is in
 * solutions/reflector/relist.ts.
 */
export interface RelistInput {
  /** What the informer's cache holds, sorted by key. */
  readonly cached: readonly Readonly<KubeObject>[];
  /** What the relist returned, in the server's order. */
  readonly listed: readonly Readonly<KubeObject>[];
}

/**
 * One thing to tell the handlers, by the object's key (objectKey: "namespace/name", or "name"
 * for a cluster-scoped object). A 'delete' found by a relist is always final-state-unknown.
 */
export interface RelistNotification {
  readonly kind: 'add' | 'update' | 'delete';
  readonly key: string;
}

/**
 * The notifications for one relist: the adds and updates in the order of the list, then the
 * deletions in key order.
 */
export type RelistDiff = (input: RelistInput) => RelistNotification[];
