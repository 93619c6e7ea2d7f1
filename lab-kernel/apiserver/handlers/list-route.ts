import type { ApiRequest } from '../../api/request';
import { badRequest } from '../../api/status';

/**
 * Where kube-apiserver 1.32 serves a list from: its watch cache, or etcd (cacher.go
 * shouldDelegateList, shouldDelegateListOnNotReadyCache, computeListLimit). With
 * ConsistentListFromCache (beta, on by default since 1.31) almost every list is the cache's:
 *
 *   list pods                              => cache, once it has caught up with etcd's current revision (a consistent read)
 *   list pods ?resourceVersion=0           => cache, as it is (possibly stale), limit ignored
 *   list pods ?resourceVersion=57          => cache, once it has seen 57 ("not older than")
 *   list pods ?limit=2                     => cache, first page; its continue token ...
 *   list pods ?limit=2&continue=...        => ... etcd, at the first page's revision
 *   list pods ?limit=2&resourceVersion=57  => etcd, exactly at 57 (the legacy meaning of a limit with a resourceVersion)
 *   list pods ?resourceVersionMatch=Exact&resourceVersion=57   => etcd, exactly at 57
 *   list pods                              => etcd, when etcd cannot be asked for a progress notification
 */
export function shouldDelegateList(req: ApiRequest, progressSupported: boolean): boolean {
  const rv = req.resourceVersion ?? '';
  const match = req.resourceVersionMatch ?? '';
  const consistentReadFromStorage = rv === '' && !progressSupported;
  const hasContinuation = (req.continue ?? '') !== '';
  const isLegacyExactMatch = (req.limit ?? 0) > 0 && match === '' && rv !== '' && rv !== '0';
  const unsupportedMatch = (match !== '' && match !== 'NotOlderThan') || isLegacyExactMatch;
  return consistentReadFromStorage || hasContinuation || unsupportedMatch;
}

/** While the cache lists again, a list with a limit and no selector goes to etcd; any other gets 429. */
export function shouldDelegateListOnNotReadyCache(req: ApiRequest): boolean {
  return !req.labelSelector && !req.fieldSelector && (req.limit ?? 0) > 0;
}

/** The page size a list from the cache keeps to: none for resourceVersion "0" (the cache ignores it). */
export function cacheListLimit(req: ApiRequest): number {
  return req.limit === undefined || req.limit <= 0 || req.resourceVersion === '0' ? Infinity : req.limit;
}

/** The revision a read asks for: 0 for unset or "0"; a number, else 400. */
export function parseResourceVersion(rv: string | undefined): number {
  if (rv === undefined || rv === '') return 0;
  const n = Number(rv);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${rv}`);
  return n;
}
