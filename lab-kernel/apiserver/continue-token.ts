import { badRequest, resourceExpired } from '../api/status';

/**
 * Paging a list: `limit` items per page, and a `continue` token to fetch the next page from
 * the same snapshot. The token is kube-apiserver's own format, base64 of
 *   {"v":"meta.k8s.io/v1","rv":57,"start":"default/web-3\u0000"}
 * meaning "the list at revision 57, from the key just after default/web-3" (keys relative to
 * the resource's etcd prefix). Every page is read at that revision, so a list in pages is as
 * consistent as one big list — until etcd compacts revision 57 away: then the token has
 * expired and the API server answers 410 with TOKEN_EXPIRED.
 *
 *   encodeContinue(57, 'default/web-3')   // => 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NTcsInN0YXJ0IjoiZGVmYXVsdC93ZWItMwAifQ'
 *   decodeContinue(that)                  // => { rv: 57, start: 'default/web-3\u0000' }
 */
export interface ContinuePoint {
  rv: number;
  /** The first key (relative to the prefix) the next page may hold. */
  start: string;
}

export function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` })).toString('base64url');
}

export function decodeContinue(token: string): ContinuePoint {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(`continue key is not valid: ${token}`);
  }
  if (parsed?.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  return { rv: parsed.rv, start: parsed.start };
}

export const TOKEN_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function continueExpired(): Error {
  return resourceExpired(TOKEN_EXPIRED);
}
