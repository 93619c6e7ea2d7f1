import { jsonClone } from '../../api/json-clone';
import { parseSelector, selectorMatches } from '../../api/labels';
import type { ApiRequest } from '../../api/request';
import { apiVersionOf, storageKey, storagePrefix, type ResourceInfo } from '../../api/resources';
import { badRequest, notFound, resourceExpired, StatusError } from '../../api/status';
import type { KubeList, KubeObject, LabelSelector } from '../../api/types';
import type { KeyValue, RangeResult } from '../../store/mvcc-store';
import { decode } from '../codec';
import type { Server } from '../context';
import { continueExpired, decodeContinue, encodeContinue } from '../continue-token';
import { parseFieldSelector, type ObjectPredicate } from '../field-selector';
import type { StartFrom } from '../stale-write';
import type { Steps } from '../steps';
import { StorageError } from '../../etcd/storage';
import type { ResourceStrategy } from '../strategies/strategy';
import type { CachedItem, WatchCache } from '../watch-cache';
import { cacheListLimit, parseResourceVersion, shouldDelegateList, shouldDelegateListOnNotReadyCache } from './list-route';

/**
 * GET and LIST, as kube-apiserver 1.32's cacher routes them (a watch is always the watch
 * cache's: watch.ts). A get without resourceVersion reads etcd; with one, the watch cache. A
 * list is served by the watch cache unless list-route.ts sends it to etcd.
 *
 *   GET  pods/web                    // => the Pod from etcd, resourceVersion = its etcd modRevision
 *   LIST pods ?labelSelector=app=web // => a PodList from the cache, once it has seen etcd's current revision
 */

/** The stored object the request names, or 404. */
export function* storedOrNotFound(server: Server, info: ResourceInfo, req: ApiRequest): Steps<KeyValue> {
  const name = req.name ?? '';
  const kv = yield* server.etcd.get(storageKey(info, req.namespace, name));
  if (kv === undefined) throw notFound({ group: info.group, resource: info.resource, name });
  return kv;
}

/**
 * The stored object an update, a patch or a binding starts from. kube-apiserver 1.32's cacher
 * hands GuaranteedUpdate the watch cache's copy of the key (cacher.go: "try to pass down the
 * current version of the object read from cache"), so a write costs etcd one transaction, not
 * a read and a transaction. That copy may be behind etcd; then the compare-and-swap fails, and
 * the next attempt reads etcd (stale-write.ts):
 *
 *   update pods/web   attempt 1: the cache's rv 7, txn "if modRevision = 7" => ok
 *                     (cache behind: txn fails) attempt 2: range from etcd, rv 8, txn => ok
 */
export function* startingPoint(server: Server, info: ResourceInfo, req: ApiRequest, from: StartFrom): Steps<{ kv: KeyValue; fromCache: boolean }> {
  if (typeof from === 'object') return { kv: from, fromCache: false };
  const cached = from === 'cache' ? server.watchCache(info).stored(storageKey(info, req.namespace, req.name ?? '')) : undefined;
  if (cached !== undefined) return { kv: cached, fromCache: true };
  return { kv: yield* storedOrNotFound(server, info, req), fromCache: false };
}

/** A get: from etcd without resourceVersion; with one, from the watch cache once it has seen it (cacher.go Get). */
export function* getObject(server: Server, info: ResourceInfo, req: ApiRequest): Steps<KubeObject> {
  const cache = server.watchCache(info);
  if ((req.resourceVersion ?? '') === '' || !cache.isReady()) return decode(yield* storedOrNotFound(server, info, req));
  const name = req.name ?? '';
  const { items } = yield* cache.list(storageKey(info, req.namespace, name), false, parseResourceVersion(req.resourceVersion));
  if (items.length === 0) throw notFound({ group: info.group, resource: info.resource, name });
  return jsonClone(items[0].object) as KubeObject;
}

/** A list, from the watch cache or from etcd (list-route.ts). */
export function* list(server: Server, strategy: ResourceStrategy, req: ApiRequest): Steps<KubeList> {
  const cache = server.watchCache(strategy.info);
  if (shouldDelegateList(req, cache.canRequestProgress())) return yield* listFromEtcd(server, strategy, req);
  if (!cache.isReady() && shouldDelegateListOnNotReadyCache(req)) return yield* listFromEtcd(server, strategy, req);
  return yield* listFromCache(server, cache, strategy, req);
}

/**
 * A list from the watch cache. Without resourceVersion it is a consistent read: the API server
 * asks etcd for its current revision and waits until the cache has seen it; if that takes over
 * 3 s, etcd serves the list instead. With a limit: one page, and a continue token at the
 * cache's revision, whose next page etcd serves.
 */
function* listFromCache(server: Server, cache: WatchCache, strategy: ResourceStrategy, req: ApiRequest): Steps<KubeList> {
  const info = strategy.info;
  const matches = matcherOf(strategy, req);
  const consistent = (req.resourceVersion ?? '') === '';
  let revision = parseResourceVersion(req.resourceVersion);
  if (consistent) revision = yield* server.etcd.currentRevision(storagePrefix(info));
  cache.mustBeReady();
  let listed: { revision: number; items: CachedItem[] };
  try {
    listed = yield* cache.list(storagePrefix(info, req.namespace), true, revision);
  } catch (err) {
    if (consistent && err instanceof StatusError && err.code === 504) return yield* listFromEtcd(server, strategy, req);
    throw err;
  }
  const limit = cacheListLimit(req);
  const items: KubeObject[] = [];
  const root = storagePrefix(info);
  const metadata: KubeList['metadata'] = { resourceVersion: String(listed.revision) };
  for (let i = 0; i < listed.items.length; i++) {
    const { key, object } = listed.items[i];
    if (matches(object)) items.push(jsonClone(object) as KubeObject);
    if (items.length < limit) continue;
    if (i < listed.items.length - 1) {
      metadata.continue = encodeContinue(listed.revision, key.slice(root.length));
      if (!req.labelSelector && !req.fieldSelector) metadata.remainingItemCount = listed.items.length - limit;
    }
    break;
  }
  return { apiVersion: apiVersionOf(info), kind: `${info.kind}List`, metadata, items };
}

/**
 * A list from etcd: at its current revision, or exactly at resourceVersion (resourceVersionMatch
 * Exact, or a limit with a resourceVersion), or at a continue token's revision. With `limit`,
 * one page of at most that many items and a `continue` token (continue-token.ts); each further
 * page is read at the first page's revision, so the pages together are one snapshot.
 */
function* listFromEtcd(server: Server, strategy: ResourceStrategy, req: ApiRequest): Steps<KubeList> {
  const info = strategy.info;
  const matches = matcherOf(strategy, req);
  const prefix = storagePrefix(info, req.namespace);
  const from = req.continue ? decodeContinue(req.continue) : undefined;
  const exact = from === undefined && shouldDelegateList(Object.assign({}, req, { continue: undefined }), true) ? parseResourceVersion(req.resourceVersion) : undefined;
  let range: RangeResult;
  try {
    range = yield* server.etcd.range(prefix, true, from?.rv ?? exact);
  } catch (err) {
    if (err instanceof StorageError && err.message.includes('compacted')) {
      if (from !== undefined) throw continueExpired();
      if (exact !== undefined) throw resourceExpired('The resourceVersion for the provided list is too old.');
    }
    throw err;
  }
  const revision = from?.rv ?? exact ?? range.revision;
  const root = storagePrefix(info);
  let kvs = from === undefined ? range.kvs : range.kvs.filter((kv) => kv.key.slice(root.length) >= from.start);
  const items: KubeObject[] = [];
  const limit = req.limit !== undefined && req.limit > 0 ? req.limit : Infinity;
  let next: string | undefined;
  for (let i = 0; i < kvs.length; i++) {
    const o = decode(kvs[i]);
    if (!matches(o)) continue;
    if (items.length === limit) {
      next = encodeContinue(revision, kvs[i - 1].key.slice(root.length));
      kvs = kvs.slice(i);
      break;
    }
    items.push(o);
  }
  const metadata: KubeList['metadata'] = { resourceVersion: String(revision) };
  if (next !== undefined) {
    metadata.continue = next;
    if (!req.labelSelector && !req.fieldSelector) metadata.remainingItemCount = kvs.length;
  }
  return { apiVersion: apiVersionOf(info), kind: `${info.kind}List`, metadata, items };
}

/** The request's label and field selectors as one predicate. */
function matcherOf(strategy: ResourceStrategy, req: ApiRequest): (o: Readonly<KubeObject>) => boolean {
  const labels = labelSelectorOf(req);
  const fields: ObjectPredicate = parseFieldSelector(strategy.selectableFields, req.fieldSelector);
  return (o) => fields(o as KubeObject) && (labels === undefined || selectorMatches(labels, o.metadata.labels));
}

/** The request's label selector; one that does not parse is the client's mistake: 400. */
export function labelSelectorOf(req: ApiRequest): LabelSelector | undefined {
  if (!req.labelSelector) return undefined;
  try {
    return parseSelector(req.labelSelector);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
}
