import { jsonEqual } from '../api/json-equal';
import type { KubeObject, WatchEvent, WatchEventType } from '../api/types';
import type { KeyValue, StoreEvent } from '../store/mvcc-store';

/**
 * How the API server turns what etcd holds into what clients see. Objects are stored as JSON
 * without resourceVersion: it is the etcd modRevision, filled in on read.
 *
 *   decode({ key: '/registry/pods/default/web', value: '{"kind":"Pod",...}', modRevision: 7, ... })
 *   // => { kind: 'Pod', ..., metadata: { name: 'web', resourceVersion: '7', ... } }
 */
export function decode(kv: KeyValue): KubeObject {
  return withVersion(JSON.parse(kv.value) as KubeObject, kv.modRevision);
}

export function withVersion(obj: KubeObject, revision: number): KubeObject {
  return Object.assign({}, obj, { metadata: Object.assign({}, obj.metadata, { resourceVersion: String(revision) }) });
}

/** The object as etcd stores it: without resourceVersion (that is the etcd revision). */
export function stripVersion(obj: KubeObject): KubeObject {
  // Left out rather than deleted: an object with a deleted field is slower to serialize.
  const { resourceVersion: _version, ...metadata } = obj.metadata;
  return Object.assign({}, obj, { metadata });
}

/** Equal as JSON documents: key order does not matter, undefined fields do not exist. */
export function sameJson(a: unknown, b: unknown): boolean {
  return jsonEqual(a ?? null, b ?? null);
}

/**
 * A store change decoded once, for every watcher to share: the object before the change (if
 * any), and after it (for a delete: the last state, stamped with the delete's revision).
 * Frozen all the way down, since many watchers hold the same objects.
 */
export interface DecodedChange {
  readonly type: StoreEvent['type'];
  readonly before: Readonly<KubeObject> | undefined;
  readonly after: Readonly<KubeObject> | undefined;
}

/**
 * What one watcher sees of a change, given which objects its selectors match. An object that
 * stops matching is reported DELETED, and one that starts matching ADDED:
 *
 *   web labels {app: web} => {app: db}, watcher of app=web   // => DELETED web
 *   web labels {app: db} => {app: web}, watcher of app=web   // => ADDED web
 *   web labels {app: db} => {app: db}, watcher of app=web    // => nothing
 */
export function watchEventFor(c: DecodedChange, matches: (o: KubeObject | undefined) => boolean): WatchEvent | undefined {
  if (c.type === 'DELETE') return matches(c.before) ? { type: 'DELETED', object: c.after! } : undefined;
  const was = matches(c.before);
  const is = matches(c.after);
  let type: WatchEventType | undefined;
  if (is) type = was ? 'MODIFIED' : 'ADDED';
  else if (was) type = 'DELETED';
  return type === undefined ? undefined : { type, object: c.after! };
}
