import { parseSelector, selectorMatches } from '../../api/labels';
import type { ApiRequest } from '../../api/request';
import { apiVersionOf, storageKey, storagePrefix, type ResourceInfo } from '../../api/resources';
import { badRequest, notFound } from '../../api/status';
import type { KubeList, KubeObject, LabelSelector } from '../../api/types';
import type { KeyValue, RangeResult } from '../../store/mvcc-store';
import { decode } from '../codec';
import type { Server } from '../context';
import { continueExpired, decodeContinue, encodeContinue } from '../continue-token';
import { parseFieldSelector, type ObjectPredicate } from '../field-selector';
import type { Steps } from '../steps';
import { StorageError } from '../../etcd/storage';
import type { ResourceStrategy } from '../strategies/strategy';

/**
 * GET and LIST, straight from etcd (a watch is served from the watch cache instead: watch.ts).
 *
 *   GET  pods/web                    // => the Pod, resourceVersion = its etcd modRevision
 *   LIST pods ?labelSelector=app=web // => a PodList, resourceVersion = etcd's current revision
 */

/** The stored object the request names, or 404. */
export function* storedOrNotFound(server: Server, info: ResourceInfo, req: ApiRequest): Steps<KeyValue> {
  const name = req.name ?? '';
  const kv = yield* server.etcd.get(storageKey(info, req.namespace, name));
  if (kv === undefined) throw notFound({ group: info.group, resource: info.resource, name });
  return kv;
}

export function* getObject(server: Server, info: ResourceInfo, req: ApiRequest): Steps<KubeObject> {
  return decode(yield* storedOrNotFound(server, info, req));
}

/**
 * A consistent list from etcd. With `limit`, one page of at most that many items and a
 * `continue` token (continue-token.ts); each further page is read at the first page's
 * revision, so the pages together are one snapshot.
 */
export function* list(server: Server, strategy: ResourceStrategy, req: ApiRequest): Steps<KubeList> {
  const info = strategy.info;
  const labels = labelSelectorOf(req);
  const fields: ObjectPredicate = parseFieldSelector(strategy.selectableFields, req.fieldSelector);
  const prefix = storagePrefix(info, req.namespace);
  const from = req.continue ? decodeContinue(req.continue) : undefined;
  let range: RangeResult;
  try {
    range = yield* server.etcd.range(prefix, true, from?.rv);
  } catch (err) {
    if (from !== undefined && err instanceof StorageError && err.message.includes('compacted')) throw continueExpired();
    throw err;
  }
  const revision = from?.rv ?? range.revision;
  const root = storagePrefix(info);
  let kvs = from === undefined ? range.kvs : range.kvs.filter((kv) => kv.key.slice(root.length) >= from.start);
  const matching = (kv: KeyValue) => {
    const o = decode(kv);
    return fields(o) && (labels === undefined || selectorMatches(labels, o.metadata.labels)) ? o : undefined;
  };
  const items: KubeObject[] = [];
  const limit = req.limit !== undefined && req.limit > 0 ? req.limit : Infinity;
  let next: string | undefined;
  for (let i = 0; i < kvs.length; i++) {
    const o = matching(kvs[i]);
    if (o === undefined) continue;
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
    if (labels === undefined && !req.fieldSelector) metadata.remainingItemCount = kvs.length;
  }
  return { apiVersion: apiVersionOf(info), kind: `${info.kind}List`, metadata, items };
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
