/**
 * Exercise `relist` — what an informer tells its handlers after a relist.    (chapter 04)
 *
 * Your reflector (exercise `reflector`) lists again whenever its watch broke in a way it
 * cannot resume from: a 410 Expired after a long network partition, say. While the watch was
 * down, anything may have happened to the objects, and the events that said so are gone. The
 * informer now holds two pictures: its cache (what it last knew) and the fresh list (what is
 * true now). Handlers, though, expect to hear about changes: a ReplicaSet controller counts
 * pods by the adds and deletes it hears. So the informer compares the two pictures and tells
 * the handlers what must have happened.
 *
 * You write that comparison, as a pure function (see lab-kernel/client/relist-contract.ts).
 * Every informer of the cluster runs your code with
 *   createCluster({ use: { relist: 'exercise' } })
 * and you grade it with
 *   npm run grade -- relist
 *
 * Input => output, by example (a, b, c, d in namespace default; rv = resourceVersion):
 *
 *   cached [a rv 3, b rv 4, c rv 5], listed [a rv 3, b rv 9, d rv 8]
 *     => [update default/b, add default/d, delete default/c]
 *   cached [],                       listed [b rv 2, a rv 1]     => [add default/b, add default/a]  (the list's order)
 *   cached [a rv 3, b rv 4],         listed []                   => [delete default/a, delete default/b]
 *   cached [dev/web rv 3],           listed [prod/web rv 4]      => [add prod/web, delete dev/web]
 *
 * Return new objects; never change the ones you are given.
 */
import { objectKey } from '../../lab-kernel/api/resources';
import type { RelistDiff, RelistInput, RelistNotification } from '../../lab-kernel/client/relist-contract';

/**
 * TODO(1) What the handlers must hear, in order: first the listed objects, in the list's
 * order (an add for one the cache lacks, an update for one whose resourceVersion changed,
 * nothing for one that is the same), then a delete for every cached object the list lacks, in
 * the cache's order (by key).
 *
 * Objects are told apart by their key, never by name alone: two namespaces may
 * each hold a "web". And "the same" means the same resourceVersion: the API server gives an
 * object a new one on every change, so comparing their contents is both slower and no surer.
 *
 * Given: objectKey(obj) in lab-kernel/api/resources ("default/web", or "node-1" for a
 * cluster-scoped object); import it with
 *   import { objectKey } from '../../lab-kernel/api/resources';
 */
export const relistDiff: RelistDiff = (input: RelistInput): RelistNotification[] => {
  // BEGIN SOLUTION
  const cachedVersions = new Map(input.cached.map((obj) => [objectKey(obj), obj.metadata.resourceVersion]));
  const notifications: RelistNotification[] = [];
  const listed = new Set<string>();
  for (const obj of input.listed) {
    const key = objectKey(obj);
    listed.add(key);
    if (!cachedVersions.has(key)) notifications.push({ kind: 'add', key });
    else if (cachedVersions.get(key) !== obj.metadata.resourceVersion) notifications.push({ kind: 'update', key });
  }
  for (const key of cachedVersions.keys()) if (!listed.has(key)) notifications.push({ kind: 'delete', key });
  return notifications;
  // END SOLUTION
};
